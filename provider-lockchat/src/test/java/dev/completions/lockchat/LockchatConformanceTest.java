package dev.completions.lockchat;

import dev.completions.api.CompletionProvider;
import dev.completions.tck.LoopbackServer;
import dev.completions.tck.ProviderConformanceTest;
import dev.completions.tck.WireFormat;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;

/** Lockchat passes the provider kit: OpenAI-style server-sent events. */
class LockchatConformanceTest extends ProviderConformanceTest {

  @Override
  protected CompletionProvider createProvider(URI baseUrl, Duration idleTimeout) {
    return LockchatProvider.builder()
        .source(new Settings.Source(key -> null, key -> null))
        .baseUrl(baseUrl.toString())
        .idleTimeout(idleTimeout)
        .attempts(1)
        .build();
  }

  @Override
  protected WireFormat wireFormat() {
    return new WireFormat() {
      @Override
      public void head(LoopbackServer.Exchange exchange) throws IOException {
        exchange.chunkedHead(200, "Content-Type: text/event-stream");
      }

      @Override
      public void token(LoopbackServer.Exchange exchange, String token) throws IOException {
        exchange.chunk(Fixtures.content(token));
      }

      @Override
      public void end(LoopbackServer.Exchange exchange) throws IOException {
        exchange.chunk(Fixtures.STOP + Fixtures.DONE);
        exchange.endChunks();
      }

      @Override
      public void error(LoopbackServer.Exchange exchange, int status, String message) throws IOException {
        exchange.respond(status, "application/json", "{\"error\":{\"message\":" + Fixtures.quote(message) + "}}");
      }
    };
  }
}
