package dev.completions.openai;

import static dev.completions.openai.Fixtures.DONE;
import static dev.completions.openai.Fixtures.content;
import static dev.completions.openai.Fixtures.hello;
import static dev.completions.openai.Fixtures.provider;
import static dev.completions.openai.Fixtures.respond;
import static dev.completions.openai.Fixtures.sse;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.completions.api.CompletionStream;
import dev.completions.api.ProviderException;
import dev.completions.tck.LoopbackServer;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.Iterator;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Cancellation, timeouts and the connection pool: nothing hangs, nothing stays leased. */
class OpenAiResourcesTest {

  private final LoopbackServer server = LoopbackServer.start();
  private final CountDownLatch release = new CountDownLatch(1);
  private final OpenAiCompatibleProvider acme =
      provider(server, new Fixtures.RecordingSleeper()).build();

  @AfterEach
  void close() {
    release.countDown();
    acme.close();
    server.close();
  }

  /** Streams tokens until the client goes away, then counts down {@code clientGone}. */
  private LoopbackServer.Script endless(CountDownLatch clientGone) {
    return exchange -> {
      exchange.chunkedHead(200, "Content-Type: text/event-stream");
      try {
        while (true) {
          exchange.chunk(content("tick "));
        }
      } catch (IOException e) {
        clientGone.countDown();
        throw e;
      }
    };
  }

  @Test
  void closingEarlyAbortsTheExchangeWithoutDrainingAndFreesTheConnection() throws Exception {
    CountDownLatch clientGone = new CountDownLatch(1);
    server.enqueue(endless(clientGone));

    try (CompletionStream stream = acme.complete(hello())) {
      Iterator<String> tokens = stream.iterator();
      for (int i = 0; i < 3; i++) {
        assertThat(tokens.next()).isEqualTo("tick ");
      }
      assertThat(acme.leasedConnections()).isEqualTo(1);
    }

    assertThat(acme.leasedConnections()).isZero();
    assertThat(clientGone.await(5, TimeUnit.SECONDS))
        .as("the server saw the connection close")
        .isTrue();
  }

  @Test
  void closingFromAnotherThreadCancelsABlockedRead() throws Exception {
    server.enqueue(
        exchange -> {
          exchange.chunkedHead(200, "Content-Type: text/event-stream");
          exchange.chunk(content("first"));
          release.await();
        });
    CompletionStream stream = acme.complete(hello());
    Iterator<String> tokens = stream.iterator();
    assertThat(tokens.next()).isEqualTo("first");

    CompletableFuture<ProviderException> blocked =
        CompletableFuture.supplyAsync(
            () -> catchThrowableOfType(ProviderException.class, tokens::hasNext));
    assertThat(acme.leasedConnections()).isEqualTo(1);
    stream.close();

    ProviderException e = blocked.get(5, TimeUnit.SECONDS);
    assertThat(e).isInstanceOf(ProviderException.Cancelled.class);
    assertThat(e.partialText()).isEqualTo("first");
    assertThat(acme.leasedConnections()).isZero();
  }

  @Test
  void interruptingTheReaderBlockedInAReadCancelsWithinASecond() throws Exception {
    server.enqueue(
        exchange -> {
          exchange.chunkedHead(200, "Content-Type: text/event-stream");
          exchange.chunk(content("first"));
          release.await();
        });
    CompletableFuture<ProviderException> outcome = new CompletableFuture<>();
    CountDownLatch firstToken = new CountDownLatch(1);
    Thread reader =
        new Thread(
            () -> {
              try (CompletionStream stream = acme.complete(hello())) {
                Iterator<String> tokens = stream.iterator();
                tokens.next();
                firstToken.countDown();
                tokens.hasNext();
                outcome.complete(null);
              } catch (ProviderException e) {
                outcome.complete(e);
              }
            });
    reader.start();
    assertThat(firstToken.await(5, TimeUnit.SECONDS)).isTrue();

    long start = System.nanoTime();
    reader.interrupt();
    ProviderException e = outcome.get(5, TimeUnit.SECONDS);

    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(1));
    assertThat(e).isInstanceOf(ProviderException.Cancelled.class);
    assertThat(e.getMessage()).isEqualTo("[Acme] the reading thread was interrupted");
    assertThat(e.partialText()).isEqualTo("first");
    assertThat(acme.leasedConnections()).isZero();
  }

  @Test
  void aThousandStreamsCompletedFailedAndAbandonedLeaveNoConnectionLeased() {
    try (OpenAiCompatibleProvider once =
        provider(server, new Fixtures.RecordingSleeper()).attempts(1).build()) {
      for (int i = 0; i < 1000; i++) {
        switch (i % 3) {
          case 0 -> {
            server.enqueue(sse(content("a"), content("b"), DONE));
            assertThat(once.complete(hello()).text()).isEqualTo("ab");
          }
          case 1 -> {
            server.enqueue(respond(500, "text/plain", "boom"));
            assertThat(
                    catchThrowableOfType(
                        ProviderException.class, () -> once.complete(hello()).text()))
                .isInstanceOf(ProviderException.ServerError.class);
          }
          default -> {
            server.enqueue(sse(content("a"), content("b"), DONE));
            try (CompletionStream stream = once.complete(hello())) {
              assertThat(stream.iterator().next()).isEqualTo("a");
            }
          }
        }
      }
      assertThat(once.leasedConnections()).isZero();
    }
    assertThat(server.requestCount()).isEqualTo(1000);
    assertThat(server.connectionCount())
        .as("completed streams reuse their connection")
        .isLessThan(1000);
  }

  @Test
  void theIdleTimeoutFiresWhenTheServerFallsSilentAfterTheHead() {
    server.enqueue(
        exchange -> {
          exchange.chunkedHead(200, "Content-Type: text/event-stream");
          exchange.chunk(content("first"));
          release.await();
        });
    try (OpenAiCompatibleProvider impatient =
        provider(server, new Fixtures.RecordingSleeper())
            .idleTimeout(Duration.ofMillis(300))
            .build()) {
      ProviderException e =
          catchThrowableOfType(ProviderException.class, () -> impatient.complete(hello()).text());

      assertThat(e).isInstanceOf(ProviderException.Timeout.class);
      assertThat(e.getMessage()).isEqualTo("[Acme] no data for 300 ms (acme.idleTimeout)");
      assertThat(e.partialText()).isEqualTo("first");
      assertThat(e.attempts()).isEqualTo(1);
      assertThat(impatient.leasedConnections()).isZero();
    }
  }

  @Test
  void theFirstByteTimeoutFiresWhenTheServerNeverAnswers() {
    server.enqueue(exchange -> release.await());
    try (OpenAiCompatibleProvider impatient =
        provider(server, new Fixtures.RecordingSleeper())
            .firstByteTimeout(Duration.ofMillis(300))
            .attempts(1)
            .build()) {
      ProviderException e =
          catchThrowableOfType(ProviderException.class, () -> impatient.complete(hello()).text());

      assertThat(e).isInstanceOf(ProviderException.Timeout.class);
      assertThat(e.getMessage())
          .isEqualTo("[Acme] no answer within 300 ms (acme.firstByteTimeout)");
      assertThat(e.isRetryable()).isTrue();
      assertThat(impatient.leasedConnections()).isZero();
    }
  }

  @Test
  void aRefusedConnectionIsAConnectionErrorRetriedUpToTheAttemptLimit() throws IOException {
    int port;
    try (ServerSocket closedPort = new ServerSocket(0)) {
      port = closedPort.getLocalPort();
    }
    Fixtures.RecordingSleeper sleeper = new Fixtures.RecordingSleeper();
    try (OpenAiCompatibleProvider refused =
        provider(server, sleeper).baseUrl("http://127.0.0.1:" + port).attempts(2).build()) {
      ProviderException e =
          catchThrowableOfType(ProviderException.class, () -> refused.complete(hello()).text());

      assertThat(e).isInstanceOf(ProviderException.ConnectionFailed.class);
      assertThat(e.getMessage())
          .startsWith("[Acme] could not connect to 127.0.0.1:" + port + ": ")
          .endsWith("(after 2 attempts)");
      assertThat(e.attempts()).isEqualTo(2);
      assertThat(sleeper.waits).hasSize(1);
      assertThat(refused.leasedConnections()).isZero();
    }
  }

  @Test
  void aClosedProviderRefusesNewRequests() {
    acme.close();
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> acme.complete(hello()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("Acme provider is closed");
  }

  private static Thread interruptWatch() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(
            thread -> thread.getName().equals("completions-interrupt-watch") && thread.isAlive())
        .findFirst()
        .orElse(null);
  }

  @Test
  void requestsAFewHundredMillisecondsApartShareOneInterruptWatchThread()
      throws InterruptedException {
    server.enqueue(sse(content("a"), DONE));
    server.enqueue(sse(content("b"), DONE));

    assertThat(acme.complete(hello()).text()).isEqualTo("a");
    Thread watch = interruptWatch();
    TimeUnit.MILLISECONDS.sleep(
        200); // the pause under test: a caller's think time between requests
    assertThat(acme.complete(hello()).text()).isEqualTo("b");

    assertThat(watch).isNotNull();
    assertThat(interruptWatch()).isSameAs(watch);
  }
}
