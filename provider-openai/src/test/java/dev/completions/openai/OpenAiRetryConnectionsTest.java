package dev.completions.openai;

import static dev.completions.openai.Fixtures.DONE;
import static dev.completions.openai.Fixtures.content;
import static dev.completions.openai.Fixtures.hello;
import static dev.completions.openai.Fixtures.provider;
import static dev.completions.openai.Fixtures.respond;
import static dev.completions.openai.Fixtures.sse;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.completions.api.ProviderException;
import dev.completions.tck.LoopbackServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Which connection a retry uses after an error answer, and which error is reported in the end. */
class OpenAiRetryConnectionsTest {

  private static final String SLOW_DOWN = "{\"error\":{\"message\":\"slow down\"}}";

  private final LoopbackServer server = LoopbackServer.start();
  private final Fixtures.RecordingSleeper sleeper = new Fixtures.RecordingSleeper();
  private final OpenAiCompatibleProvider twice = provider(server, sleeper).attempts(2).build();

  @AfterEach
  void close() {
    assertThat(twice.leasedConnections()).isZero();
    twice.close();
    server.close();
  }

  @Test
  void aRetryThatFindsItsPooledConnectionClosedByTheServerCountsNoAttempt() {
    server.enqueue(
        exchange -> {
          exchange.respond(
              429, "application/json", SLOW_DOWN); // keep-alive, by HTTP/1.1's default...
          exchange.close(); // ...but the server closes the connection right after
        });
    server.enqueue(sse(content("ok"), DONE));

    assertThat(twice.complete(hello()).text()).isEqualTo("ok");
    assertThat(server.requestCount()).isEqualTo(2);
    assertThat(server.connectionCount()).isEqualTo(2);
    assertThat(sleeper.waits).as("one backoff, after the 429").hasSize(1);
  }

  @Test
  void theFinalErrorIsTheMostInformativeOneNotTheLastConnectionFailure() {
    server.enqueue(respond(429, "application/json", SLOW_DOWN, "Connection: close"));
    server.enqueue(LoopbackServer.Exchange::close); // a fresh connection, closed without an answer

    ProviderException e =
        catchThrowableOfType(ProviderException.class, () -> twice.complete(hello()).text());

    assertThat(e)
        .isInstanceOf(ProviderException.RateLimited.class)
        .hasMessage(
            "[Acme] HTTP 429: slow down (after 2 attempts; the last one: the server closed the connection without answering)");
    assertThat(e.attempts()).isEqualTo(2);
    assertThat(e.httpStatus()).hasValue(429);
    assertThat(server.requestCount()).isEqualTo(2);
  }

  @Test
  void anErrorAnswerThatSaysConnectionCloseIsNotReused() {
    server.enqueue(
        respond(503, "text/plain", "busy", "Connection: close")); // the server itself keeps it open
    server.enqueue(sse(content("ok"), DONE));

    assertThat(twice.complete(hello()).text()).isEqualTo("ok");
    assertThat(server.connectionCount()).isEqualTo(2);
  }

  @Test
  void anErrorAnswerNotReadToItsEndIsNotReused() {
    server.enqueue(
        respond(503, "text/plain", "x".repeat(200_000))); // more than the 64 KiB read of an error
    server.enqueue(sse(content("ok"), DONE));

    assertThat(twice.complete(hello()).text()).isEqualTo("ok");
    assertThat(server.connectionCount()).isEqualTo(2);
  }
}
