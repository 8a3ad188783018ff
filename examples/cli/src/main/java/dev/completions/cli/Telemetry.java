package dev.completions.cli;

import io.opentelemetry.sdk.autoconfigure.AutoConfiguredOpenTelemetrySdk;
import java.io.PrintStream;
import java.util.Locale;
import java.util.Map;

/**
 * OpenTelemetry for the command line, configured by the SDK's standard variables ({@code
 * OTEL_TRACES_EXPORTER}, {@code OTEL_METRICS_EXPORTER}, {@code OTEL_EXPORTER_OTLP_ENDPOINT}, ...)
 * or their {@code otel.*} system properties. With none set, no SDK is started at all: nothing is
 * exported, nothing is printed, and the bundled OpenTelemetry listener observes no call.
 */
final class Telemetry {

  /**
   * The SDK's defaults are OTLP exporters for traces, metrics and logs; here every exporter is off
   * unless asked for, and OTLP is sent over HTTP (the bundled sender is the JDK's HttpClient, which
   * does not speak gRPC). The environment and system properties override these.
   */
  private static final Map<String, String> DEFAULTS =
      Map.of(
          "otel.traces.exporter", "none",
          "otel.metrics.exporter", "none",
          "otel.logs.exporter", "none",
          "otel.exporter.otlp.protocol", "http/protobuf",
          "otel.service.name", "provider-cli");

  private static boolean started;

  private Telemetry() {}

  /**
   * Starts the SDK as the global OpenTelemetry when any OpenTelemetry setting is present. Its own
   * shutdown hook flushes and shuts it down at exit (bounded by the SDK at 10 s), which also covers
   * an exit by Ctrl-C. A setting the SDK refuses is reported in one line and the command goes on.
   *
   * @param stderr where a refused setting is reported
   */
  static synchronized void startIfConfigured(PrintStream stderr) {
    if (started || !configured(System.getenv(), System.getProperties())) {
      return;
    }
    started = true;
    try {
      AutoConfiguredOpenTelemetrySdk.builder()
          .addPropertiesSupplier(() -> DEFAULTS)
          .setResultAsGlobal()
          .build();
    } catch (RuntimeException e) { // a bad setting: the command still runs, unobserved
      Throwable root = e;
      while (root.getCause() != null && root.getCause() != root) {
        root = root.getCause();
      }
      stderr.println("provider-cli: OpenTelemetry not started: " + root.getMessage());
    }
  }

  /** Whether any {@code OTEL_*} variable or {@code otel.*} property is set. */
  static boolean configured(Map<String, String> environment, Map<Object, Object> properties) {
    return environment.keySet().stream().anyMatch(name -> name.startsWith("OTEL_"))
        || properties.keySet().stream()
            .anyMatch(name -> String.valueOf(name).toLowerCase(Locale.ROOT).startsWith("otel."));
  }
}
