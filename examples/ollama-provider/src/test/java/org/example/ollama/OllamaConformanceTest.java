package org.example.ollama;

import dev.completions.api.CompletionProvider;
import dev.completions.api.Usage;
import dev.completions.tck.ExpectedRequest;
import dev.completions.tck.LoopbackServer;
import dev.completions.tck.ProviderConformanceTest;
import dev.completions.tck.WireFormat;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;

/** The third-party Ollama provider passes the same kit on its own wire format (NDJSON). */
class OllamaConformanceTest extends ProviderConformanceTest {

  @Override
  protected CompletionProvider createProvider(URI baseUrl, Duration timeout) {
    return new OllamaNativeProvider(
        OllamaNativeProvider.DEFAULTS.toBuilder()
            .baseUrl(baseUrl)
            .firstByteTimeout(timeout)
            .idleTimeout(timeout)
            .attempts(attempts())
            .build());
  }

  @Override
  protected int attempts() {
    return 2;
  }

  @Override
  protected ExpectedRequest expectedRequest() {
    return ExpectedRequest.post("/api/chat");
  }

  @Override
  protected WireFormat wireFormat() {
    return new WireFormat() {
      @Override
      public void head(LoopbackServer.Exchange exchange) throws IOException {
        exchange.chunkedHead(200, "Content-Type: application/x-ndjson");
      }

      @Override
      public void token(LoopbackServer.Exchange exchange, String token) throws IOException {
        exchange.chunk(OllamaNativeProviderTest.piece(token));
      }

      @Override
      public void reasoning(LoopbackServer.Exchange exchange, String text) throws IOException {
        exchange.chunk(OllamaNativeProviderTest.thinking(text));
      }

      @Override
      public void end(LoopbackServer.Exchange exchange) throws IOException {
        exchange.chunk(OllamaNativeProviderTest.DONE);
        exchange.endChunks();
      }

      @Override
      public void finish(LoopbackServer.Exchange exchange, String finishReason, Usage usage)
          throws IOException {
        exchange.chunk(
            OllamaNativeProviderTest.done(
                finishReason, (int) usage.promptTokens(), (int) usage.completionTokens()));
        exchange.endChunks();
      }

      @Override
      public void streamError(LoopbackServer.Exchange exchange, String message) throws IOException {
        exchange.chunk("{\"error\":" + LoopbackServer.jsonString(message) + "}\n");
        exchange.endChunks();
      }

      @Override
      public void endWithoutMarker(LoopbackServer.Exchange exchange) throws IOException {
        exchange.endChunks();
      }

      @Override
      public void nonStreamed(LoopbackServer.Exchange exchange, String text) throws IOException {
        exchange.respond(
            200,
            "application/json",
            "{\"model\":\"llama3.2\",\"message\":{\"role\":\"assistant\",\"content\":"
                + LoopbackServer.jsonString(text)
                + "},\"done\":true,\"done_reason\":\"stop\"}");
      }

      @Override
      public void error(LoopbackServer.Exchange exchange, int status, String message)
          throws IOException {
        exchange.respond(
            status, "application/json", "{\"error\":" + LoopbackServer.jsonString(message) + "}");
      }
    };
  }
}
