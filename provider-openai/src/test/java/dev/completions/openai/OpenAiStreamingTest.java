package dev.completions.openai;

import static dev.completions.openai.Fixtures.DONE;
import static dev.completions.openai.Fixtures.ROLE;
import static dev.completions.openai.Fixtures.SEED_TOKENS;
import static dev.completions.openai.Fixtures.STOP;
import static dev.completions.openai.Fixtures.content;
import static dev.completions.openai.Fixtures.delta;
import static dev.completions.openai.Fixtures.hello;
import static dev.completions.openai.Fixtures.provider;
import static dev.completions.openai.Fixtures.respond;
import static dev.completions.openai.Fixtures.sse;
import static org.assertj.core.api.Assertions.assertThat;

import dev.completions.api.CompletionEvent;
import dev.completions.api.CompletionStream;
import dev.completions.api.ToolCall;
import dev.completions.api.Usage;
import dev.completions.tck.LoopbackServer;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class OpenAiStreamingTest {

  private final LoopbackServer server = LoopbackServer.start();
  private final OpenAiCompatibleProvider acme =
      provider(server, new Fixtures.RecordingSleeper()).build();

  @AfterEach
  void close() {
    acme.close();
    server.close();
  }

  private List<String> tokens(CompletionStream stream) {
    List<String> tokens = new ArrayList<>();
    try (stream) {
      stream.forEach(tokens::add);
    }
    return tokens;
  }

  private List<CompletionEvent> events(CompletionStream stream) {
    List<CompletionEvent> events = new ArrayList<>();
    try (stream) {
      stream.events().forEach(events::add);
    }
    return events;
  }

  @Test
  void yieldsTheSeedsExampleTokensInOrder() {
    server.enqueue(sse(Fixtures.seedAnswer()));

    CompletionStream stream = acme.complete(hello());

    assertThat(tokens(stream)).isEqualTo(SEED_TOKENS);
    assertThat(String.join("", SEED_TOKENS))
        .isEqualTo("I am doing well, thank you for asking. How can I assist you today?");
    assertThat(stream.finishReason()).contains("stop");
    assertThat(stream.provider()).isEqualTo("Acme");
    assertThat(stream.model()).isEqualTo("gpt-3.5-turbo-0613");
    assertThat(acme.leasedConnections()).isZero();
  }

  @Test
  void readsTheSameAnswerAsAJavaStreamAndAsOneString() {
    server.enqueue(sse(Fixtures.seedAnswer()));
    server.enqueue(sse(Fixtures.seedAnswer()));

    String viaStream;
    try (var tokens = acme.complete(hello()).stream()) {
      viaStream = tokens.collect(Collectors.joining());
    }
    String viaText = acme.complete(hello()).text();

    assertThat(viaStream).isEqualTo(viaText).isEqualTo(String.join("", SEED_TOKENS));
  }

  @Test
  void deliversTheFirstTokenWhileTheServerStillHoldsTheRest() throws Exception {
    CountDownLatch firstTokenRead = new CountDownLatch(1);
    server.enqueue(
        exchange -> {
          exchange.chunkedHead(200, "Content-Type: text/event-stream");
          exchange.chunk(content("first"));
          if (!firstTokenRead.await(10, TimeUnit.SECONDS)) {
            throw new AssertionError(
                "the client did not deliver the first token before the rest arrived");
          }
          exchange.chunk(content(" second"));
          exchange.chunk(DONE);
          exchange.endChunks();
        });

    try (CompletionStream stream = acme.complete(hello())) {
      Iterator<String> tokens = stream.iterator();
      assertThat(tokens.next()).isEqualTo("first");
      firstTokenRead.countDown();
      assertThat(tokens.next()).isEqualTo(" second");
      assertThat(tokens.hasNext()).isFalse();
    }
  }

  @Test
  void stopsReadingAtDoneAndIgnoresWhatFollows() {
    server.enqueue(sse(content("a"), DONE, content("never"), "data: {not json\n\n"));

    assertThat(tokens(acme.complete(hello()))).containsExactly("a");
    assertThat(acme.leasedConnections()).isZero();
  }

  @Test
  void endsNormallyWhenTheStreamClosesAfterAWholeEventWithoutDone() {
    server.enqueue(sse(ROLE, content("a"), content("b"), STOP));

    CompletionStream stream = acme.complete(hello());

    assertThat(tokens(stream)).containsExactly("a", "b");
    assertThat(stream.finishReason()).contains("stop");
  }

  @Test
  void skipsRoleOnlyEmptyAndNullContentChunks() {
    server.enqueue(
        sse(
            ROLE,
            content(""),
            delta("{\"content\":null}", null),
            content("x"),
            delta("{}", null),
            DONE));

    assertThat(tokens(acme.complete(hello()))).containsExactly("x");
  }

  @Test
  void keepsAnUnknownFinishReasonAsGiven() {
    server.enqueue(sse(content("x"), delta("{}", "eos"), DONE));

    CompletionStream stream = acme.complete(hello());
    tokens(stream);

    assertThat(stream.finishReason()).contains("stop");
    assertThat(stream.rawFinishReason()).contains("eos");
  }

  @Test
  void takesUsageFromAUsageOnlyLastChunkWithEmptyChoices() {
    server.enqueue(
        sse(
            content("x"),
            STOP,
            "data: {\"choices\":[],\"usage\":{\"prompt_tokens\":11,\"completion_tokens\":2,\"total_tokens\":13}}\n\n",
            DONE));

    CompletionStream stream = acme.complete(hello());
    tokens(stream);

    assertThat(stream.usage()).contains(new Usage(11, 2, 13));
  }

  @Test
  void takesUsageFromAVendorObject() {
    server.enqueue(
        sse(
            content("x"),
            "data: {\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}],"
                + "\"x_groq\":{\"id\":\"req_1\",\"usage\":{\"prompt_tokens\":5,\"completion_tokens\":1}}}\n\n",
            DONE));

    CompletionStream stream = acme.complete(hello());
    tokens(stream);

    assertThat(stream.usage()).contains(new Usage(5, 1, 6));
  }

  @Test
  void ignoresUnknownFieldsAtEveryLevel() {
    server.enqueue(
        sse(
            "data: {\"extra\":{\"deep\":[1,{\"a\":null}]},\"choices\":[{\"logprobs\":null,\"delta\":{\"content\":\"ok\","
                + "\"audio\":{\"x\":[true]}},\"index\":0,\"new\":\"field\"},{\"index\":1,\"delta\":{\"content\":\"second choice\"}}],"
                + "\"system_fingerprint\":\"fp\"}\n\n",
            DONE));

    assertThat(tokens(acme.complete(hello()))).containsExactly("ok");
  }

  @Test
  void reportsTheModelThatAnswered() {
    server.enqueue(sse(content("x"), DONE));

    CompletionStream stream = acme.complete(hello());
    tokens(stream);

    assertThat(stream.model()).isEqualTo("gpt-3.5-turbo-0613");
  }

  @Test
  void keepsReasoningRefusalAndToolCallsOutOfTheText() {
    server.enqueue(
        sse(
            delta("{\"reasoning_content\":\"Let me think.\"}", null),
            delta("{\"reasoning\":\" Done.\"}", null),
            content("Answer"),
            delta("{\"refusal\":\"I can't do that part.\"}", null),
            delta(
                "{\"tool_calls\":[{\"index\":0,\"id\":\"call_1\",\"type\":\"function\",\"function\":{\"name\":\"weather\",\"arguments\":\"{\\\"ci\"}}]}",
                null),
            delta(
                "{\"tool_calls\":[{\"index\":1,\"id\":\"call_2\",\"function\":{\"name\":\"time\",\"arguments\":\"{}\"}}]}",
                null),
            delta(
                "{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\"ty\\\":\\\"Oslo\\\"}\"}}]}",
                "tool_calls"),
            DONE));

    CompletionStream stream = acme.complete(hello());
    List<CompletionEvent> events = events(stream);

    assertThat(events)
        .filteredOn(e -> !(e instanceof CompletionEvent.Answered))
        .containsExactly(
            new CompletionEvent.Reasoning("Let me think."),
            new CompletionEvent.Reasoning(" Done."),
            new CompletionEvent.Text("Answer"),
            new CompletionEvent.Refusal("I can't do that part."),
            new CompletionEvent.ToolCallDelta(0, "call_1", "weather", "{\"ci"),
            new CompletionEvent.ToolCallDelta(1, "call_2", "time", "{}"),
            new CompletionEvent.ToolCallDelta(0, "", "", "ty\":\"Oslo\"}"),
            new CompletionEvent.Finish("tool_calls"));
    assertThat(stream.textSoFar()).isEqualTo("Answer");
    assertThat(stream.toolCalls())
        .containsExactly(
            new ToolCall(0, "call_1", "weather", "{\"city\":\"Oslo\"}"),
            new ToolCall(1, "call_2", "time", "{}"));
  }

  @Test
  void aToolCallOnlyAnswerIsNotEmpty() {
    server.enqueue(
        sse(
            delta(
                "{\"tool_calls\":[{\"index\":0,\"id\":\"c\",\"function\":{\"name\":\"f\",\"arguments\":\"{}\"}}]}",
                "tool_calls"),
            DONE));

    CompletionStream stream = acme.complete(hello());

    assertThat(stream.text()).isEmpty();
    assertThat(stream.toolCalls()).containsExactly(new ToolCall(0, "c", "f", "{}"));
  }

  @Test
  void acceptsAJsonBodyWhenStreamingWasAsked() {
    server.enqueue(
        respond(
            200,
            "application/json; charset=utf-8",
            "{\"choices\":[{\"message\":{\"role\":\"assistant\",\"content\":\"Plain JSON.\"},\"finish_reason\":\"length\"}]}"));

    CompletionStream stream = acme.complete(hello());

    assertThat(tokens(stream)).containsExactly("Plain JSON.");
    assertThat(stream.finishReason()).contains("length");
  }

  @Test
  void decodesMultiByteCharactersQuotesAndNewlines() {
    server.enqueue(sse(content("Grüße, \"мир\" 👋\nnext line\\"), DONE));

    assertThat(acme.complete(hello()).text()).isEqualTo("Grüße, \"мир\" 👋\nnext line\\");
  }

  @Test
  void decodesACharacterSplitAcrossNetworkWrites() {
    String event = content("é👋");
    byte[] bytes = event.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    int split = event.indexOf('é') + 1; // inside the two bytes of é (all before it is ASCII)
    server.enqueue(
        exchange -> {
          exchange.chunkedHead(200, "Content-Type: text/event-stream");
          exchange.chunk(java.util.Arrays.copyOfRange(bytes, 0, split));
          exchange.chunk(java.util.Arrays.copyOfRange(bytes, split, split + 3));
          exchange.chunk(java.util.Arrays.copyOfRange(bytes, split + 3, bytes.length));
          exchange.chunk(DONE);
          exchange.endChunks();
        });

    assertThat(acme.complete(hello()).text()).isEqualTo("é👋");
  }

  @Test
  void readsEventsWithCrLineEndingsAndDataWithoutTheSpace() {
    server.enqueue(
        sse(
            ": keep-alive\r\r",
            "event: message\rid: 7\rretry: 1000\rdata:{\"choices\":[{\"delta\":{\"content\":\"cr\"}}]}\r\r",
            "data: {\"choices\":[{\"delta\":\r\ndata: {\"content\":\"crlf\"}}]}\r\n\r\n",
            DONE));

    assertThat(tokens(acme.complete(hello()))).containsExactly("cr", "crlf");
  }
}
