/**
 * Every call of the providers as an OpenTelemetry span and GenAI client metrics, named as the GenAI
 * semantic conventions name them. On the class path (or module path) its {@link
 * dev.completions.api.CallListener} turns itself on through ServiceLoader.
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
