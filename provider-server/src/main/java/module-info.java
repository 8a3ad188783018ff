/**
 * The gateway: every provider of a {@link dev.completions.registry.ProviderRegistry} behind one
 * OpenAI-compatible HTTP endpoint, see {@link dev.completions.server.CompletionServer}.
 *
 * <p>It reads no system property or environment variable itself: its settings are the builder's (on
 * the command line, {@code provider-cli serve}'s flags), and the providers read their own.
 *
 * <table class="striped">
 *   <caption>Settings</caption>
 *   <thead><tr><th>builder method (flag)</th><th>default</th></tr></thead>
 *   <tbody>
 *     <tr><td>{@code host} ({@code --host})</td><td>{@code 127.0.0.1}: loopback only</td></tr>
 *     <tr><td>{@code port} ({@code --port})</td><td>8080 (0: any free port)</td></tr>
 *     <tr><td>{@code apiKey} ({@code --api-key-env NAME})</td><td>none: no key is asked
 *     for</td></tr>
 *     <tr><td>{@code maxBodyBytes} ({@code --max-body})</td><td>8 MiB</td></tr>
 *     <tr><td>{@code idleTimeout} ({@code --idle-timeout})</td><td>30 s</td></tr>
 *     <tr><td>{@code corsOrigins} ({@code --cors-origin})</td><td>none: CORS is off</td></tr>
 *   </tbody>
 * </table>
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
