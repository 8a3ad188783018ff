package org.example.ollama;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.completions.api.CompletionProvider;
import dev.completions.api.CompletionRequest;
import dev.completions.api.CompletionStream;
import dev.completions.api.ProviderException;
import dev.completions.api.Usage;
import dev.completions.tck.LoopbackServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class OllamaProviderTest {

  private final LoopbackServer server = LoopbackServer.start();
  private final OllamaProvider ollama = new OllamaProvider(server.url().toString(), "llama3.2", Duration.ofSeconds(5));

  @AfterEach
  void close() {
    server.close();
  }

  static String piece(String text) {
    return "{\"model\":\"llama3.2\",\"created_at\":\"2026-11-25T00:00:00Z\",\"message\":{\"role\":\"assistant\",\"content\":\""
        + text + "\"},\"done\":false}\n";
  }

  static final String DONE = "{\"model\":\"llama3.2\",\"message\":{\"role\":\"assistant\",\"content\":\"\"},\"done\":true,"
      + "\"done_reason\":\"stop\",\"total_duration\":1,\"prompt_eval_count\":26,\"eval_count\":3}\n";

  static LoopbackServer.Script ndjson(String... lines) {
    return LoopbackServer.streamed("application/x-ndjson", lines);
  }

  @Test
  void isFoundByServiceLoader() {
    assertThat(ServiceLoader.load(CompletionProvider.class).stream().map(p -> p.type().getName()))
        .contains(OllamaProvider.class.getName());
  }

  @Test
  void streamsMessageContentPiecesThenDoneReasonAndTokenCounts() throws Exception {
    server.enqueue(ndjson(piece("The"), piece(" sky"), piece(" is blue."), DONE));
    List<String> tokens = new ArrayList<>();

    CompletionStream stream = ollama.complete(CompletionRequest.builder().user("Why is the sky blue?")
        .temperature(0.1).option("num_predict", 64).option("stop", "\n\n").build());
    stream.forEach(tokens::add);

    assertThat(tokens).containsExactly("The", " sky", " is blue.");
    assertThat(stream.finishReason()).contains("stop");
    assertThat(stream.usage()).contains(new Usage(26, 3, 29));
    var request = server.takeRequest();
    assertThat(request.method()).isEqualTo("POST");
    assertThat(request.path()).isEqualTo("/api/chat");
    assertThat(request.bodyText()).isEqualTo("{\"model\":\"llama3.2\",\"messages\":[{\"role\":\"user\","
        + "\"content\":\"Why is the sky blue?\"}],\"stream\":true,\"options\":{\"temperature\":0.1,\"num_predict\":64,"
        + "\"stop\":[\"\\n\\n\"]}}");
  }

  @Test
  void readsAWholeAnswerWhenNotStreaming() throws Exception {
    server.enqueue(exchange -> exchange.respond(200, "application/json",
        "{\"model\":\"llama3.2\",\"message\":{\"role\":\"assistant\",\"content\":\"Whole.\"},\"done\":true,\"done_reason\":\"length\"}"));

    CompletionStream stream = ollama.complete(CompletionRequest.builder().user("Hi").stream(false).build());

    assertThat(stream.text()).isEqualTo("Whole.");
    assertThat(stream.finishReason()).contains("length");
    assertThat(server.takeRequest().bodyText()).contains("\"stream\":false");
  }

  @Test
  void mapsAMissingModelToModelNotFound() {
    server.enqueue(exchange -> exchange.respond(404, "application/json", "{\"error\":\"model 'nope' not found\"}"));

    ProviderException e = catchThrowableOfType(ProviderException.class,
        () -> ollama.complete(CompletionRequest.builder().model("nope").user("Hi").build()).text());

    assertThat(e).isInstanceOf(ProviderException.ModelNotFound.class);
    assertThat(e.getMessage()).isEqualTo("[Ollama] HTTP 404: model 'nope' not found");
    assertThat(e.httpStatus()).hasValue(404);
  }

  @Test
  void reportsAnErrorLineWithThePartialText() {
    server.enqueue(ndjson(piece("Once"), "{\"error\":\"out of memory\"}\n"));

    ProviderException e = catchThrowableOfType(ProviderException.class, () -> ollama.complete(CompletionRequest.of("Hi")).text());

    assertThat(e).isInstanceOf(ProviderException.ServerError.class);
    assertThat(e.getMessage()).isEqualTo("[Ollama] error in the stream: out of memory");
  }

  @Test
  void aCutStreamIsAnErrorCarryingThePartialText() {
    server.enqueue(exchange -> {
      exchange.chunkedHead(200, "Content-Type: application/x-ndjson");
      exchange.chunk(piece("Once"));
      exchange.chunk(piece(" upon"));
      exchange.reset();
    });
    List<String> tokens = new ArrayList<>();

    ProviderException e = catchThrowableOfType(ProviderException.class,
        () -> ollama.complete(CompletionRequest.of("Hi")).forEach(tokens::add));

    assertThat(tokens).containsExactly("Once", " upon");
    assertThat(e).isInstanceOf(ProviderException.ConnectionFailed.class);
    assertThat(e.partialText()).isEqualTo("Once upon");
  }

  @Test
  void refusesAnUndeclaredOptionBeforeAnyIo() {
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> ollama.complete(CompletionRequest.builder().user("Hi").option("max_tokens", 5).build()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("Ollama does not accept option 'max_tokens'; accepted options: num_predict (Integer >= -1)");
    assertThat(server.connectionCount()).isZero();
  }
}
