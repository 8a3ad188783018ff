package dev.completions.tck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.completions.api.Capability;
import dev.completions.api.CompletionEvent;
import dev.completions.api.CompletionProvider;
import dev.completions.api.CompletionRequest;
import dev.completions.api.CompletionStream;
import dev.completions.api.ContentPart;
import dev.completions.api.Message;
import dev.completions.api.MissingCapabilityException;
import dev.completions.api.ParameterInfo;
import dev.completions.api.Parameters;
import dev.completions.api.ProviderException;
import dev.completions.api.ProviderException.Kind;
import dev.completions.api.ResponseFormat;
import dev.completions.api.Tool;
import dev.completions.api.ToolCall;
import dev.completions.api.Usage;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The SPI contract, checked for any provider: extend this class in the provider's own tests, say
 * how to build the provider against a base URL, and write a {@link WireFormat} adapter; the kit
 * serves scripted answers from a {@link LoopbackServer} and checks:
 *
 * <ul>
 *   <li>what the provider sends, against the author's {@link #expectedRequest()}: method and path,
 *       where the key goes, the model, the messages and the stream flag in the body, on every
 *       attempt; and, for a provider that declares {@link Capability#TOOLS}, the offered tools and
 *       a conversation's tool calls and results;
 *   <li>capabilities: each one the provider does not declare in {@link
 *       dev.completions.api.ProviderInfo#capabilities()} refused before any I/O with a {@link
 *       MissingCapabilityException} naming the provider and the capability, each one it declares
 *       served; a tool call streamed in fragments turned into one whole {@link ToolCall} by a
 *       provider that declares tools;
 *   <li>metadata a provider can get wrong, parameter declarations, validation before I/O and
 *       construction without I/O;
 *   <li>tokens in order, early close, partial text on a cut connection, an error event inside the
 *       stream and a stream that ends without its end marker, finish reason, usage and reasoning
 *       events, and non-streamed answers;
 *   <li>each HTTP error status mapped to its exact {@link ProviderException} subclass naming the
 *       provider, retried or not as its kind says, with the wait a 429 asked for;
 *   <li>retries: as many attempts as the author declares in {@link #attempts()}, and a {@code
 *       Retry-After} wait honoured before the next attempt;
 *   <li>the first-byte and idle timeouts.
 * </ul>
 *
 * <p>Tests that need something the author did not state (an {@link #expectedRequest()}, an optional
 * {@link WireFormat} hook, more than one attempt, a capability in {@link
 * dev.completions.api.ProviderInfo#capabilities()}) are skipped, never passed.
 */
public abstract class ProviderConformanceTest {

  // exact names: Parameters.STANDARD_NAMES is display text, where "p" would be found inside
  // "temperature"
  private static final Set<String> STANDARD_NAMES = Set.of(Parameters.STANDARD_NAMES.split(", "));

  private static final Duration SHORT_TIMEOUT = Duration.ofMillis(300);

  /**
   * The tool the kit offers: a name no real tool has, a description and a schema of two parameters.
   */
  static final Tool WEATHER =
      Tool.of(
          "kit_weather",
          "The current weather in a city, for the conformance kit",
          "{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\",\"description\":\"The city's name\"},"
              + "\"unit\":{\"type\":\"string\",\"enum\":[\"celsius\",\"fahrenheit\"]}},\"required\":[\"city\"]}");

  /**
   * A whole PNG image of one pixel, sent as bytes: every format that takes images takes them
   * inline.
   */
  private static final byte[] PIXEL =
      Base64.getDecoder()
          .decode(
              "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=");

  /** The id of the kit's tool calls. */
  static final String TOOL_CALL_ID = "call_kit_1";

  /** The server the provider under test talks to; closed after each test. */
  protected final LoopbackServer server = LoopbackServer.start();

  private final List<CompletionProvider> created = new ArrayList<>();

  /**
   * A new provider that sends its requests to {@code baseUrl}, waits at most {@code timeout} for
   * the response head (the first byte) and between two reads of the answer, and makes {@link
   * #attempts()} attempts per request.
   *
   * @param baseUrl the loopback server's URL, to use as the provider's base URL (the path the
   *     provider appends follows it)
   * @param timeout the first-byte and idle timeout
   * @return the provider; the kit closes it after the test
   */
  protected abstract CompletionProvider createProvider(URI baseUrl, Duration timeout);

  /**
   * The adapter that renders scripted answers in the provider's wire format.
   *
   * @return the wire format
   */
  protected abstract WireFormat wireFormat();

  /**
   * A request the provider accepts; override to add what the provider requires.
   *
   * @return the request
   */
  protected CompletionRequest request() {
    return CompletionRequest.of("Hello");
  }

  /**
   * How many attempts the provider built by {@link #createProvider} makes per request, the first
   * included, while no text was delivered; the kit scripts that many failures for a retryable error
   * and expects that many requests. Default: 1 (no retries), and the retry tests are skipped.
   *
   * @return the attempts per request, at least 1
   */
  protected int attempts() {
    return 1;
  }

  /**
   * The request the provider must send for the kit's requests, checked on every request the request
   * tests record, retries included. Default: null, and the request tests are skipped.
   *
   * @return the expected request, or null
   */
  protected ExpectedRequest expectedRequest() {
    return null;
  }

  @AfterEach
  void closeKit() {
    created.forEach(CompletionProvider::close);
    server.close();
  }

  /** Writes the part of a streamed answer after its head and preamble. */
  @FunctionalInterface
  private interface Body {
    void write(WireFormat wire, LoopbackServer.Exchange exchange)
        throws IOException, InterruptedException;
  }

  private CompletionProvider provider() {
    return provider(Duration.ofSeconds(10));
  }

  private CompletionProvider provider(Duration timeout) {
    CompletionProvider provider = createProvider(server.url(), timeout);
    created.add(provider);
    return provider;
  }

  private LoopbackServer.Script streamed(Body body) {
    WireFormat wire = wireFormat();
    return exchange -> {
      wire.head(exchange);
      wire.preamble(exchange);
      body.write(wire, exchange);
    };
  }

  private LoopbackServer.Script tokens(List<String> tokens) {
    return streamed(
        (wire, exchange) -> {
          for (String token : tokens) {
            wire.token(exchange, token);
          }
          wire.end(exchange);
        });
  }

  private LoopbackServer.Script error(int status, String... headers) {
    WireFormat wire = wireFormat();
    return exchange -> {
      for (String header : headers) {
        exchange.addHeader(header);
      }
      wire.error(exchange, status, "scripted failure " + status);
    };
  }

  /** Skips the test unless the wire format provides the optional hook the body uses. */
  private void requireHook(Body body) {
    // a hook left at its default aborts here, on the test's thread, instead of on the server's
    try {
      body.write(wireFormat(), LoopbackServer.Exchange.discarding());
    } catch (IOException | InterruptedException e) {
      throw new AssertionError("the wire format failed to render an answer: " + e, e);
    }
  }

  private ExpectedRequest stated() {
    ExpectedRequest expected = expectedRequest();
    assumeTrue(expected != null, "expectedRequest() states no request");
    return expected;
  }

  private String modelFor(CompletionProvider provider, CompletionRequest request) {
    return request.model() != null ? request.model() : provider.info().defaultModel();
  }

  /** The request the provider sent for this one, after a successful answer. */
  private RecordedRequest sent(CompletionRequest request) {
    server.enqueue(tokens(List.of("ok")));
    assertThat(provider().complete(request).text()).isEqualTo("ok");
    return server.takeRequestQuietly();
  }

  private static void assertNamesProvider(ProviderException e, CompletionProvider provider) {
    String name = provider.info().name();
    assertThat(e.provider()).as("the failing provider").isEqualTo(name);
    assertThat(e.getMessage()).as("the message names the provider").contains(name);
  }

  // ---- what the provider is

  @Test
  void infoIsTheSameOnEveryCall() {
    CompletionProvider provider = provider();
    assertThat(provider.info())
        .as("info() is constant for the instance's life")
        .isEqualTo(provider.info());
    assertThat(provider().info()).as("two providers built alike").isEqualTo(provider.info());
  }

  @Test
  void theHomePageIsAWebAddress() {
    URI url = provider().info().url();
    assertThat(url.getScheme()).as("the scheme of %s", url).isIn("http", "https");
    assertThat(url.getHost()).as("the host of %s", url).isNotBlank();
  }

  @Test
  void theAnswerNamesTheProvider() {
    server.enqueue(tokens(List.of("ok")));
    CompletionProvider provider = provider();
    try (CompletionStream stream = provider.complete(request())) {
      assertThat(stream.text()).isEqualTo("ok");
      assertThat(stream.provider()).isEqualTo(provider.info().name());
    }
  }

  @Test
  void parametersReflectAndDescribe() {
    CompletionProvider provider = provider();
    Parameters parameters = Parameters.of(provider.info().name(), provider.parameters());
    // the token limit and stop sequences are standard fields a provider may not take
    assertThat(parameters.list())
        .extracting(ParameterInfo::name)
        .contains("model", "messages", "stream", "temperature");
    assertThat(parameters.describe())
        .startsWith(provider.info().name() + " supports: (")
        .endsWith(")");
  }

  @Test
  void constructingAndStartingARequestDoNoIo() {
    CompletionProvider provider = provider();
    provider.complete(request()).close();
    assertThat(server.connectionCount()).as("connections made without reading the answer").isZero();
  }

  @Test
  void anUndeclaredOptionIsRefusedBeforeAnyIo() {
    CompletionRequest request =
        request().toBuilder().option("no_such_option_" + System.nanoTime(), 1).build();
    assertThatThrownBy(() -> provider().complete(request).close())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("does not accept option");
    assertThat(server.connectionCount()).isZero();
  }

  @Test
  void anOutOfBoundsOptionIsRefusedBeforeAnyIo() {
    CompletionProvider provider = provider();
    Optional<ParameterInfo> bounded =
        boundedOption(Parameters.of(provider.info().name(), provider.parameters()));
    assumeTrue(bounded.isPresent(), "the provider declares no bounded option");
    ParameterInfo option = bounded.get();
    CompletionRequest request =
        request().toBuilder().option(option.name(), outside(option)).build();
    assertThatThrownBy(() -> provider.complete(request).close())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(option.name())
        .hasMessageContaining(option.constraint());
    assertThat(server.connectionCount()).isZero();
  }

  /** The first option (not a standard parameter) with a lower or upper bound. */
  static Optional<ParameterInfo> boundedOption(Parameters parameters) {
    return parameters.list().stream()
        .filter(p -> !STANDARD_NAMES.contains(p.name()) && (p.max() != null || p.min() != null))
        .findFirst();
  }

  /** A value of the option's own type just past one of its bounds, so only the bound refuses it. */
  static Object outside(ParameterInfo option) {
    double value = option.max() != null ? option.max() + 1 : option.min() - 1;
    return switch (option.type()) {
      case "Integer", "int" -> (int) value;
      case "Long", "long" -> (long) value;
      default -> value;
    };
  }

  // ---- what the provider sends

  @Test
  void theRequestUsesTheStatedMethodAndPath() {
    ExpectedRequest expected = stated();
    expected.verifyMethodAndPath(sent(request()));
  }

  @Test
  void theStatedHeadersAndQueryParametersAreSent() {
    ExpectedRequest expected = stated();
    assumeTrue(
        !expected.headers().isEmpty() || !expected.queryParameters().isEmpty(),
        "expectedRequest() states no header and no query parameter");
    expected.verifyHeadersAndQuery(sent(request()));
  }

  @Test
  void theBodyNamesTheDefaultModelWhenTheRequestNamesNone() {
    ExpectedRequest expected = stated();
    assumeTrue(expected.modelField() != null, "the model is not in the body");
    CompletionProvider provider = provider();
    expected.verifyModel(
        sent(request().toBuilder().model(null).build()), provider.info().defaultModel());
  }

  @Test
  void theBodyNamesTheRequestedModel() {
    ExpectedRequest expected = stated();
    assumeTrue(expected.modelField() != null, "the model is not in the body");
    List<String> models = provider().info().models();
    // the last model, which is not the default when there are several: sending the default would
    // not show
    String model = models.get(models.size() - 1);
    expected.verifyModel(sent(request().toBuilder().model(model).build()), model);
  }

  @Test
  void theBodyCarriesTheMessagesInOrder() {
    ExpectedRequest expected = stated();
    CompletionRequest request =
        request().toBuilder()
            .message(Message.assistant("Hi \"there\"\n— how can I help?"))
            .message(Message.user("Tell me a story\tabout a wörld ✓ with \\ and / in it"))
            .build();
    expected.verifyMessages(sent(request), request);
  }

  @Test
  void theBodyAsksForAStream() {
    ExpectedRequest expected = stated();
    assumeTrue(expected.streamField() != null, "the stream flag is not in the body");
    expected.verifyStream(sent(request().toBuilder().stream(true).build()), true);
  }

  @Test
  void aNonStreamedRequestDoesNotAskForAStream() {
    ExpectedRequest expected = stated();
    assumeTrue(expected.streamField() != null, "the stream flag is not in the body");
    requireHook((wire, exchange) -> wire.nonStreamed(exchange, "probe"));
    WireFormat wire = wireFormat();
    server.enqueue(exchange -> wire.nonStreamed(exchange, "whole"));
    assertThat(provider().complete(request().toBuilder().stream(false).build()).text())
        .isEqualTo("whole");
    expected.verifyStream(server.takeRequestQuietly(), false);
  }

  @Test
  void theBodyOffersTheTools() {
    ExpectedRequest expected = stated();
    requireCapability(Capability.TOOLS);
    CompletionRequest request = needing(request(), Capability.TOOLS).orElseThrow();
    expected.verifyTools(sent(request), request);
  }

  @Test
  void theBodyCarriesToolCallsAndTheirResults() {
    ExpectedRequest expected = stated();
    requireCapability(Capability.TOOLS);
    CompletionRequest request =
        needing(request(), Capability.TOOLS).orElseThrow().toBuilder()
            .message(
                Message.assistant(
                    List.of(new ToolCall(0, TOOL_CALL_ID, WEATHER.name(), "{\"city\":\"Paris\"}"))))
            .message(Message.tool(TOOL_CALL_ID, "Sunny, 21 °C \"and\" dry"))
            .build();
    expected.verifyMessages(sent(request), request);
  }

  // ---- capabilities

  /**
   * {@code base} with the least added that makes it need {@code capability}: the kit's tool
   * offered, an image in a user message, a JSON object format, or a JSON Schema format; empty for a
   * capability no request can ask for (reasoning output).
   */
  static Optional<CompletionRequest> needing(CompletionRequest base, Capability capability) {
    CompletionRequest.Builder more = base.toBuilder();
    // a switch without default: a new Capability does not compile until the kit says how to need it
    return Optional.ofNullable(
        switch (capability) {
          case TOOLS -> more.tool(WEATHER).build();
          case IMAGE_INPUT ->
              more.message(
                      Message.user(
                          "What is in this picture?", ContentPart.image(PIXEL, "image/png")))
                  .build();
          case JSON_OUTPUT -> more.responseFormat(ResponseFormat.jsonObject()).build();
          case JSON_SCHEMA_OUTPUT ->
              more.responseFormat(
                      ResponseFormat.jsonSchema(
                          "kit_answer",
                          "{\"type\":\"object\",\"properties\":{\"answer\":{\"type\":\"string\"}},\"required\":[\"answer\"]}",
                          true))
                  .build();
          case REASONING_OUTPUT -> null;
        });
  }

  /** Skips the test unless the provider declares this capability. */
  private void requireCapability(Capability capability) {
    assumeTrue(
        provider().info().capabilities().contains(capability),
        "the provider does not declare " + capability.wireName());
  }

  @Test
  void everyUndeclaredCapabilityIsRefusedBeforeAnyIo() {
    CompletionProvider provider = provider();
    String name = provider.info().name();
    Set<Capability> declared = provider.info().capabilities();
    List<Capability> undeclared =
        Arrays.stream(Capability.values())
            .filter(
                capability ->
                    !declared.contains(capability) && needing(request(), capability).isPresent())
            .toList();
    assumeTrue(
        !undeclared.isEmpty(),
        "the provider declares every capability a request can need: " + declared);
    for (Capability capability : undeclared) {
      CompletionRequest request = needing(request(), capability).orElseThrow();
      Throwable refusal = catchThrowable(() -> provider.complete(request).close());
      assertThat(refusal)
          .as(
              "what complete() throws for a request that needs %s, which %s does not declare"
                  + " (it must refuse it with a MissingCapabilityException)",
              capability.wireName(), name)
          .isInstanceOf(MissingCapabilityException.class)
          .hasMessageContaining(name)
          .hasMessageContaining(capability.wireName());
      MissingCapabilityException missing = (MissingCapabilityException) refusal;
      assertThat(missing.provider()).as("the provider the refusal names").isEqualTo(name);
      assertThat(missing.missing())
          .as("what the refusal says is missing")
          .containsExactly(capability);
      assertThat(server.connectionCount())
          .as("connections made for a request that needs %s", capability.wireName())
          .isZero();
    }
  }

  @Test
  void everyDeclaredCapabilityIsServed() {
    CompletionProvider provider = provider();
    List<Capability> declared =
        provider.info().capabilities().stream()
            .filter(capability -> needing(request(), capability).isPresent())
            .sorted()
            .toList();
    assumeTrue(!declared.isEmpty(), "the provider declares no capability a request can need");
    ExpectedRequest expected = expectedRequest();
    for (Capability capability : declared) {
      CompletionRequest request = needing(request(), capability).orElseThrow();
      server.enqueue(tokens(List.of("served")));
      assertThat(provider.complete(request).text())
          .as("the answer to a request that needs %s", capability.wireName())
          .isEqualTo("served");
      RecordedRequest sent = server.takeRequestQuietly();
      if (expected != null) {
        expected.verify(sent, request, modelFor(provider, request));
      }
    }
  }

  @Test
  void aToolCallSplitAcrossEventsArrivesWhole() {
    requireCapability(Capability.TOOLS);
    requireHook(
        (wire, exchange) -> wire.toolCall(exchange, "call_probe", "probe", List.of("{", "}")));
    // pieces end inside strings and escapes stay whole, as OpenAI and Anthropic split them
    List<String> fragments =
        List.of(
            "{\"city\": \"Par",
            "is\", \"note\": \"caf",
            "é \\\"au lait\\\"\\n\"",
            ", \"unit\": \"celsius\"}");
    server.enqueue(
        streamed(
            (wire, exchange) -> wire.toolCall(exchange, TOOL_CALL_ID, WEATHER.name(), fragments)));
    try (CompletionStream stream =
        provider().complete(needing(request(), Capability.TOOLS).orElseThrow())) {
      assertThat(stream.text()).as("the text of an answer that only calls a tool").isEmpty();
      assertThat(stream.toolCalls())
          .as("the tool calls")
          .containsExactly(
              new ToolCall(0, TOOL_CALL_ID, WEATHER.name(), String.join("", fragments)));
      assertThat(stream.finishReason())
          .as("the finish reason of an answer that calls a tool")
          .hasValue("tool_calls");
    }
  }

  // ---- what the provider reads

  @Test
  void tokensArriveInOrder() {
    server.enqueue(tokens(List.of("Hello", ", ", "wörld", " \"quoted\"", "\n", "!")));
    List<String> received = new ArrayList<>();
    try (CompletionStream stream = provider().complete(request())) {
      stream.forEach(received::add);
    }
    assertThat(String.join("", received)).isEqualTo("Hello, wörld \"quoted\"\n!");
  }

  @Test
  void aNonStreamedAnswerYieldsItsText() {
    requireHook((wire, exchange) -> wire.nonStreamed(exchange, "probe"));
    WireFormat wire = wireFormat();
    server.enqueue(exchange -> wire.nonStreamed(exchange, "The whole \"answer\"\nat once"));
    assertThat(provider().complete(request().toBuilder().stream(false).build()).text())
        .isEqualTo("The whole \"answer\"\nat once");
  }

  @Test
  void theFinishReasonIsReported() {
    requireHook((wire, exchange) -> wire.finish(exchange, "length", new Usage(1, 1, 2)));
    server.enqueue(
        streamed(
            (wire, exchange) -> {
              wire.token(exchange, "Cut");
              wire.finish(exchange, "length", new Usage(12, 3, 15));
            }));
    try (CompletionStream stream = provider().complete(request())) {
      assertThat(stream.text()).isEqualTo("Cut");
      assertThat(stream.finishReason()).hasValue("length");
    }
  }

  @Test
  void theUsageIsReported() {
    requireHook((wire, exchange) -> wire.finish(exchange, "stop", new Usage(1, 1, 2)));
    server.enqueue(
        streamed(
            (wire, exchange) -> {
              wire.token(exchange, "Counted");
              wire.finish(exchange, "stop", new Usage(12, 3, 15));
            }));
    try (CompletionStream stream = provider().complete(request())) {
      assertThat(stream.text()).isEqualTo("Counted");
      assertThat(stream.usage()).hasValue(new Usage(12, 3, 15));
    }
  }

  @Test
  void reasoningIsKeptApartFromTheText() {
    requireHook((wire, exchange) -> wire.reasoning(exchange, "probe"));
    server.enqueue(
        streamed(
            (wire, exchange) -> {
              wire.reasoning(exchange, "Let me think.");
              wire.reasoning(exchange, " Six times seven.");
              wire.token(exchange, "42");
              wire.end(exchange);
            }));
    List<CompletionEvent> events = new ArrayList<>();
    try (CompletionStream stream = provider().complete(request())) {
      stream.events().forEach(events::add);
      assertThat(stream.textSoFar()).isEqualTo("42");
    }
    assertThat(events)
        .filteredOn(CompletionEvent.Reasoning.class::isInstance)
        .containsExactly(
            new CompletionEvent.Reasoning("Let me think."),
            new CompletionEvent.Reasoning(" Six times seven."));
  }

  @Test
  void closingEarlyReleasesTheConnection() throws Exception {
    CountDownLatch clientGone = new CountDownLatch(1);
    server.enqueue(
        streamed(
            (wire, exchange) -> {
              try {
                for (int i = 0; i < 1_000_000; i++) {
                  wire.token(exchange, "tick ");
                }
              } catch (IOException e) {
                clientGone.countDown();
              }
            }));
    try (CompletionStream stream = provider().complete(request())) {
      Iterator<String> tokens = stream.iterator();
      assertThat(tokens.next()).isNotEmpty();
    }
    assertThat(clientGone.await(10, TimeUnit.SECONDS))
        .as("the server saw the connection closed soon after the stream was closed, not drained")
        .isTrue();
  }

  // ---- failures inside a stream

  /**
   * Reads an answer that fails after "Once upon"; the failure must keep that text and not be
   * retried.
   */
  private ProviderException failureAfterText(Body failure) {
    server.enqueue(
        streamed(
            (wire, exchange) -> {
              wire.token(exchange, "Once");
              wire.token(exchange, " upon");
              failure.write(wire, exchange);
            }));
    CompletionProvider provider = provider();
    List<String> received = new ArrayList<>();
    ProviderException e =
        catchThrowableOfType(
            ProviderException.class, () -> provider.complete(request()).forEach(received::add));
    assertThat(e).as("the failure").isNotNull();
    assertThat(String.join("", received)).isEqualTo("Once upon");
    assertThat(e.partialText()).isEqualTo("Once upon");
    assertNamesProvider(e, provider);
    assertThat(server.requestCount())
        .as("requests: nothing is retried once text was delivered")
        .isEqualTo(1);
    return e;
  }

  @Test
  void aCutConnectionReportsThePartialText() {
    failureAfterText((wire, exchange) -> exchange.reset());
  }

  @Test
  void anErrorEventInTheStreamFailsKeepingThePartialText() {
    requireHook((wire, exchange) -> wire.streamError(exchange, "probe"));
    ProviderException e =
        failureAfterText((wire, exchange) -> wire.streamError(exchange, "the model crashed"));
    assertThat(e).isInstanceOf(ProviderException.ServerError.class);
    assertThat(e.getMessage()).contains("the model crashed");
  }

  @Test
  void aStreamEndingWithoutItsEndMarkerFailsKeepingThePartialText() {
    requireHook((wire, exchange) -> wire.endWithoutMarker(exchange));
    ProviderException e = failureAfterText((wire, exchange) -> wire.endWithoutMarker(exchange));
    assertThat(e.kind())
        .as("a stream cut short breaks the connection or the protocol, %s", e)
        .isIn(Kind.CONNECTION, Kind.PROTOCOL);
  }

  // ---- HTTP error statuses

  /**
   * Answers every attempt with this status and checks the failure: its exact type, the provider
   * named, the status, and as many requests as the kind's retryability allows.
   */
  private ProviderException everyAttemptFails(
      int status, Class<? extends ProviderException> type, String... headers) {
    for (int i = 0; i < attempts(); i++) {
      server.enqueue(error(status, headers));
    }
    return failure(status, type);
  }

  /** The failure for error answers already enqueued, checked as {@link #everyAttemptFails} says. */
  private ProviderException failure(int status, Class<? extends ProviderException> type) {
    int before = server.requestCount();
    CompletionProvider provider = provider();
    ProviderException e =
        catchThrowableOfType(ProviderException.class, () -> provider.complete(request()).text());
    assertThat(e).as("the failure for HTTP %d", status).isInstanceOf(type);
    assertNamesProvider(e, provider);
    assertThat(e.httpStatus()).as("the failure's status").hasValue(status);
    boolean retryable = e.kind().retryableByDefault();
    assertThat(e.isRetryable()).as("HTTP %d may pass on a retry", status).isEqualTo(retryable);
    int requests = retryable ? attempts() : 1;
    assertThat(server.requestCount() - before)
        .as("requests for HTTP %d (attempts: %d)", status, attempts())
        .isEqualTo(requests);
    assertThat(e.attempts()).as("the attempts the failure reports").isEqualTo(requests);
    return e;
  }

  // retryable statuses say Retry-After: 0, so the provider's retries need not back off

  @Test
  void http400IsABadRequest() {
    everyAttemptFails(400, ProviderException.BadRequest.class);
  }

  @Test
  void http401IsAnAuthenticationFailure() {
    everyAttemptFails(401, ProviderException.AuthenticationFailed.class);
  }

  @Test
  void http403IsAnAuthenticationFailure() {
    everyAttemptFails(403, ProviderException.AuthenticationFailed.class);
  }

  @Test
  void http404IsAModelNotFound() {
    everyAttemptFails(404, ProviderException.ModelNotFound.class);
  }

  @Test
  void http408IsATimeout() {
    everyAttemptFails(408, ProviderException.Timeout.class, "Retry-After: 0");
  }

  @Test
  void http413IsABadRequest() {
    everyAttemptFails(413, ProviderException.BadRequest.class);
  }

  @Test
  void http429IsARateLimitCarryingTheRequestedWait() {
    // the earlier attempts are retried at once; the last one's wait is what the caller must see
    for (int i = 1; i < attempts(); i++) {
      server.enqueue(error(429, "Retry-After: 0"));
    }
    server.enqueue(error(429, "Retry-After: 7"));
    ProviderException e = failure(429, ProviderException.RateLimited.class);
    assertThat(e.retryAfter()).as("the wait the server asked for").hasValue(Duration.ofSeconds(7));
  }

  @Test
  void http5xxIsAServerError() {
    for (int status : new int[] {500, 502, 503}) {
      everyAttemptFails(status, ProviderException.ServerError.class, "Retry-After: 0");
    }
  }

  @Test
  void http529IsAServerError() {
    everyAttemptFails(529, ProviderException.ServerError.class, "Retry-After: 0");
  }

  // ---- retries

  @Test
  void aRetryableFailureThenSuccessYieldsTheText() {
    assumeTrue(attempts() > 1, "the provider makes one attempt per request");
    for (int i = 1; i < attempts(); i++) {
      server.enqueue(error(503, "Retry-After: 0"));
    }
    server.enqueue(tokens(List.of("at ", "last")));
    CompletionProvider provider = provider();
    CompletionRequest request = request();
    assertThat(provider.complete(request).text()).isEqualTo("at last");
    assertThat(server.requestCount()).as("requests").isEqualTo(attempts());
    ExpectedRequest expected = expectedRequest();
    for (int i = 0; i < attempts(); i++) {
      RecordedRequest attempt = server.takeRequestQuietly();
      if (expected != null) {
        expected.verify(attempt, request, modelFor(provider, request));
      }
    }
  }

  @Test
  void theRetryAfterWaitIsHonoured() {
    assumeTrue(attempts() > 1, "the provider makes one attempt per request");
    AtomicLong refusedAt = new AtomicLong();
    AtomicLong retriedAt = new AtomicLong();
    LoopbackServer.Script refusal = error(429, "Retry-After: 1");
    LoopbackServer.Script answer = tokens(List.of("after ", "the wait"));
    server.enqueue(
        exchange -> {
          // taken before the answer is written, so the client cannot have read it earlier
          refusedAt.set(System.nanoTime());
          refusal.answer(exchange);
        });
    server.enqueue(
        exchange -> {
          retriedAt.set(System.nanoTime());
          answer.answer(exchange);
        });
    assertThat(provider().complete(request()).text()).isEqualTo("after the wait");
    assertThat(server.requestCount()).as("requests").isEqualTo(2);
    // a lower bound only, so a slow machine cannot fail it; 50 ms forgive timer granularity, not an
    // early retry
    assertThat(Duration.ofNanos(retriedAt.get() - refusedAt.get()))
        .as("time from the 429 with Retry-After: 1 to the retry")
        .isGreaterThanOrEqualTo(Duration.ofMillis(950));
  }

  // ---- timeouts

  @Test
  void theFirstByteTimeoutFires() {
    for (int i = 0; i < attempts(); i++) {
      server.enqueue(
          exchange -> {
            // a provider without a first-byte timeout gets a reset instead of hanging the test
            if (!exchange.awaitClientClose(Duration.ofSeconds(10))) {
              exchange.reset();
            }
          });
    }
    CompletionProvider provider = provider(SHORT_TIMEOUT);
    ProviderException e =
        catchThrowableOfType(ProviderException.class, () -> provider.complete(request()).text());
    assertThat(e)
        .as("the failure with no response head")
        .isInstanceOf(ProviderException.Timeout.class);
    assertNamesProvider(e, provider);
    assertThat(server.requestCount())
        .as("requests: a timeout may pass on a retry")
        .isEqualTo(attempts());
  }

  @Test
  void theIdleTimeoutFires() {
    CountDownLatch release = new CountDownLatch(1);
    server.enqueue(
        streamed(
            (wire, exchange) -> {
              wire.token(exchange, "first");
              release.await(30, TimeUnit.SECONDS);
            }));
    try {
      long start = System.nanoTime();
      CompletionProvider provider = provider(SHORT_TIMEOUT);
      ProviderException e =
          catchThrowableOfType(ProviderException.class, () -> provider.complete(request()).text());
      assertThat(e).isInstanceOf(ProviderException.Timeout.class);
      assertThat(e.partialText()).isEqualTo("first");
      assertNamesProvider(e, provider);
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
    } finally {
      release.countDown();
    }
  }
}
