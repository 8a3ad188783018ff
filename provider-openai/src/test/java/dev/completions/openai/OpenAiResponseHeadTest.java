package dev.completions.openai;

import static dev.completions.openai.Fixtures.DONE;
import static dev.completions.openai.Fixtures.content;
import static dev.completions.openai.Fixtures.hello;
import static dev.completions.openai.Fixtures.provider;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.completions.api.ProviderException;
import dev.completions.tck.LoopbackServer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The response head: a deadline for all of it, a head cut short, a head that is not HTTP, the port
 * named.
 */
class OpenAiResponseHeadTest {

  private final LoopbackServer server = LoopbackServer.start();
  private final Fixtures.RecordingSleeper sleeper = new Fixtures.RecordingSleeper();
  private final OpenAiCompatibleProvider acme = provider(server, sleeper).build();
  private final OpenAiCompatibleProvider impatient =
      provider(server, sleeper).firstByteTimeout(Duration.ofMillis(300)).attempts(1).build();

  @AfterEach
  void close() {
    assertThat(acme.leasedConnections()).isZero();
    assertThat(impatient.leasedConnections()).isZero();
    acme.close();
    impatient.close();
    server.close();
  }

  private ProviderException failure(OpenAiCompatibleProvider provider) {
    return catchThrowableOfType(ProviderException.class, () -> provider.complete(hello()).text());
  }

  @Test
  @Timeout(
      value = 30,
      unit = TimeUnit.SECONDS,
      threadMode =
          Timeout.ThreadMode.SEPARATE_THREAD) // a hang guard: the typed timeout proves the deadline
  void theFirstByteTimeoutIsADeadlineThatEndlessContinueHeadsDoNotStretch() {
    server.enqueue(
        exchange -> {
          while (true) { // until the client hangs up
            exchange.raw("HTTP/1.1 100 Continue\r\n\r\n");
          }
        });
    ProviderException e = failure(impatient);

    assertThat(e)
        .isInstanceOf(ProviderException.Timeout.class)
        .hasMessage(
            "[Acme] the response head was not complete within 300 ms (acme.firstByteTimeout)");
  }

  @Test
  @Timeout(
      value = 30,
      unit = TimeUnit.SECONDS,
      threadMode =
          Timeout.ThreadMode.SEPARATE_THREAD) // a hang guard: the typed timeout proves the deadline
  void theFirstByteTimeoutIsADeadlineThatAHeadSentAByteAtATimeDoesNotStretch() {
    byte[] head =
        "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nTransfer-Encoding: chunked\r\n\r\n"
            .getBytes(StandardCharsets.US_ASCII);
    server.enqueue(
        exchange -> {
          for (byte b : head) {
            exchange.raw(new byte[] {b});
            Thread.sleep(
                20); // the server is slow on purpose: a byte every 20 ms, the whole head in about
            // 1.7 s
          }
          exchange.chunk(content("late")).chunk(DONE).endChunks();
        });
    ProviderException e = failure(impatient);

    assertThat(e)
        .isInstanceOf(ProviderException.Timeout.class)
        .hasMessage(
            "[Acme] the response head was not complete within 300 ms (acme.firstByteTimeout)");
  }

  @Test
  void aHeadCutMidwayIsAConnectionFailureRetriedLikeOneNotAnEmptyAnswer() {
    for (int i = 0; i < 3; i++) {
      server.enqueue(
          exchange -> {
            exchange.raw("HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\n");
            exchange.close();
          });
    }

    ProviderException e = failure(acme);

    assertThat(e)
        .isInstanceOf(ProviderException.ConnectionFailed.class)
        .hasMessage(
            "[Acme] the connection closed in the middle of the response head (after 3 attempts)");
    assertThat(server.requestCount()).isEqualTo(3);
  }

  @Test
  void aMalformedHeaderLineIsAProtocolErrorThatIsNotRetried() {
    server.enqueue(exchange -> exchange.raw("HTTP/1.1 200 OK\r\nbroken header line\r\n\r\n"));

    ProviderException e = failure(acme);

    assertThat(e)
        .isInstanceOf(ProviderException.ProtocolError.class)
        .hasMessage("[Acme] malformed response head: Invalid header: <broken header line>");
    assertThat(e.isRetryable()).isFalse();
    assertThat(server.requestCount()).isEqualTo(1);
  }

  @Test
  void aStatusLineThatIsNotHttpIsAProtocolErrorThatIsNotRetried() {
    server.enqueue(
        exchange -> {
          exchange.raw("HTTP/1.1 abc OK\r\n\r\n");
          exchange.close();
        });

    ProviderException e = failure(acme);

    assertThat(e)
        .isInstanceOf(ProviderException.ProtocolError.class)
        .hasMessage("[Acme] malformed response head: not an HTTP status line: 'HTTP/1.1 abc OK'");
    assertThat(server.requestCount()).isEqualTo(1);
  }

  @Test
  void portZeroAndPortsAbove65535AreRefusedNamingTheSetting() {
    for (String url : new String[] {"http://127.0.0.1:0", "http://127.0.0.1:99999"}) {
      assertThatThrownBy(() -> provider(server, sleeper).baseUrl(url).build())
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("acme.url: the port must be between 1 and 65535, got " + url);
    }
  }
}
