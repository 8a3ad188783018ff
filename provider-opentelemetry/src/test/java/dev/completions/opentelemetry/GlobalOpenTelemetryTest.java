package dev.completions.opentelemetry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.completions.api.CallRecord;
import dev.completions.api.CallStart;
import dev.completions.api.CompletionRequest;
import io.opentelemetry.api.GlobalOpenTelemetry;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The listener ServiceLoader makes follows the global OpenTelemetry, once there is one. */
class GlobalOpenTelemetryTest {

  private static final CallStart START =
      new CallStart("call-1", "Local", "tiny", CompletionRequest.of("Hi"), null, Instant.now());

  @AfterEach
  void resetGlobal() {
    GlobalOpenTelemetry.resetForTest();
  }

  @Test
  void untilAGlobalOpenTelemetryIsSetNoCallIsObservedAndNoneIsMadeGlobal() {
    GlobalOpenTelemetry.resetForTest();

    assertThat(new OpenTelemetryCallListener().onStart(START)).isNull();
    assertThat(GlobalOpenTelemetry.isSet()).as("the listener must not install the no-op").isFalse();
  }

  @Test
  void onceOneIsSetCallsBecomeItsSpans() {
    GlobalOpenTelemetry.resetForTest();
    OpenTelemetryCallListener listener = new OpenTelemetryCallListener();
    InMemorySpanExporter spans = InMemorySpanExporter.create();
    try (OpenTelemetrySdk sdk =
        OpenTelemetrySdk.builder()
            .setTracerProvider(
                SdkTracerProvider.builder()
                    .addSpanProcessor(SimpleSpanProcessor.create(spans))
                    .build())
            .build()) {
      assertThat(listener.onStart(START)).isNull();
      GlobalOpenTelemetry.set(sdk);

      listener
          .onStart(START)
          .onEnd(
              new CallRecord(
                  "call-1",
                  "Local",
                  "tiny",
                  "Local",
                  "tiny",
                  List.of(new CallRecord.Link("Local", "tiny", null)),
                  1,
                  0,
                  START.started(),
                  null,
                  START.started().plusMillis(5),
                  null,
                  "stop",
                  null,
                  false));
      assertThat(spans.getFinishedSpanItems())
          .singleElement()
          .satisfies(
              span -> {
                assertThat(span.getName()).isEqualTo("chat tiny");
                assertThat(span.getKind()).isEqualTo(SpanKind.INTERNAL);
              });
    }
  }
}
