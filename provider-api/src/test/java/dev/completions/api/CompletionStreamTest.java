package dev.completions.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The stream's own contract, fed by a scripted source as a provider would feed it. */
class CompletionStreamTest {

  /** Plays events in order, then an optional failure; records closing. */
  static final class ScriptedSource implements EventFeed {
    final Deque<Object> script = new ArrayDeque<>();
    int closes;

    ScriptedSource(Object... items) {
      script.addAll(List.of(items));
    }

    @Override
    public CompletionEvent next() {
      Object item = script.poll();
      if (item instanceof RuntimeException e) {
        throw e;
      }
      return (CompletionEvent) item;
    }

    @Override
    public void close() {
      closes++;
    }
  }

  private static CompletionEvent.Text text(String s) {
    return new CompletionEvent.Text(s);
  }

  @Test
  void retriesAndFallbacksAreNeitherTextNorAnswer() {
    ProviderException busy =
        ProviderException.builder(ProviderException.Kind.SERVER, "P").message("busy").build();
    CompletionStream stream =
        CompletionStream.of(
            "P",
            "m",
            new ScriptedSource(
                new CompletionEvent.Retrying("P", 1, busy, java.time.Duration.ofMillis(500)),
                new CompletionEvent.FellBack("P", "m", busy)));

    assertThatThrownBy(stream::text)
        .isInstanceOf(ProviderException.EmptyAnswer.class)
        .hasMessageContaining("the answer had no text");
    assertThat(new CompletionEvent.Retrying("P", 1, busy, java.time.Duration.ZERO).isAnswerPart())
        .isFalse();
    assertThat(new CompletionEvent.FellBack("P", "m", busy).isAnswerPart()).isFalse();
    assertThat(new CompletionEvent.Answered("P", "m").isAnswerPart()).isFalse();
    assertThat(text("x").isAnswerPart()).isTrue();
    assertThat(new CompletionEvent.Finish("stop").isAnswerPart()).isTrue();
  }

  @Test
  void aRetryWithANegativeDelayIsRefused() {
    ProviderException busy =
        ProviderException.builder(ProviderException.Kind.SERVER, "P").message("busy").build();
    assertThatThrownBy(
            () -> new CompletionEvent.Retrying("P", 1, busy, java.time.Duration.ofMillis(-1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "Retrying: attempt must be >= 1, failure non-null and delay zero or positive, got"
                + " attempt 1, delay PT-0.001S");
  }

  @Test
  void anAnswerOfReasoningAloneIsNotEmpty() {
    CompletionStream stream =
        CompletionStream.of(
            "P",
            "m",
            new ScriptedSource(
                new CompletionEvent.Reasoning("thinking..."), new CompletionEvent.Finish("stop")));

    assertThat(stream.text()).isEmpty();
    assertThat(stream.finishReason()).contains("stop");
  }

  @org.junit.jupiter.params.ParameterizedTest(name = "{0} -> {1}")
  @org.junit.jupiter.params.provider.CsvSource({
    "stop, stop",
    "end_turn, stop",
    "eos, stop",
    "length, length",
    "max_tokens, length",
    "tool_calls, tool_calls",
    "tool_use, tool_calls",
    "content_filter, content_filter",
    "refusal, content_filter",
    "pause_turn, other"
  })
  void finishReasonsAreNormalisedKeepingTheProvidersWord(String raw, String normalised) {
    CompletionStream stream =
        CompletionStream.of(
            "P", "m", new ScriptedSource(text("x"), new CompletionEvent.Finish(raw)));

    assertThat(stream.text()).isEqualTo("x");
    assertThat(stream.finishReason()).contains(normalised);
    assertThat(stream.rawFinishReason()).contains(raw);
  }

  @Test
  void anEventThatBreaksItsContractReachesTheCallerAsAProtocolErrorWithThePartialText() {
    EventFeed breaking =
        new EventFeed() {
          private int calls;

          @Override
          public CompletionEvent next() {
            return calls++ == 0 ? text("kept") : new CompletionEvent.Text(null);
          }

          @Override
          public void close() {}
        };

    ProviderException e =
        org.assertj.core.api.Assertions.catchThrowableOfType(
            ProviderException.class, () -> CompletionStream.of("P", "m", breaking).text());

    assertThat(e.kind()).isEqualTo(ProviderException.Kind.PROTOCOL);
    assertThat(e.getMessage())
        .isEqualTo(
            "[P] the provider failed unexpectedly: java.lang.IllegalArgumentException: Text: must not be null or empty");
    assertThat(e.partialText()).isEqualTo("kept");
  }

  @Test
  void iteratesOnlyTheTextAndRecordsTheRestForAfterTheEnd() {
    ScriptedSource source =
        new ScriptedSource(
            new CompletionEvent.Answered("P2", "m-1"),
            new CompletionEvent.Reasoning("hmm"),
            text("a"),
            text("b"),
            new CompletionEvent.Finish("stop"),
            new CompletionEvent.UsageReport(new Usage(3, 2, -1)));
    CompletionStream stream = CompletionStream.of("P", "m", source);

    List<String> tokens = new ArrayList<>();
    stream.forEach(tokens::add);

    assertThat(tokens).containsExactly("a", "b");
    assertThat(stream.model()).isEqualTo("m-1");
    assertThat(stream.provider()).isEqualTo("P2");
    assertThat(stream.finishReason()).contains("stop");
    assertThat(stream.usage()).contains(new Usage(3, 2, 5));
    assertThat(stream.isDone()).isTrue();
    assertThat(source.closes).isPositive();
  }

  @Test
  void aFailureMidStreamCarriesTheTextDeliveredBeforeIt() {
    ScriptedSource source =
        new ScriptedSource(
            text("Hel"),
            text("lo"),
            ProviderException.builder(ProviderException.Kind.CONNECTION, "P")
                .message("reset")
                .build());
    List<String> tokens = new ArrayList<>();

    ProviderException e =
        catchThrowableOfType(
            ProviderException.class,
            () -> CompletionStream.of("P", "m", source).forEach(tokens::add));

    assertThat(tokens).containsExactly("Hel", "lo");
    assertThat(e).isInstanceOf(ProviderException.ConnectionFailed.class);
    assertThat(e.partialText()).isEqualTo("Hello");
    assertThat(e.getMessage()).isEqualTo("[P] reset");
    assertThat(e.isRetryable()).isTrue();
  }

  @Test
  void anUnexpectedRuntimeExceptionBecomesAProtocolError() {
    IllegalStateException bug = new IllegalStateException("bug");
    ScriptedSource source = new ScriptedSource(text("x"), bug);

    ProviderException e =
        catchThrowableOfType(
            ProviderException.class, () -> CompletionStream.of("P", "m", source).text());

    assertThat(e).isInstanceOf(ProviderException.ProtocolError.class).hasCause(bug);
    assertThat(e.partialText()).isEqualTo("x");
  }

  @Test
  void anAnswerWithNothingInItIsAnEmptyAnswer() {
    ScriptedSource source = new ScriptedSource(new CompletionEvent.Answered("P", "m2"));

    assertThatThrownBy(() -> CompletionStream.of("P", "m", source).text())
        .isInstanceOf(ProviderException.EmptyAnswer.class)
        .hasMessage("[P] the answer had no text, no reasoning, no tool call and no refusal");
  }

  @Test
  void aRefusalAloneIsAnAnswer() {
    CompletionStream stream =
        CompletionStream.of("P", "m", new ScriptedSource(new CompletionEvent.Refusal("No.")));

    assertThat(stream.text()).isEmpty();
  }

  @Test
  void closingMakesTheNextReadACancelledErrorAndClosesTheSource() {
    ScriptedSource source = new ScriptedSource(text("a"), text("b"));
    CompletionStream stream = CompletionStream.of("P", "m", source);
    var tokens = stream.iterator();
    assertThat(tokens.next()).isEqualTo("a");

    stream.close();

    assertThat(source.closes).isEqualTo(1);
    assertThatThrownBy(tokens::hasNext)
        .isInstanceOf(ProviderException.Cancelled.class)
        .hasMessage("[P] the stream was closed")
        .satisfies(e -> assertThat(((ProviderException) e).partialText()).isEqualTo("a"));
  }

  @Test
  void closingTheJavaStreamClosesTheSource() {
    ScriptedSource source = new ScriptedSource(text("a"), text("b"), text("c"));
    CompletionStream stream = CompletionStream.of("P", "m", source);

    try (var tokens = stream.stream()) {
      assertThat(tokens.limit(1).collect(Collectors.joining())).isEqualTo("a");
    }

    assertThat(source.closes).isEqualTo(1);
  }

  @Test
  void textIncludesTokensAlreadyRead() {
    CompletionStream stream =
        CompletionStream.of("P", "m", new ScriptedSource(text("a"), text("b"), text("c")));
    stream.iterator().next();

    assertThat(stream.text()).isEqualTo("abc");
  }

  @Test
  void keepsAtMostTheLimitOfDeliveredTextForErrorReports() {
    String piece = "x".repeat(1 << 16);
    ScriptedSource source = new ScriptedSource();
    for (int i = 0; i < 20; i++) {
      source.script.add(text(piece));
    }
    source.script.add(ProviderException.builder(ProviderException.Kind.SERVER, "P").build());
    CompletionStream stream = CompletionStream.of("P", "m", source);
    long[] read = {0};

    ProviderException e =
        catchThrowableOfType(
            ProviderException.class, () -> stream.forEach(t -> read[0] += t.length()));

    assertThat(read[0]).isEqualTo(20L << 16);
    assertThat(e.partialText()).hasSize(CompletionStream.PARTIAL_TEXT_LIMIT);
    assertThat(stream.textSoFar()).hasSize(CompletionStream.PARTIAL_TEXT_LIMIT);
  }

  @Test
  void mergesToolCallFragmentsByIndex() {
    CompletionStream stream =
        CompletionStream.of(
            "P",
            "m",
            new ScriptedSource(
                new CompletionEvent.ToolCallDelta(1, "b", "g", "{"),
                new CompletionEvent.ToolCallDelta(0, "a", "f", "[1"),
                new CompletionEvent.ToolCallDelta(1, "", "", "}"),
                new CompletionEvent.ToolCallDelta(0, "", "", ",2]")));

    assertThat(stream.text()).isEmpty();
    assertThat(stream.toolCalls())
        .containsExactly(new ToolCall(0, "a", "f", "[1,2]"), new ToolCall(1, "b", "g", "{}"));
  }

  @Test
  void anInterruptedReaderIsCancelledBeforeReading() {
    ScriptedSource source = new ScriptedSource(text("a"));
    CompletionStream stream = CompletionStream.of("P", "m", source);
    Thread.currentThread().interrupt();
    try {
      assertThatThrownBy(stream::text)
          .isInstanceOf(ProviderException.Cancelled.class)
          .hasMessage("[P] the reading thread was interrupted");
    } finally {
      assertThat(Thread.interrupted()).as("the interrupt stays set").isTrue();
    }
  }
}
