package dev.completions.cli;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.completions.api.Capability;
import dev.completions.api.ParameterInfo;
import dev.completions.api.Parameters;
import dev.completions.api.ProviderInfo;
import java.io.IOException;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code describe NAME}: the parameters a provider accepts, derived by reflection, and what it can
 * do beyond text (its capabilities' wire names: tools, image_input, json_output, ...).
 */
@Command(
    name = "describe",
    description = "Shows the parameters a provider accepts and its capabilities.")
final class DescribeCommand implements Callable<Integer> {

  @ParentCommand private Cli cli;

  @picocli.CommandLine.Parameters(
      paramLabel = "NAME",
      description = "The provider's name (any case).")
  private String name;

  @Option(names = "--json", description = "Machine-readable output.")
  private boolean json;

  @Override
  public Integer call() {
    Parameters parameters = cli.registry().parameters(name);
    ProviderInfo info = cli.registry().get(name).info();
    if (json) {
      try (Json out = new Json(cli)) {
        out.line(
            j -> {
              j.writeStringField("provider", info.name());
              j.writeStringField("description", parameters.describe());
              writeCapabilities(j, info);
              j.writeArrayFieldStart("parameters");
              for (ParameterInfo p : parameters.list()) {
                j.writeStartObject();
                j.writeStringField("name", p.name());
                j.writeStringField("type", p.type());
                j.writeBooleanField("required", p.required());
                j.writeStringField("default", p.defaultValue());
                j.writeStringField("description", p.description());
                if (p.min() != null) {
                  j.writeNumberField("min", p.min());
                }
                if (p.max() != null) {
                  j.writeNumberField("max", p.max());
                }
                if (!p.choices().isEmpty()) {
                  j.writeArrayFieldStart("choices");
                  for (String choice : p.choices()) {
                    j.writeString(choice);
                  }
                  j.writeEndArray();
                }
                j.writeEndObject();
              }
              j.writeEndArray();
            });
      }
      return Cli.OK;
    }
    cli.stdout.println(parameters.describe());
    cli.stdout.println(
        "Capabilities: "
            + (info.capabilities().isEmpty()
                ? "none"
                : info.capabilities().stream()
                    .map(Capability::wireName)
                    .collect(Collectors.joining(", "))));
    cli.stdout.println();
    Table table = new Table("NAME", "ALLOWED", "REQUIRED", "DEFAULT", "DESCRIPTION");
    for (ParameterInfo p : parameters.list()) {
      table.row(
          p.name(),
          p.constraint(),
          p.required() ? "yes" : "no",
          p.defaultValue() == null ? "" : p.defaultValue(),
          p.description());
    }
    table.print(cli.stdout);
    return Cli.OK;
  }

  /** {@code "capabilities":[wire names]}, in {@link Capability}'s order. */
  static void writeCapabilities(JsonGenerator j, ProviderInfo info) throws IOException {
    j.writeArrayFieldStart("capabilities");
    for (Capability capability : info.capabilities()) {
      j.writeString(capability.wireName());
    }
    j.writeEndArray();
  }
}
