package org.example.ollama;

import dev.completions.api.CompletionProvider;
import dev.completions.tck.LoopbackServer;
import dev.completions.tck.ProviderConformanceTest;
import dev.completions.tck.WireFormat;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;

/** The third-party Ollama provider passes the same kit on its own wire format (NDJSON). */
class OllamaConformanceTest extends ProviderConformanceTest {

  @Override
  protected CompletionProvider createProvider(URI baseUrl, Duration idleTimeout) {
    return new OllamaProvider(baseUrl.toString(), "llama3.2", idleTimeout);
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
        exchange.chunk("{\"model\":\"llama3.2\",\"message\":{\"role\":\"assistant\",\"content\":" + LoopbackServer.jsonString(token)
            + "},\"done\":false}\n");
      }

      @Override
      public void end(LoopbackServer.Exchange exchange) throws IOException {
        exchange.chunk(OllamaProviderTest.DONE);
        exchange.endChunks();
      }

      @Override
      public void error(LoopbackServer.Exchange exchange, int status, String message) throws IOException {
        exchange.respond(status, "application/json", "{\"error\":" + LoopbackServer.jsonString(message) + "}");
      }
    };
  }
}
