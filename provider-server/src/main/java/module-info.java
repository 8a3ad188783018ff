/**
 * The gateway: every provider of a {@link dev.completions.registry.ProviderRegistry} behind one
 * OpenAI-compatible HTTP endpoint, see {@link dev.completions.server.CompletionServer}.
 */
module dev.completions.server {
  requires transitive dev.completions.registry;
  requires org.eclipse.jetty.server;
  requires com.fasterxml.jackson.databind;
  requires org.slf4j;
  requires io.opentelemetry.api;
  requires io.opentelemetry.context;

  exports dev.completions.server;
}
