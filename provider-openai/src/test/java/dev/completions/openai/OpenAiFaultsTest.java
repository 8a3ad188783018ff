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
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Faults on real loopback sockets: each case checks the exact tokens or typed error, the number of
 * attempts, that it ended within its time bound, and that no connection stays leased.
 */
class OpenAiFaultsTest {

  private final LoopbackServer server = LoopbackServer.start();
  private final Fixtures.RecordingSleeper sleeper = new Fixtures.RecordingSleeper();
  private final OpenAiCompatibleProvider acme =
      provider(server, sleeper)
          .firstByteTimeout(Duration.ofSeconds(2))
          .idleTimeout(Duration.ofSeconds(2))
          .build();
  private long started;

  @AfterEach
  void close() {
    assertThat(acme.leasedConnections()).as("leased connections").isZero();
    acme.close();
    server.close();
  }

  private ProviderException failure(OpenAiCompatibleProvider provider, List<String> tokens) {
    started = System.nanoTime();
    return catchThrowableOfType(
        ProviderException.class,
        () -> {
          try (CompletionStream stream = provider.complete(hello())) {
            stream.forEach(tokens::add);
          }
        });
  }

  private Duration elapsed() {
    return Duration.ofNanos(System.nanoTime() - started);
  }

  @Test
  void aResetBeforeTheStatusLineIsRetriedThenReportedAsAConnectionFailure() {
    for (int i = 0; i < 3; i++) {
      server.enqueue(LoopbackServer.Exchange::reset);
    }

    ProviderException e = failure(acme, new ArrayList<>());

    assertThat(e).isInstanceOf(ProviderException.ConnectionFailed.class);
    assertThat(e.attempts()).isEqualTo(3);
    assertThat(server.requestCount()).isEqualTo(3);
    assertThat(e.partialText()).isEmpty();
    assertThat(elapsed()).isLessThan(Duration.ofSeconds(5));
  }

  @Test
  void aResetBeforeTheStatusLineThenSuccessDeliversTheAnswer() {
    server.enqueue(LoopbackServer.Exchange::reset);
    server.enqueue(sse(content("fine"), DONE));

    assertThat(acme.complete(hello()).text()).isEqualTo("fine");
    assertThat(server.requestCount()).isEqualTo(2);
  }

  @Test
  void twoServiceUnavailableThenSuccess() {
    server.enqueue(respond(503, "text/plain", "busy"));
    server.enqueue(respond(503, "text/plain", "busy"));
    server.enqueue(sse(content("third"), content(" time"), DONE));

    started = System.nanoTime();
    assertThat(acme.complete(hello()).text()).isEqualTo("third time");
    assertThat(server.requestCount()).isEqualTo(3);
    assertThat(sleeper.waits).hasSize(2);
    assertThat(elapsed()).isLessThan(Duration.ofSeconds(5));
  }

  @Test
  void eachRetryIsAnEventBeforeItsWaitAndNoText() {
    server.enqueue(respond(503, "text/plain", "busy"));
    server.enqueue(respond(503, "text/plain", "busy"));
    server.enqueue(sse(content("third"), DONE));

    CompletionStream stream = acme.complete(hello());
    List<dev.completions.api.CompletionEvent> events = new ArrayList<>();
    java.util.Iterator<dev.completions.api.CompletionEvent> reading = stream.events().iterator();
    events.add(reading.next());
    assertThat(sleeper.waits).as("the first retry is told before its wait").isEmpty();
    reading.forEachRemaining(events::add);

    List<dev.completions.api.CompletionEvent.Retrying> retries =
        events.stream()
            .filter(dev.completions.api.CompletionEvent.Retrying.class::isInstance)
            .map(dev.completions.api.CompletionEvent.Retrying.class::cast)
            .toList();
    assertThat(events.get(0)).isSameAs(retries.get(0));
    assertThat(retries)
        .extracting(
            dev.completions.api.CompletionEvent.Retrying::provider,
            dev.completions.api.CompletionEvent.Retrying::attempt,
            r -> r.failure().kind(),
            dev.completions.api.CompletionEvent.Retrying::delay)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(
                "Acme", 1, ProviderException.Kind.SERVER, sleeper.waits.get(0)),
            org.assertj.core.groups.Tuple.tuple(
                "Acme", 2, ProviderException.Kind.SERVER, sleeper.waits.get(1)));
    assertThat(stream.textSoFar()).isEqualTo("third");
  }

  @Test
  void aSlowDripWithinTheTimeoutsCompletes() {
    String wire = content("drip") + content(" drop") + DONE;
    server.enqueue(
        exchange -> {
          exchange.chunkedHead(200, "Content-Type: text/event-stream");
          byte[] bytes = wire.getBytes(StandardCharsets.UTF_8);
          for (int i = 0; i < bytes.length; i += 16) {
            exchange.chunk(java.util.Arrays.copyOfRange(bytes, i, Math.min(bytes.length, i + 16)));
            Thread.sleep(
                5); // the server is slow on purpose: 5 ms between pieces, far below the 2 s idle
            // timeout
          }
          exchange.endChunks();
        });

    assertThat(acme.complete(hello()).text()).isEqualTo("drip drop");
    assertThat(server.requestCount()).isEqualTo(1);
  }

  @Test
  void anUnresolvableHostIsAConnectionFailureNamingTheHost() {
    try (OpenAiCompatibleProvider nowhere =
        provider(server, sleeper).baseUrl("http://no-such-host.invalid:8080").build()) {
      ProviderException e = failure(nowhere, new ArrayList<>());

      assertThat(e).isInstanceOf(ProviderException.ConnectionFailed.class);
      assertThat(e.getMessage())
          .isEqualTo("[Acme] unknown host no-such-host.invalid (after 3 attempts)");
      assertThat(e.attempts()).isEqualTo(3);
      assertThat(elapsed()).isLessThan(Duration.ofSeconds(30));
      assertThat(nowhere.leasedConnections()).isZero();
    }
  }

  @Test
  void aGzipEncodedStreamIsDecodedAsItArrives() throws IOException {
    byte[] gzipped = gzip(content("com") + content("pressed") + DONE);
    server.enqueue(
        exchange -> {
          exchange.chunkedHead(200, "Content-Type: text/event-stream", "Content-Encoding: gzip");
          exchange.chunk(gzipped);
          exchange.endChunks();
        });
    List<String> tokens = new ArrayList<>();

    try (CompletionStream stream = acme.complete(hello())) {
      stream.forEach(tokens::add);
    }

    assertThat(tokens).containsExactly("com", "pressed");
    assertThat(server.takeRequestQuietly().header("Accept-Encoding")).contains("gzip");
  }

  @Test
  void aRetryAfterBeyondTheCapFailsAtOnceWithoutSleeping() {
    server.enqueue(
        respond(
            429, "application/json", "{\"error\":{\"message\":\"later\"}}", "Retry-After: 120"));

    ProviderException e = failure(acme, new ArrayList<>());

    assertThat(e).isInstanceOf(ProviderException.RateLimited.class);
    assertThat(e.attempts()).isEqualTo(1);
    assertThat(sleeper.waits).isEmpty();
    assertThat(elapsed()).isLessThan(Duration.ofSeconds(2));
  }

  private static byte[] gzip(String text) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream zip = new GZIPOutputStream(out)) {
      zip.write(text.getBytes(StandardCharsets.UTF_8));
    }
    return out.toByteArray();
  }
}
