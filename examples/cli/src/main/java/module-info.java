/** The command line over the provider registry. */
module dev.completions.cli {
  requires dev.completions.registry;
  requires dev.completions.openai;
  requires dev.completions.server;
  requires io.opentelemetry.sdk.autoconfigure;
  requires info.picocli;
  requires com.fasterxml.jackson.core;

  opens dev.completions.cli to
      info.picocli;
}
