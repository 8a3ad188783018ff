package dev.completions.opentelemetry;

import static io.opentelemetry.sdk.testing.assertj.OpenTelemetryAssertions.assertThat;
import static io.opentelemetry.sdk.testing.assertj.OpenTelemetryAssertions.equalTo;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.completions.api.CallListener;
import dev.completions.api.CompletionEvent;
import dev.completions.api.CompletionProvider;
import dev.completions.api.CompletionRequest;
import dev.completions.api.CompletionStream;
import dev.completions.api.EventFeed;
import dev.completions.api.Message;
import dev.completions.api.ProviderException;
import dev.completions.api.ProviderInfo;
import dev.completions.api.Usage;
import dev.completions.openai.Auth;
import dev.completions.openai.OpenAiCompatibleProvider;
import dev.completions.openai.ProviderConfig;
import dev.completions.registry.ProviderChain;
import dev.completions.registry.ProviderRegistry;
import dev.completions.tck.LoopbackServer;
import dev.completions.tck.OpenAiSse;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.metrics.data.HistogramPointData;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.testing.junit5.OpenTelemetryExtension;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.ServiceLoader;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Calls of real providers against loopback servers, observed into the OpenTelemetry SDK's in-memory
 * exporters: the exact names, kinds, units and values the GenAI conventions give them.
 */
class OpenTelemetryCallListenerTest {

  @RegisterExtension static final OpenTelemetryExtension OTEL = OpenTelemetryExtension.create();

  private final LoopbackServer server = LoopbackServer.start();
  private final LoopbackServer backupServer = LoopbackServer.start();

  @AfterEach
  void stopServers() {
    server.close();
    backupServer.close();
  }

  private static CompletionProvider openAi(String name, LoopbackServer server, int attempts) {
    return new OpenAiCompatibleProvider(
        ProviderConfig.custom()
            .name(name)
            .baseUrl(server.url() + "/v1")
            .models("gpt-4o", "gpt-4o-mini")
            .auth(Auth.none())
            .attempts(attempts)
            .connectTimeout(Duration.ofSeconds(5))
            .firstByteTimeout(Duration.ofSeconds(10))
            .idleTimeout(Duration.ofSeconds(10))
            .build());
  }

  private static ProviderRegistry registry(CallListener listener, CompletionProvider... providers) {
    ProviderRegistry.Builder builder =
        ProviderRegistry.builder().discover(false).listener(listener);
    for (CompletionProvider provider : providers) {
      builder.add(provider);
    }
    return builder.build();
  }

  private static CompletionRequest request() {
    return CompletionRequest.builder()
        .model("gpt-4o")
        .user("Say hello")
        .temperature(0.3)
        .maxTokens(64)
        .stop(List.of("\n\n"))
        .build();
  }

  private static MetricData metric(String name) {
    return OTEL.getMetrics().stream()
        .filter(metric -> metric.getName().equals(name))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no metric " + name + " in " + OTEL.getMetrics()));
  }

  private static List<HistogramPointData> points(MetricData metric) {
    return metric.getType() == io.opentelemetry.sdk.metrics.data.MetricDataType.HISTOGRAM
        ? List.copyOf(metric.getHistogramData().getPoints())
        : List.of();
  }

  @Test
  void aStreamedCallIsOneClientSpanWithTheGenAiAttributesAndTheThreeHistograms() {
    server.enqueue(
        OpenAiSse.stream(
            OpenAiSse.ROLE,
            OpenAiSse.content("Hel"),
            OpenAiSse.content("lo"),
            OpenAiSse.STOP,
            OpenAiSse.usage(new Usage(12, 2, 14)),
            OpenAiSse.DONE));
    Span parent = OTEL.getOpenTelemetry().getTracer("test").spanBuilder("request").startSpan();
    try (ProviderRegistry registry =
        registry(
            new OpenTelemetryCallListener(OTEL.getOpenTelemetry()), openAi("OpenAI", server, 1))) {
      CompletionStream stream;
      try (Scope scope = parent.makeCurrent()) {
        stream = registry.get("openai").complete(request());
      }
      assertThat(stream.text()).isEqualTo("Hello");
    } finally {
      parent.end();
    }

    SpanData span =
        OTEL.getSpans().stream()
            .filter(s -> s.getName().startsWith("chat"))
            .findFirst()
            .orElseThrow();
    assertThat(span)
        .hasName("chat gpt-4o")
        .hasKind(SpanKind.CLIENT)
        .hasParentSpanId(parent.getSpanContext().getSpanId())
        .hasStatus(io.opentelemetry.sdk.trace.data.StatusData.unset())
        .hasTotalRecordedEvents(0)
        .hasAttributesSatisfyingExactly(
            equalTo(AttributeKey.stringKey("gen_ai.operation.name"), "chat"),
            equalTo(AttributeKey.stringKey("gen_ai.provider.name"), "openai"),
            equalTo(AttributeKey.stringKey("gen_ai.request.model"), "gpt-4o"),
            equalTo(AttributeKey.stringKey("gen_ai.response.model"), "gpt-3.5-turbo-0613"),
            equalTo(AttributeKey.doubleKey("gen_ai.request.temperature"), 0.3),
            equalTo(AttributeKey.longKey("gen_ai.request.max_tokens"), 64L),
            equalTo(AttributeKey.stringArrayKey("gen_ai.request.stop_sequences"), List.of("\n\n")),
            equalTo(AttributeKey.booleanKey("gen_ai.request.stream"), true),
            equalTo(AttributeKey.stringArrayKey("gen_ai.response.finish_reasons"), List.of("stop")),
            equalTo(AttributeKey.longKey("gen_ai.usage.input_tokens"), 12L),
            equalTo(AttributeKey.longKey("gen_ai.usage.output_tokens"), 2L),
            equalTo(AttributeKey.stringKey("server.address"), "127.0.0.1"),
            equalTo(AttributeKey.longKey("server.port"), (long) server.port()));

    Attributes common =
        Attributes.builder()
            .put("gen_ai.operation.name", "chat")
            .put("gen_ai.provider.name", "openai")
            .put("gen_ai.request.model", "gpt-4o")
            .put("gen_ai.response.model", "gpt-3.5-turbo-0613")
            .put("server.address", "127.0.0.1")
            .put("server.port", (long) server.port())
            .build();
    MetricData tokens = metric("gen_ai.client.token.usage");
    assertThat(tokens).hasUnit("{token}");
    assertThat(points(tokens))
        .extracting(
            HistogramPointData::getAttributes,
            HistogramPointData::getSum,
            HistogramPointData::getCount)
        .containsExactlyInAnyOrder(
            org.assertj.core.groups.Tuple.tuple(
                common.toBuilder().put("gen_ai.token.type", "input").build(), 12.0, 1L),
            org.assertj.core.groups.Tuple.tuple(
                common.toBuilder().put("gen_ai.token.type", "output").build(), 2.0, 1L));
    MetricData duration = metric("gen_ai.client.operation.duration");
    assertThat(duration).hasUnit("s");
    HistogramPointData call = points(duration).get(0);
    assertThat(points(duration)).hasSize(1);
    assertThat(call.getAttributes()).isEqualTo(common);
    assertThat(call.getSum())
        .isEqualTo(
            (span.getEndEpochNanos() - span.getStartEpochNanos()) / 1e9,
            org.assertj.core.data.Offset.offset(1e-6));
    MetricData firstChunk = metric("gen_ai.client.operation.time_to_first_chunk");
    assertThat(firstChunk).hasUnit("s");
    assertThat(points(firstChunk))
        .singleElement()
        .satisfies(
            point -> {
              assertThat(point.getAttributes()).isEqualTo(common);
              assertThat(point.getCount()).isEqualTo(1);
              assertThat(point.getSum()).isPositive().isLessThanOrEqualTo(call.getSum());
            });
  }

  @Test
  void aFailedCallSetsErrorTypeOnTheSpanAndTheDurationAndRecordsNoTokens() {
    server.enqueue(
        exchange ->
            exchange.respond(
                401,
                "application/json",
                "{\"error\":{\"message\":\"Incorrect API key provided\",\"type\":\"invalid_request_error\"}}"));
    ProviderException failure;
    try (ProviderRegistry registry =
        registry(
            new OpenTelemetryCallListener(OTEL.getOpenTelemetry()), openAi("OpenAI", server, 1))) {
      CompletionStream stream = registry.get("openai").complete(request());
      failure =
          org.assertj.core.api.Assertions.catchThrowableOfType(
              ProviderException.class, stream::text);
    }

    assertThat(failure.kind()).isEqualTo(ProviderException.Kind.AUTH);
    assertThat(OTEL.getSpans())
        .singleElement()
        .satisfies(
            span ->
                assertThat(span)
                    .hasName("chat gpt-4o")
                    .hasStatus(
                        io.opentelemetry.sdk.trace.data.StatusData.create(
                            StatusCode.ERROR, failure.getMessage()))
                    .hasAttribute(AttributeKey.stringKey("error.type"), "auth")
                    .hasAttribute(AttributeKey.stringKey("gen_ai.response.model"), "gpt-4o")
                    .doesNotHave(
                        new org.assertj.core.api.Condition<>(
                            s ->
                                s.getAttributes()
                                        .get(AttributeKey.longKey("gen_ai.usage.input_tokens"))
                                    != null,
                            "usage")));
    assertThat(points(metric("gen_ai.client.operation.duration")))
        .singleElement()
        .satisfies(
            point ->
                assertThat(point.getAttributes().get(AttributeKey.stringKey("error.type")))
                    .isEqualTo("auth"));
    org.assertj.core.api.Assertions.assertThat(OTEL.getMetrics())
        .extracting(MetricData::getName)
        .containsExactly("gen_ai.client.operation.duration");
  }

  @Test
  void aChainIsOneSpanNamingTheProviderThatAnsweredWithOneEventPerFallback() {
    server.enqueue(
        exchange ->
            exchange.respond(
                503,
                "application/json",
                "{\"error\":{\"message\":\"overloaded\",\"type\":\"server_error\"}}"));
    backupServer.enqueue(
        OpenAiSse.stream(OpenAiSse.ROLE, OpenAiSse.content("Hi"), OpenAiSse.STOP, OpenAiSse.DONE));
    String message;
    try (ProviderRegistry registry =
        registry(
            new OpenTelemetryCallListener(OTEL.getOpenTelemetry()),
            openAi("Mistral", server, 1),
            openAi("Groq", backupServer, 1))) {
      ProviderChain chain = ProviderChain.parse(registry, "mistral,groq:gpt-4o-mini");
      List<CompletionEvent> events = new java.util.ArrayList<>();
      chain.complete(request()).events().forEach(events::add);
      message =
          events.stream()
              .filter(CompletionEvent.FellBack.class::isInstance)
              .map(e -> ((CompletionEvent.FellBack) e).failure().getMessage())
              .findFirst()
              .orElseThrow();
    }

    assertThat(OTEL.getSpans())
        .as("the links are not spans of their own")
        .singleElement()
        .satisfies(
            span -> {
              assertThat(span)
                  .hasName("chat gpt-4o")
                  .hasAttribute(AttributeKey.stringKey("gen_ai.provider.name"), "groq")
                  .hasAttribute(
                      AttributeKey.stringKey("gen_ai.response.model"), "gpt-3.5-turbo-0613")
                  .hasStatus(io.opentelemetry.sdk.trace.data.StatusData.unset())
                  .hasEventsSatisfyingExactly(
                      event ->
                          event
                              .hasName("completions.fallback")
                              .hasAttributesSatisfyingExactly(
                                  equalTo(
                                      AttributeKey.stringKey("gen_ai.provider.name"), "mistral_ai"),
                                  equalTo(AttributeKey.stringKey("gen_ai.request.model"), "gpt-4o"),
                                  equalTo(AttributeKey.stringKey("error.type"), "server"),
                                  equalTo(AttributeKey.stringKey("exception.message"), message)));
            });
    org.assertj.core.api.Assertions.assertThat(message)
        .isEqualTo("[Mistral] HTTP 503: overloaded (type server_error)");
  }

  @Test
  void aRetryIsASpanEventWithTheFailedAttemptAndTheWait() {
    server.enqueue(
        exchange ->
            exchange.respond(
                503,
                "application/json",
                "{\"error\":{\"message\":\"busy\",\"type\":\"server_error\"}}",
                "Retry-After-Ms: 0"));
    server.enqueue(
        OpenAiSse.stream(OpenAiSse.ROLE, OpenAiSse.content("Hi"), OpenAiSse.STOP, OpenAiSse.DONE));
    try (ProviderRegistry registry =
        registry(
            new OpenTelemetryCallListener(OTEL.getOpenTelemetry()), openAi("OpenAI", server, 2))) {
      assertThat(registry.get("openai").complete(request()).text()).isEqualTo("Hi");
    }

    assertThat(OTEL.getSpans())
        .singleElement()
        .satisfies(
            span ->
                assertThat(span)
                    .hasEventsSatisfyingExactly(
                        event ->
                            event
                                .hasName("completions.retry")
                                .hasAttributesSatisfyingExactly(
                                    equalTo(
                                        AttributeKey.stringKey("gen_ai.provider.name"), "openai"),
                                    equalTo(AttributeKey.longKey("completions.attempt"), 1L),
                                    equalTo(AttributeKey.stringKey("error.type"), "server"),
                                    equalTo(
                                        AttributeKey.doubleKey("completions.retry.delay"), 0.0))));
  }

  @Test
  void anInProcessProviderIsAnInternalSpanWithoutServerAttributes() {
    try (ProviderRegistry registry =
        registry(new OpenTelemetryCallListener(OTEL.getOpenTelemetry()), new InProcess())) {
      assertThat(registry.get("inprocess").complete(CompletionRequest.of("Hi")).text())
          .isEqualTo("Once");
    }

    assertThat(OTEL.getSpans())
        .singleElement()
        .satisfies(
            span ->
                assertThat(span)
                    .hasName("chat tiny")
                    .hasKind(SpanKind.INTERNAL)
                    .hasAttribute(AttributeKey.stringKey("gen_ai.provider.name"), "inprocess")
                    .hasAttribute(AttributeKey.longKey("gen_ai.usage.output_tokens"), 1L)
                    .satisfies(
                        s ->
                            org.assertj.core.api.Assertions.assertThat(
                                    s.getAttributes().get(AttributeKey.stringKey("server.address")))
                                .isNull()));
  }

  @Test
  void contentIsRecordedOnlyWhenAskedFor() {
    for (int i = 0; i < 2; i++) {
      server.enqueue(
          OpenAiSse.stream(
              OpenAiSse.ROLE, OpenAiSse.content("Hi \"you\""), OpenAiSse.STOP, OpenAiSse.DONE));
    }
    CompletionRequest request =
        CompletionRequest.builder()
            .model("gpt-4o")
            .system("Be brief.")
            .message(Message.user("Hello\n"))
            .build();
    try (ProviderRegistry quiet =
            registry(
                new OpenTelemetryCallListener(OTEL.getOpenTelemetry()),
                openAi("OpenAI", server, 1));
        ProviderRegistry telling =
            registry(
                new OpenTelemetryCallListener(OTEL.getOpenTelemetry(), true),
                openAi("OpenAI", server, 1))) {
      assertThat(quiet.get("openai").complete(request).text()).isEqualTo("Hi \"you\"");
      assertThat(telling.get("openai").complete(request).text()).isEqualTo("Hi \"you\"");
    }

    List<SpanData> spans = OTEL.getSpans();
    org.assertj.core.api.Assertions.assertThat(spans).hasSize(2);
    org.assertj.core.api.Assertions.assertThat(
            spans.get(0).getAttributes().get(OpenTelemetryCallListener.INPUT_MESSAGES))
        .isNull();
    org.assertj.core.api.Assertions.assertThat(
            spans.get(0).getAttributes().get(OpenTelemetryCallListener.OUTPUT_MESSAGES))
        .isNull();
    assertThat(spans.get(1))
        .hasAttribute(
            OpenTelemetryCallListener.INPUT_MESSAGES,
            "[{\"role\":\"system\",\"parts\":[{\"type\":\"text\",\"content\":\"Be brief.\"}]},"
                + "{\"role\":\"user\",\"parts\":[{\"type\":\"text\",\"content\":\"Hello\\n\"}]}]")
        .hasAttribute(
            OpenTelemetryCallListener.OUTPUT_MESSAGES,
            "[{\"role\":\"assistant\",\"parts\":[{\"type\":\"text\",\"content\":\"Hi \\\"you\\\"\"}],"
                + "\"finish_reason\":\"stop\"}]");
  }

  @Test
  void theListenerIsAServiceSoAJarOnTheClassPathTurnsItOn() {
    org.assertj.core.api.Assertions.assertThat(
            StreamSupport.stream(ServiceLoader.load(CallListener.class).spliterator(), false)
                .map(Object::getClass))
        .containsExactly(OpenTelemetryCallListener.class);
  }

  @Test
  void aNullOpenTelemetryIsRefused() {
    assertThatThrownBy(() -> new OpenTelemetryCallListener(null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("openTelemetry must not be null");
  }

  /** A provider that answers in this process: no endpoint. */
  private static final class InProcess implements CompletionProvider {
    record Params(String model, List<Message> messages, boolean stream, double temperature) {}

    @Override
    public ProviderInfo info() {
      return new ProviderInfo(
          "InProcess",
          URI.create("https://example.com/inprocess"),
          List.of("tiny"),
          "tiny",
          true,
          false,
          java.util.Set.of());
    }

    @Override
    public Class<? extends Record> parameters() {
      return Params.class;
    }

    @Override
    public java.util.Optional<URI> endpoint() {
      return java.util.Optional.empty();
    }

    @Override
    public CompletionStream complete(CompletionRequest request) {
      Deque<CompletionEvent> events =
          new ArrayDeque<>(
              List.of(
                  new CompletionEvent.Text("Once"),
                  new CompletionEvent.Finish("eos"),
                  new CompletionEvent.UsageReport(new Usage(3, 1, -1))));
      return CompletionStream.of(
          "InProcess",
          "tiny",
          new EventFeed() {
            @Override
            public CompletionEvent next() {
              return events.poll();
            }

            @Override
            public void close() {}
          });
    }
  }
}
