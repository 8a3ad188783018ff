/**
 * Every call of the providers as an OpenTelemetry span and GenAI client metrics, named as the GenAI
 * semantic conventions name them. On the class path (or module path) its {@link
 * dev.completions.api.CallListener} turns itself on through ServiceLoader.
 *
 * <p>Settings this module reads:
 *
 * <table class="striped">
 *   <caption>Settings</caption>
 *   <thead><tr><th>setting</th><th>default</th></tr></thead>
 *   <tbody>
 *     <tr><td>{@code otel.instrumentation.genai.capture-message-content} / {@code
 *     OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT}</td><td>{@code false}: prompts and
 *     answers are never recorded; {@code true} records them as the conventions' opt-in
 *     attributes</td></tr>
 *     <tr><td>the {@code GlobalOpenTelemetry}</td><td>unset: the listener made by ServiceLoader
 *     records nothing until an SDK is registered as the global one (for example by the SDK's
 *     autoconfiguration from the {@code OTEL_*} variables)</td></tr>
 *   </tbody>
 * </table>
 */
module dev.completions.opentelemetry {
  requires transitive dev.completions.api;
  requires transitive io.opentelemetry.api;
  requires io.opentelemetry.context;
  requires static com.google.auto.service;

  exports dev.completions.opentelemetry;

  provides dev.completions.api.CallListener with
      dev.completions.opentelemetry.OpenTelemetryCallListener;
}
