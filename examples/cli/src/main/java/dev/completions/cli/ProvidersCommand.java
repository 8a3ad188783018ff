package dev.completions.cli;

import dev.completions.api.CompletionProvider;
import dev.completions.api.ProviderInfo;
import dev.completions.openai.HttpCompletionProvider;
import dev.completions.registry.LoadProblem;
import dev.completions.registry.ProviderRegistry;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code providers}: what is on the class path, and what could not be loaded. */
@Command(
    name = "providers",
    description = "Lists the providers on the class path (* marks the default model).")
final class ProvidersCommand implements Callable<Integer> {

  @ParentCommand private Cli cli;

  @Option(names = "--json", description = "Machine-readable output.")
  private boolean json;

  @Override
  public Integer call() {
    ProviderRegistry registry = cli.registry();
    if (json) {
      try (Json out = new Json(cli)) {
        out.line(
            j -> {
              j.writeArrayFieldStart("providers");
              for (CompletionProvider provider : ownProviders(registry)) {
                ProviderInfo info = provider.info();
                j.writeStartObject();
                j.writeStringField("name", info.name());
                j.writeArrayFieldStart("models");
                for (String model : info.models()) {
                  j.writeString(model);
                }
                j.writeEndArray();
                j.writeStringField("default_model", info.defaultModel());
                j.writeBooleanField("streaming", info.supportsStreaming());
                j.writeBooleanField("needs_auth", info.needsAuth());
                DescribeCommand.writeCapabilities(j, info);
                if (provider instanceof HttpCompletionProvider http
                    && http.config().apiKeyVariable() != null) {
                  j.writeStringField("key_variable", http.config().apiKeyVariable());
                  j.writeBooleanField("key_set", http.config().auth().secret().isPresent());
                }
                j.writeStringField("url", info.url().toString());
                j.writeStringField("class", provider.getClass().getName());
                j.writeEndObject();
              }
              j.writeEndArray();
              j.writeArrayFieldStart("problems");
              for (LoadProblem problem : registry.problems()) {
                j.writeString(problem.toString());
              }
              j.writeEndArray();
            });
      }
      return Cli.OK;
    }
    Table table = new Table("NAME", "MODELS", "STREAMING", "AUTH", "URL");
    for (CompletionProvider provider : ownProviders(registry)) {
      ProviderInfo info = provider.info();
      table.row(
          info.name(),
          models(info),
          info.supportsStreaming() ? "yes" : "no",
          auth(provider),
          info.url().toString());
    }
    table.print(cli.stdout);
    if (!registry.problems().isEmpty()) {
      cli.stdout.println();
      cli.stdout.println("Problems:");
      registry.problems().forEach(problem -> cli.stdout.println("  " + problem));
    }
    return Cli.OK;
  }

  /**
   * The first models, the default marked with {@code *}; a long list is cut so the table stays
   * readable.
   */
  private static String models(ProviderInfo info) {
    List<String> marked =
        info.models().stream().map(m -> m.equals(info.defaultModel()) ? m + "*" : m).toList();
    return marked.size() <= 4
        ? String.join(", ", marked)
        : String.join(", ", marked.subList(0, 3)) + ", +" + (marked.size() - 3) + " more";
  }

  /**
   * The providers themselves, not the observing wrappers a registry with call listeners hands out:
   * their classes and configurations are listed.
   */
  private static List<CompletionProvider> ownProviders(ProviderRegistry registry) {
    return registry.providers().stream().map(ProviderRegistry::unobserved).toList();
  }

  /** Whether the provider needs a key and whether it is set; never the key itself. */
  private static String auth(CompletionProvider provider) {
    if (!provider.info().needsAuth()) {
      return "none";
    }
    if (provider instanceof HttpCompletionProvider http && http.config().apiKeyVariable() != null) {
      return http.config().apiKeyVariable()
          + (http.config().auth().secret().isPresent() ? " (set)" : " (not set)");
    }
    return "required";
  }
}
