package org.example.claude;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.example.claude.AnthropicSse.MESSAGE_STOP;
import static org.example.claude.AnthropicSse.MODEL;
import static org.example.claude.AnthropicSse.PING;
import static org.example.claude.AnthropicSse.answer;
import static org.example.claude.AnthropicSse.blockStart;
import static org.example.claude.AnthropicSse.blockStop;
import static org.example.claude.AnthropicSse.event;
import static org.example.claude.AnthropicSse.messageDelta;
import static org.example.claude.AnthropicSse.messageStart;
import static org.example.claude.AnthropicSse.signatureDelta;
import static org.example.claude.AnthropicSse.stream;
import static org.example.claude.AnthropicSse.textDelta;
import static org.example.claude.AnthropicSse.thinkingDelta;

import dev.completions.api.CompletionEvent;
import dev.completions.api.CompletionRequest;
import dev.completions.api.CompletionStream;
import dev.completions.api.ProviderException;
import dev.completions.api.Usage;
import dev.completions.tck.LoopbackServer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** How Anthropic's answers become tokens and typed events. */
class ClaudeStreamingTest {

  /** A non-streamed answer as Anthropic sends it: a thinking block, then a text block. */
  static final String WHOLE_MESSAGE =
      "{\"id\":\"msg_01\",\"type\":\"message\",\"role\":\"assistant\",\"model\":\""
          + MODEL
          + "\",\"content\":[{\"type\":\"thinking\",\"thinking\":\"Short answer.\",\"signature\":\"EqQB\"},"
          + "{\"type\":\"text\",\"text\":\"Rayleigh scattering.\"}],\"stop_reason\":\"max_tokens\",\"stop_sequence\":null,"
          + "\"usage\":{\"input_tokens\":12,\"cache_creation_input_tokens\":0,\"cache_read_input_tokens\":0,\"output_tokens\":6}}";

  private final LoopbackServer server = LoopbackServer.start();
  private final ClaudeProvider claude = AnthropicSse.provider(server, 1);

  @AfterEach
  void close() {
    claude.close();
    server.close();
  }

  private List<CompletionEvent> events(LoopbackServer.Script script, CompletionRequest request) {
    server.enqueue(script);
    List<CompletionEvent> events = new ArrayList<>();
    try (CompletionStream stream = claude.complete(request)) {
      stream.events().forEach(events::add);
    }
    return events;
  }

  @Test
  void textDeltasArriveAsTokensInOrder() {
    server.enqueue(stream(answer("Hello", "!", " How can I help", " you today?")));
    List<String> tokens = new ArrayList<>();

    claude.complete(CompletionRequest.of("Hi")).forEach(tokens::add);

    assertThat(tokens).containsExactly("Hello", "!", " How can I help", " you today?");
  }

  @Test
  void reportsTheAnsweringModelTheFinishReasonAndTheTokenCounts() {
    server.enqueue(stream(answer("Hello")));

    CompletionStream stream = claude.complete(CompletionRequest.of("Hi"));
    stream.text();

    assertThat(stream.provider()).isEqualTo("Claude");
    assertThat(stream.model()).isEqualTo(MODEL);
    assertThat(stream.finishReason()).contains("stop");
    assertThat(stream.usage()).contains(new Usage(25, 15, 40));
  }

  @ParameterizedTest
  @CsvSource({
    "end_turn, stop",
    "stop_sequence, stop",
    "max_tokens, length",
    "tool_use, tool_calls",
    "refusal, content_filter",
    "pause_turn, other"
  })
  void stopReasonsAreReportedInOpenAisWords(String stopReason, String finishReason) {
    server.enqueue(
        stream(
            messageStart(5),
            blockStart(0, "text"),
            textDelta(0, "Hm."),
            blockStop(0),
            messageDelta(stopReason, 2),
            MESSAGE_STOP));

    CompletionStream stream = claude.complete(CompletionRequest.of("Hi"));
    stream.text();

    assertThat(stream.finishReason()).contains(finishReason);
  }

  @Test
  void thinkingDeltasAreReasoningKeptApartFromTheText() {
    List<CompletionEvent> events =
        events(
            stream(
                messageStart(9),
                blockStart(0, "thinking"),
                thinkingDelta(0, "Two and two"),
                thinkingDelta(0, " make four."),
                signatureDelta(0),
                blockStop(0),
                blockStart(1, "text"),
                textDelta(1, "4"),
                blockStop(1),
                messageDelta("end_turn", 11),
                MESSAGE_STOP),
            CompletionRequest.of("2+2?"));

    assertThat(events)
        .containsExactly(
            new CompletionEvent.Answered("Claude", MODEL),
            new CompletionEvent.Reasoning("Two and two"),
            new CompletionEvent.Reasoning(" make four."),
            new CompletionEvent.Text("4"),
            new CompletionEvent.Finish("stop"),
            new CompletionEvent.UsageReport(new Usage(9, 11, 20)));
  }

  @Test
  void pingsAndEventTypesAnthropicMayAddAreSkipped() {
    List<CompletionEvent> events =
        events(
            stream(
                messageStart(3),
                PING,
                blockStart(0, "text"),
                PING,
                event(
                    "content_block_annotation",
                    "{\"type\":\"content_block_annotation\",\"index\":0}"),
                textDelta(0, "Fine."),
                blockStop(0),
                messageDelta("end_turn", 2),
                PING,
                MESSAGE_STOP),
            CompletionRequest.of("Hi"));

    assertThat(events)
        .filteredOn(CompletionEvent.Text.class::isInstance)
        .containsExactly(new CompletionEvent.Text("Fine."));
  }

  @Test
  void aWholeMessageIsReadWhenNotStreaming() {
    List<CompletionEvent> events =
        events(
            exchange -> exchange.respond(200, "application/json", WHOLE_MESSAGE),
            CompletionRequest.builder().user("Why is the sky blue?").stream(false).build());

    assertThat(events)
        .containsExactly(
            new CompletionEvent.Answered("Claude", MODEL),
            new CompletionEvent.Reasoning("Short answer."),
            new CompletionEvent.Text("Rayleigh scattering."),
            new CompletionEvent.Finish("length"),
            new CompletionEvent.UsageReport(new Usage(12, 6, 18)));
  }

  @Test
  void aStreamEndingBeforeMessageStopWasCutShortAndKeepsThePartialText() {
    server.enqueue(
        stream(
            messageStart(5), blockStart(0, "text"), textDelta(0, "Once"), textDelta(0, " upon")));
    List<String> tokens = new ArrayList<>();

    ProviderException e =
        catchThrowableOfType(
            ProviderException.class,
            () -> claude.complete(CompletionRequest.of("Tell a story")).forEach(tokens::add));

    assertThat(tokens).containsExactly("Once", " upon");
    assertThat(e).isInstanceOf(ProviderException.ConnectionFailed.class);
    assertThat(e.getMessage())
        .isEqualTo("[Claude] the answer ended before its end marker; it was cut short");
    assertThat(e.partialText()).isEqualTo("Once upon");
  }

  @Test
  void anEventThatIsNotJsonIsAProtocolError() {
    server.enqueue(
        stream(
            messageStart(5), event("content_block_delta", "{\"type\":\"content_block_delta\",")));

    ProviderException e =
        catchThrowableOfType(
            ProviderException.class, () -> claude.complete(CompletionRequest.of("Hi")).text());

    assertThat(e).isInstanceOf(ProviderException.ProtocolError.class);
    assertThat(e.getMessage())
        .isEqualTo(
            "[Claude] malformed answer: not a JSON object: {\"type\":\"content_block_delta\",");
    assertThat(e.isRetryable()).isFalse();
  }
}
