package dev.completions.cli;

import dev.completions.api.CompletionProvider;
import dev.completions.api.ProviderException;
import dev.completions.openai.OpenAiCompatibleProvider;
import dev.completions.registry.ProviderRegistry;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code models -p NAME}: the models the provider's server reports ({@code GET {base}/models}),
 * else the declared ones; which list it is goes to stderr (or the JSON's {@code source}).
 */
@Command(
    name = "models",
    description = "Lists the models the provider's server reports, else the declared ones.")
final class ModelsCommand implements Callable<Integer> {

  @picocli.CommandLine.ParentCommand private Cli cli;

  @Option(
      names = {"-p", "--provider"},
      required = true,
      paramLabel = "NAME",
      description = "The provider's name (any case).")
  private String name;

  @Option(names = "--json", description = "Machine-readable output.")
  private boolean json;

  /** A list of models and where it came from; {@code reason} says why the server's was not used. */
  private record Listing(String source, List<String> models, String reason) {}

  @Override
  public Integer call() {
    CompletionProvider provider = cli.registry().get(name);
    Listing listing = list(ProviderRegistry.unobserved(provider));
    if (json) {
      try (Json out = new Json(cli)) {
        out.line(
            j -> {
              j.writeStringField("provider", provider.info().name());
              j.writeStringField("source", listing.source());
              j.writeArrayFieldStart("models");
              for (String model : listing.models()) {
                j.writeString(model);
              }
              j.writeEndArray();
              if (listing.reason() != null) {
                j.writeStringField("reason", listing.reason());
              }
            });
      }
      return Cli.OK;
    }
    cli.stderr.println(
        listing.reason() == null
            ? "provider-cli: the models " + provider.info().name() + "'s server reports:"
            : "provider-cli: the declared models (" + listing.reason() + "):");
    listing.models().forEach(cli.stdout::println);
    return Cli.OK;
  }

  private static Listing list(CompletionProvider provider) {
    if (!(provider instanceof OpenAiCompatibleProvider openAi)) {
      return new Listing(
          "declared",
          provider.info().models(),
          provider.info().name() + " has no model-list endpoint");
    }
    try {
      return new Listing("server", openAi.serverModels(), null);
    } catch (ProviderException e) {
      return new Listing("declared", provider.info().models(), e.getMessage());
    }
  }
}
