package org.example.ollama;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.completions.api.CompletionEvent;
import dev.completions.api.CompletionProvider;
import dev.completions.api.CompletionRequest;
import dev.completions.api.CompletionStream;
import dev.completions.api.ConfigSource;
import dev.completions.api.ProviderException;
import dev.completions.api.Usage;
import dev.completions.tck.LoopbackServer;
import dev.completions.tck.RecordedRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class OllamaNativeProviderTest {

  private final LoopbackServer server = LoopbackServer.start();
  private final OllamaNativeProvider ollama =
      new OllamaNativeProvider(
          OllamaNativeProvider.configured(
              ConfigSource.of(
                  Map.of(
                      "ollama-native.url", server.url().toString(), "ollama-native.attempts", "1"),
                  Map.of())));

  @AfterEach
  void close() {
    ollama.close();
    server.close();
  }

  static String piece(String text) {
    return "{\"model\":\"llama3.2\",\"created_at\":\"2026-11-25T00:00:00Z\",\"message\":{\"role\":\"assistant\",\"content\":"
        + LoopbackServer.jsonString(text)
        + "},\"done\":false}\n";
  }

  static String thinking(String text) {
    return "{\"model\":\"llama3.2\",\"created_at\":\"2026-11-25T00:00:00Z\",\"message\":{\"role\":\"assistant\",\"content\":\"\","
        + "\"thinking\":"
        + LoopbackServer.jsonString(text)
        + "},\"done\":false}\n";
  }

  static String done(String reason, int promptTokens, int completionTokens) {
    return "{\"model\":\"llama3.2\",\"message\":{\"role\":\"assistant\",\"content\":\"\"},\"done\":true,"
        + "\"done_reason\":\""
        + reason
        + "\",\"total_duration\":1,\"prompt_eval_count\":"
        + promptTokens
        + ",\"eval_count\":"
        + completionTokens
        + "}\n";
  }

  static final String DONE = done("stop", 26, 3);

  static LoopbackServer.Script ndjson(String... lines) {
    return LoopbackServer.streamed("application/x-ndjson", lines);
  }

  @Test
  void isFoundByServiceLoaderAsOllamaNativeNeedingNoKey() {
    CompletionProvider found =
        ServiceLoader.load(CompletionProvider.class).stream()
            .filter(p -> p.type() == OllamaNativeProvider.class)
            .findFirst()
            .orElseThrow()
            .get();

    assertThat(found.info().name()).isEqualTo("Ollama-Native");
    assertThat(found.info().needsAuth()).isFalse();
    assertThat(found.info().url()).hasToString("https://ollama.com");
  }

  @Test
  void streamsMessageContentPiecesThenDoneReasonAndTokenCounts() throws Exception {
    server.enqueue(ndjson(piece("The"), piece(" sky"), piece(" is blue."), DONE));
    List<String> tokens = new ArrayList<>();

    CompletionStream stream =
        ollama.complete(
            CompletionRequest.builder()
                .user("Why is the sky blue?")
                .temperature(0.1)
                .maxTokens(64)
                .stop(List.of("\n\n"))
                .build());
    stream.forEach(tokens::add);

    assertThat(tokens).containsExactly("The", " sky", " is blue.");
    assertThat(stream.finishReason()).contains("stop");
    assertThat(stream.usage()).contains(new Usage(26, 3, 29));
    RecordedRequest request = server.takeRequest();
    assertThat(request.method()).isEqualTo("POST");
    assertThat(request.path()).isEqualTo("/api/chat");
    assertThat(request.header("authorization")).isNull();
    assertThat(request.bodyText())
        .isEqualTo(
            "{\"model\":\"llama3.2\",\"messages\":[{\"role\":\"user\","
                + "\"content\":\"Why is the sky blue?\"}],\"stream\":true,\"options\":{\"temperature\":0.1,\"num_predict\":64,"
                + "\"stop\":[\"\\n\\n\"]}}");
  }

  @Test
  void aLineSplitAcrossReadsIsOneToken() {
    String line = piece("Hello, wörld");
    server.enqueue(ndjson(line.substring(0, 40), line.substring(40), DONE));

    assertThat(ollama.complete(CompletionRequest.of("Hi")).text()).isEqualTo("Hello, wörld");
  }

  @Test
  void thinkingIsReasoningKeptApartFromTheText() {
    server.enqueue(
        ndjson(thinking("Blue light"), thinking(" scatters."), piece("Rayleigh."), DONE));
    List<CompletionEvent> events = new ArrayList<>();

    try (CompletionStream stream = ollama.complete(CompletionRequest.of("Why is the sky blue?"))) {
      stream.events().forEach(events::add);
    }

    assertThat(events)
        .containsExactly(
            new CompletionEvent.Answered("Ollama-Native", "llama3.2"),
            new CompletionEvent.Reasoning("Blue light"),
            new CompletionEvent.Reasoning(" scatters."),
            new CompletionEvent.Text("Rayleigh."),
            new CompletionEvent.Finish("stop"),
            new CompletionEvent.UsageReport(new Usage(26, 3, 29)));
  }

  @Test
  void readsAWholeAnswerWhenNotStreaming() throws Exception {
    server.enqueue(
        exchange ->
            exchange.respond(
                200,
                "application/json",
                "{\"model\":\"llama3.2\",\"message\":{\"role\":\"assistant\",\"content\":\"Whole.\"},\"done\":true,\"done_reason\":\"length\"}"));

    CompletionStream stream =
        ollama.complete(CompletionRequest.builder().user("Hi").stream(false).build());

    assertThat(stream.text()).isEqualTo("Whole.");
    assertThat(stream.finishReason()).contains("length");
    assertThat(server.takeRequest().bodyText()).contains("\"stream\":false");
  }

  @Test
  void readsItsUrlAndDefaultModelFromOllamaNativeVariables() throws Exception {
    OllamaNativeProvider configured =
        new OllamaNativeProvider(
            OllamaNativeProvider.configured(
                ConfigSource.of(
                    Map.of(),
                    Map.of(
                        "OLLAMA_NATIVE_URL",
                        server.url().toString(),
                        "OLLAMA_NATIVE_MODEL",
                        "qwen3:8b"))));
    server.enqueue(ndjson(piece("Hi"), DONE));

    configured.complete(CompletionRequest.of("Hi")).text();

    assertThat(configured.info().defaultModel()).isEqualTo("qwen3:8b");
    assertThat(server.takeRequest().bodyText()).startsWith("{\"model\":\"qwen3:8b\",");
    configured.close();
  }

  @Test
  void mapsAMissingModelToModelNotFound() {
    server.enqueue(
        exchange ->
            exchange.respond(404, "application/json", "{\"error\":\"model 'nope' not found\"}"));

    ProviderException e =
        catchThrowableOfType(
            ProviderException.class,
            () ->
                ollama
                    .complete(CompletionRequest.builder().model("nope").user("Hi").build())
                    .text());

    assertThat(e).isInstanceOf(ProviderException.ModelNotFound.class);
    assertThat(e.getMessage()).isEqualTo("[Ollama-Native] HTTP 404: model 'nope' not found");
    assertThat(e.httpStatus()).hasValue(404);
  }

  @Test
  void reportsAnErrorLineWithThePartialText() {
    server.enqueue(ndjson(piece("Once"), "{\"error\":\"out of memory\"}\n"));

    ProviderException e =
        catchThrowableOfType(
            ProviderException.class, () -> ollama.complete(CompletionRequest.of("Hi")).text());

    assertThat(e).isInstanceOf(ProviderException.ServerError.class);
    assertThat(e.getMessage()).isEqualTo("[Ollama-Native] error in the stream: out of memory");
    assertThat(e.partialText()).isEqualTo("Once");
  }

  @Test
  void aCutStreamIsAnErrorCarryingThePartialText() {
    server.enqueue(
        exchange -> {
          exchange.chunkedHead(200, "Content-Type: application/x-ndjson");
          exchange.chunk(piece("Once"));
          exchange.chunk(piece(" upon"));
          exchange.reset();
        });
    List<String> tokens = new ArrayList<>();

    ProviderException e =
        catchThrowableOfType(
            ProviderException.class,
            () -> ollama.complete(CompletionRequest.of("Hi")).forEach(tokens::add));

    assertThat(tokens).containsExactly("Once", " upon");
    assertThat(e).isInstanceOf(ProviderException.ConnectionFailed.class);
    assertThat(e.partialText()).isEqualTo("Once upon");
  }

  @Test
  void aBodyEndingBeforeDoneWasCutShort() {
    server.enqueue(ndjson(piece("Once"), piece(" upon")));

    ProviderException e =
        catchThrowableOfType(
            ProviderException.class, () -> ollama.complete(CompletionRequest.of("Hi")).text());

    assertThat(e).isInstanceOf(ProviderException.ConnectionFailed.class);
    assertThat(e.getMessage())
        .isEqualTo("[Ollama-Native] the answer ended before its end marker; it was cut short");
    assertThat(e.partialText()).isEqualTo("Once upon");
  }

  @Test
  void refusesAnUndeclaredOptionBeforeAnyIo() {
    assertThatThrownBy(
            () ->
                ollama.complete(
                    CompletionRequest.builder().user("Hi").option("num_predict", 5).build()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith(
            "Ollama-Native does not accept option 'num_predict'; accepted options: top_p (Double in [0, 1])");
    assertThat(server.connectionCount()).isZero();
  }
}
