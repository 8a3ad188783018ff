package dev.completions.opentelemetry;

import com.google.auto.service.AutoService;
import dev.completions.api.CallListener;
import dev.completions.api.CallObserver;
import dev.completions.api.CallRecord;
import dev.completions.api.CallStart;
import dev.completions.api.CompletionEvent;
import dev.completions.api.CompletionRequest;
import dev.completions.api.ConfigSource;
import dev.completions.api.Usage;
import io.opentelemetry.api.GlobalOpenTelemetry;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.api.metrics.DoubleHistogram;
import io.opentelemetry.api.metrics.LongHistogram;
import io.opentelemetry.api.metrics.Meter;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Turns every observed call into an OpenTelemetry span and three GenAI client histograms, named as
 * the GenAI semantic conventions (v1.41) name them.
 *
 * <p><b>The span</b> is {@code chat {gen_ai.request.model}}, a child of the caller's current
 * context, of kind CLIENT, or INTERNAL for a provider that answers in-process (one whose {@link
 * dev.completions.api.CompletionProvider#endpoint()} is empty, such as Local). Its attributes:
 * {@code gen_ai.operation.name} ({@code chat}), {@code gen_ai.provider.name} (the provider that
 * answered, or was tried last; the conventions' well-known value where there is one, such as {@code
 * openai}, {@code mistral_ai}, {@code x_ai}, else the provider's name in lower case), {@code
 * gen_ai.request.model}, {@code gen_ai.response.model}, {@code gen_ai.request.temperature}, {@code
 * gen_ai.request.max_tokens}, {@code gen_ai.request.top_p}, {@code gen_ai.request.stop_sequences},
 * {@code gen_ai.request.seed} and {@code gen_ai.request.stream} when the request sets them, {@code
 * gen_ai.response.finish_reasons}, {@code gen_ai.usage.input_tokens} and {@code
 * gen_ai.usage.output_tokens} when reported, {@code server.address} and {@code server.port} for a
 * remote provider, and on failure {@code error.type} (the failure's kind, such as {@code
 * rate_limit}) with the status ERROR. A fallback chain adds one {@code completions.fallback} event
 * per provider it left ({@code gen_ai.provider.name}, {@code gen_ai.request.model}, {@code
 * error.type}, {@code exception.message}); a retry adds a {@code completions.retry} event.
 *
 * <p><b>The histograms</b>: {@code gen_ai.client.token.usage} (unit {@code {token}}, one value per
 * {@code gen_ai.token.type}, {@code input} and {@code output}), {@code
 * gen_ai.client.operation.duration} ({@code s}) and {@code
 * gen_ai.client.operation.time_to_first_chunk} ({@code s}), each with {@code
 * gen_ai.operation.name}, {@code gen_ai.provider.name}, {@code gen_ai.request.model}, {@code
 * gen_ai.response.model}, {@code server.address}, {@code server.port} and, on failure, {@code
 * error.type}.
 *
 * <p><b>Content</b> (the prompt and the answer) is never recorded unless asked for: with {@link
 * #CAPTURE_CONTENT_PROPERTY} set to {@code true} (or {@code
 * OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT=true}, or the constructor's flag), the span
 * gets the opt-in {@code gen_ai.input.messages} and {@code gen_ai.output.messages} attributes.
 *
 * <p>The no-argument constructor, which ServiceLoader uses, takes {@link GlobalOpenTelemetry} at
 * each call: until an SDK is set as the global one, calls are left unobserved and cost nothing.
 * Thread-safe.
 */
@AutoService(CallListener.class)
public final class OpenTelemetryCallListener implements CallListener {

  /** The property (or {@code OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT}) opting in. */
  public static final String CAPTURE_CONTENT_PROPERTY =
      "otel.instrumentation.genai.capture-message-content";

  /** The instrumentation scope of the spans and metrics. */
  public static final String SCOPE = "dev.completions";

  static final AttributeKey<String> OPERATION = AttributeKey.stringKey("gen_ai.operation.name");
  static final AttributeKey<String> PROVIDER = AttributeKey.stringKey("gen_ai.provider.name");
  static final AttributeKey<String> REQUEST_MODEL = AttributeKey.stringKey("gen_ai.request.model");
  static final AttributeKey<String> RESPONSE_MODEL =
      AttributeKey.stringKey("gen_ai.response.model");
  static final AttributeKey<Double> TEMPERATURE =
      AttributeKey.doubleKey("gen_ai.request.temperature");
  static final AttributeKey<Long> MAX_TOKENS = AttributeKey.longKey("gen_ai.request.max_tokens");
  static final AttributeKey<Double> TOP_P = AttributeKey.doubleKey("gen_ai.request.top_p");
  static final AttributeKey<List<String>> STOP_SEQUENCES =
      AttributeKey.stringArrayKey("gen_ai.request.stop_sequences");
  static final AttributeKey<Long> SEED = AttributeKey.longKey("gen_ai.request.seed");
  static final AttributeKey<Boolean> STREAM = AttributeKey.booleanKey("gen_ai.request.stream");
  static final AttributeKey<List<String>> FINISH_REASONS =
      AttributeKey.stringArrayKey("gen_ai.response.finish_reasons");
  static final AttributeKey<Long> INPUT_TOKENS = AttributeKey.longKey("gen_ai.usage.input_tokens");
  static final AttributeKey<Long> OUTPUT_TOKENS =
      AttributeKey.longKey("gen_ai.usage.output_tokens");
  static final AttributeKey<String> SERVER_ADDRESS = AttributeKey.stringKey("server.address");
  static final AttributeKey<Long> SERVER_PORT = AttributeKey.longKey("server.port");
  static final AttributeKey<String> ERROR_TYPE = AttributeKey.stringKey("error.type");
  static final AttributeKey<String> TOKEN_TYPE = AttributeKey.stringKey("gen_ai.token.type");
  static final AttributeKey<String> EXCEPTION_MESSAGE = AttributeKey.stringKey("exception.message");
  static final AttributeKey<Long> ATTEMPT = AttributeKey.longKey("completions.attempt");
  static final AttributeKey<Double> RETRY_DELAY = AttributeKey.doubleKey("completions.retry.delay");
  static final AttributeKey<String> INPUT_MESSAGES =
      AttributeKey.stringKey("gen_ai.input.messages");
  static final AttributeKey<String> OUTPUT_MESSAGES =
      AttributeKey.stringKey("gen_ai.output.messages");

  /** The conventions' well-known provider names, by our providers' names in lower case. */
  private static final Map<String, String> WELL_KNOWN =
      Map.of(
          "openai", "openai",
          "groq", "groq",
          "deepseek", "deepseek",
          "mistral", "mistral_ai",
          "xai", "x_ai",
          "claude", "anthropic",
          "anthropic", "anthropic",
          "perplexity", "perplexity",
          "cohere", "cohere");

  /** The conventions' advice: powers of 4 from 1 to 4^13 tokens. */
  private static final List<Long> TOKEN_BUCKETS =
      List.of(
          1L, 4L, 16L, 64L, 256L, 1024L, 4096L, 16384L, 65536L, 262144L, 1048576L, 4194304L,
          16777216L, 67108864L);

  /** The conventions' advice for the operation's duration: 10 ms doubling to 82 s. */
  private static final List<Double> DURATION_BUCKETS =
      List.of(
          0.01, 0.02, 0.04, 0.08, 0.16, 0.32, 0.64, 1.28, 2.56, 5.12, 10.24, 20.48, 40.96, 81.92);

  /** The conventions' advice for the time to the first chunk. */
  private static final List<Double> FIRST_CHUNK_BUCKETS =
      List.of(
          0.001, 0.005, 0.01, 0.02, 0.04, 0.06, 0.08, 0.1, 0.25, 0.5, 0.75, 1.0, 2.5, 5.0, 7.5,
          10.0);

  /** The most answer text kept for {@code gen_ai.output.messages} when content is captured. */
  static final int CONTENT_LIMIT = 64 * 1024;

  private final OpenTelemetry fixed;
  private final boolean captureContent;
  private volatile Instruments instruments;

  /**
   * The listener ServiceLoader makes: {@link GlobalOpenTelemetry} once it is set (calls before that
   * are not observed), content captured only when {@link #CAPTURE_CONTENT_PROPERTY} (or its
   * environment variable) is {@code true}. Does no I/O.
   */
  public OpenTelemetryCallListener() {
    this.fixed = null;
    this.captureContent = captureContentConfigured();
  }

  /**
   * A listener reporting to this OpenTelemetry, without content.
   *
   * @param openTelemetry where spans and metrics go
   * @throws IllegalArgumentException when it is null
   */
  public OpenTelemetryCallListener(OpenTelemetry openTelemetry) {
    this(openTelemetry, false);
  }

  /**
   * A listener reporting to this OpenTelemetry.
   *
   * @param openTelemetry where spans and metrics go
   * @param captureContent whether the prompt and the answer are recorded ({@code
   *     gen_ai.input.messages}, {@code gen_ai.output.messages})
   * @throws IllegalArgumentException when the OpenTelemetry is null
   */
  public OpenTelemetryCallListener(OpenTelemetry openTelemetry, boolean captureContent) {
    this.fixed = requireNonNull(openTelemetry);
    this.captureContent = captureContent;
  }

  private static OpenTelemetry requireNonNull(OpenTelemetry openTelemetry) {
    if (openTelemetry == null) {
      throw new IllegalArgumentException("openTelemetry must not be null");
    }
    return openTelemetry;
  }

  private static boolean captureContentConfigured() {
    return Boolean.parseBoolean(
        ConfigSource.system().get(CAPTURE_CONTENT_PROPERTY).orElse("false").strip());
  }

  /**
   * Starts the call's span, a child of the caller's current context.
   *
   * @param start the call's start
   * @return the call's observer; null while no global OpenTelemetry is set (for the no-argument
   *     constructor)
   */
  @Override
  public CallObserver onStart(CallStart start) {
    Instruments current = instruments();
    if (current == null) {
      return null;
    }
    URI endpoint = start.endpoint();
    AttributesBuilder common =
        Attributes.builder().put(OPERATION, "chat").put(REQUEST_MODEL, start.model());
    if (endpoint != null && endpoint.getHost() != null) {
      common.put(SERVER_ADDRESS, endpoint.getHost()).put(SERVER_PORT, (long) port(endpoint));
    }
    Attributes shared = common.build();
    Span span =
        current
            .tracer
            .spanBuilder("chat " + start.model())
            .setParent(Context.current())
            .setSpanKind(endpoint == null ? SpanKind.INTERNAL : SpanKind.CLIENT)
            .setStartTimestamp(start.started())
            .setAllAttributes(shared)
            .setAllAttributes(requestAttributes(start.request()))
            .startSpan();
    if (captureContent) {
      span.setAttribute(INPUT_MESSAGES, Content.inputMessages(start.request()));
    }
    return new Observer(current, span, shared, captureContent);
  }

  private Instruments instruments() {
    Instruments current = instruments;
    if (current != null) {
      return current;
    }
    OpenTelemetry openTelemetry = fixed;
    if (openTelemetry == null) {
      if (!GlobalOpenTelemetry.isSet()) {
        return null; // not get(): it would make the no-op implementation the global one for good
      }
      openTelemetry = GlobalOpenTelemetry.get();
    }
    current = new Instruments(openTelemetry);
    instruments = current;
    return current;
  }

  private static Attributes requestAttributes(CompletionRequest request) {
    AttributesBuilder attributes = Attributes.builder().put(STREAM, request.stream());
    if (request.temperature() != null) {
      attributes.put(TEMPERATURE, request.temperature());
    }
    if (request.maxTokens() != null) {
      attributes.put(MAX_TOKENS, request.maxTokens().longValue());
    }
    if (!request.stop().isEmpty()) {
      attributes.put(STOP_SEQUENCES, request.stop());
    }
    if (request.options().get("top_p") instanceof Number topP) {
      attributes.put(TOP_P, topP.doubleValue());
    }
    if (request.options().get("seed") instanceof Number seed) {
      attributes.put(SEED, seed.longValue());
    }
    return attributes.build();
  }

  private static int port(URI endpoint) {
    if (endpoint.getPort() >= 0) {
      return endpoint.getPort();
    }
    return "http".equalsIgnoreCase(endpoint.getScheme()) ? 80 : 443;
  }

  /**
   * The conventions' well-known name of a provider, else its name in lower case.
   *
   * @param provider a provider's name
   * @return the value of {@code gen_ai.provider.name}
   */
  static String providerName(String provider) {
    String lower = provider.toLowerCase(Locale.ROOT);
    return WELL_KNOWN.getOrDefault(lower, lower);
  }

  /** The tracer and histograms of one OpenTelemetry. */
  private static final class Instruments {
    final Tracer tracer;
    final LongHistogram tokens;
    final DoubleHistogram duration;
    final DoubleHistogram firstChunk;

    Instruments(OpenTelemetry openTelemetry) {
      tracer = openTelemetry.getTracer(SCOPE);
      Meter meter = openTelemetry.getMeter(SCOPE);
      tokens =
          meter
              .histogramBuilder("gen_ai.client.token.usage")
              .setDescription("Number of input and output tokens used.")
              .setUnit("{token}")
              .ofLongs()
              .setExplicitBucketBoundariesAdvice(TOKEN_BUCKETS)
              .build();
      duration =
          meter
              .histogramBuilder("gen_ai.client.operation.duration")
              .setDescription("GenAI operation duration.")
              .setUnit("s")
              .setExplicitBucketBoundariesAdvice(DURATION_BUCKETS)
              .build();
      firstChunk =
          meter
              .histogramBuilder("gen_ai.client.operation.time_to_first_chunk")
              .setDescription("Time to receive the first chunk of a streaming answer.")
              .setUnit("s")
              .setExplicitBucketBoundariesAdvice(FIRST_CHUNK_BUCKETS)
              .build();
    }
  }

  /** One call's span, ended with the call's record. */
  private static final class Observer implements CallObserver {
    private final Instruments instruments;
    private final Span span;
    private final Attributes shared;
    private final StringBuilder answer;

    Observer(Instruments instruments, Span span, Attributes shared, boolean captureContent) {
      this.instruments = instruments;
      this.span = span;
      this.shared = shared;
      this.answer = captureContent ? new StringBuilder() : null;
    }

    @Override
    public void onEvent(CompletionEvent event) {
      if (event instanceof CompletionEvent.Text text) {
        if (answer != null && answer.length() < CONTENT_LIMIT) {
          answer.append(
              text.text(), 0, Math.min(text.text().length(), CONTENT_LIMIT - answer.length()));
        }
      } else if (event instanceof CompletionEvent.FellBack fellBack) {
        span.addEvent(
            "completions.fallback",
            Attributes.of(
                PROVIDER,
                providerName(fellBack.provider()),
                REQUEST_MODEL,
                fellBack.model(),
                ERROR_TYPE,
                fellBack.failure().kind().wireName(),
                EXCEPTION_MESSAGE,
                fellBack.failure().getMessage()));
      } else if (event instanceof CompletionEvent.Retrying retrying) {
        span.addEvent(
            "completions.retry",
            Attributes.of(
                PROVIDER,
                providerName(retrying.provider()),
                ATTEMPT,
                (long) retrying.attempt(),
                ERROR_TYPE,
                retrying.failure().kind().wireName(),
                RETRY_DELAY,
                retrying.delay().toNanos() / 1e9));
      }
    }

    @Override
    public void onEnd(CallRecord record) {
      String provider = providerName(record.provider());
      AttributesBuilder metric =
          shared.toBuilder().put(PROVIDER, provider).put(RESPONSE_MODEL, record.model());
      span.setAttribute(PROVIDER, provider);
      span.setAttribute(RESPONSE_MODEL, record.model());
      if (record.finishReason() != null) {
        span.setAttribute(FINISH_REASONS, List.of(record.finishReason()));
      }
      Usage usage = record.usage();
      if (usage != null && usage.promptTokens() >= 0) {
        span.setAttribute(INPUT_TOKENS, usage.promptTokens());
      }
      if (usage != null && usage.completionTokens() >= 0) {
        span.setAttribute(OUTPUT_TOKENS, usage.completionTokens());
      }
      if (record.error() != null) {
        String type = record.error().kind().wireName();
        span.setAttribute(ERROR_TYPE, type);
        span.setStatus(StatusCode.ERROR, record.error().getMessage());
        metric.put(ERROR_TYPE, type);
      }
      if (answer != null) {
        span.setAttribute(
            OUTPUT_MESSAGES, Content.outputMessages(answer.toString(), record.finishReason()));
      }
      span.end(record.ended());
      Attributes attributes = metric.build();
      instruments.duration.record(record.duration().toNanos() / 1e9, attributes);
      record
          .timeToFirstToken()
          .ifPresent(ttft -> instruments.firstChunk.record(ttft.toNanos() / 1e9, attributes));
      if (usage != null && usage.promptTokens() >= 0) {
        instruments.tokens.record(
            usage.promptTokens(), attributes.toBuilder().put(TOKEN_TYPE, "input").build());
      }
      if (usage != null && usage.completionTokens() >= 0) {
        instruments.tokens.record(
            usage.completionTokens(), attributes.toBuilder().put(TOKEN_TYPE, "output").build());
      }
    }
  }
}
