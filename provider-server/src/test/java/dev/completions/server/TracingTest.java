package dev.completions.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.completions.opentelemetry.OpenTelemetryCallListener;
import dev.completions.registry.ProviderRegistry;
import dev.completions.tck.OpenAiSse;
import io.opentelemetry.api.trace.SpanId;
import io.opentelemetry.sdk.testing.junit5.OpenTelemetryExtension;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Each gateway request is one call span, the child of the caller's traceparent when it has one. */
class TracingTest {

  @RegisterExtension static final OpenTelemetryExtension OTEL = OpenTelemetryExtension.create();

  private static final String TRACE = "0af7651916cd43dd8448eb211c80319c";
  private static final String PARENT = "b7ad6b7169203331";

  private Upstream alpha;
  private ProviderRegistry registry;
  private CompletionServer server;
  private Client client;

  @BeforeEach
  void start() {
    alpha = new Upstream("Alpha", "a1");
    registry =
        ProviderRegistry.builder()
            .discover(false)
            .add(alpha.provider)
            .listener(new OpenTelemetryCallListener(OTEL.getOpenTelemetry()))
            .build();
    server = CompletionServer.builder(registry).port(0).build().start();
    client = new Client(server.uri());
  }

  @AfterEach
  void stop() {
    server.close();
    registry.close();
    alpha.close();
  }

  private void answer() {
    alpha.server.enqueue(
        OpenAiSse.stream(OpenAiSse.ROLE, OpenAiSse.content("Hi"), OpenAiSse.STOP, OpenAiSse.DONE));
  }

  @Test
  void aRequestWithATraceparentIsAChildSpanInTheCallersTrace() throws Exception {
    answer();

    HttpResponse<String> response =
        client.post(
            "/v1/chat/completions",
            Client.ask("a1", true),
            "traceparent",
            "00-" + TRACE + "-" + PARENT + "-01");

    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    assertThat(OTEL.getSpans())
        .singleElement()
        .satisfies(
            span -> {
              assertThat(span.getName()).isEqualTo("chat a1");
              assertThat(span.getTraceId()).isEqualTo(TRACE);
              assertThat(span.getParentSpanId()).isEqualTo(PARENT);
              assertThat(span.getParentSpanContext().isRemote()).isTrue();
            });
  }

  @Test
  void aRequestWithoutOneIsARootSpan() throws Exception {
    answer();

    HttpResponse<String> response = client.post("/v1/chat/completions", Client.ask("a1", false));

    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    assertThat(OTEL.getSpans())
        .singleElement()
        .extracting(SpanData::getParentSpanId)
        .isEqualTo(SpanId.getInvalid());
  }
}
