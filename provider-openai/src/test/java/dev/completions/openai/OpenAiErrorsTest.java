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
import dev.completions.api.ProviderException.Kind;
import dev.completions.openai.internal.RetryPolicy;
import dev.completions.tck.LoopbackServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class OpenAiErrorsTest {

  private final LoopbackServer server = LoopbackServer.start();
  private final Fixtures.RecordingSleeper sleeper = new Fixtures.RecordingSleeper();
  private final OpenAiCompatibleProvider acme = provider(server, sleeper).build();

  @AfterEach
  void close() {
    assertThat(acme.leasedConnections()).as("leased connections").isZero();
    acme.close();
    server.close();
  }

  /** Reads the whole answer, collecting tokens, and returns the failure. */
  private ProviderException failure(List<String> tokens) {
    return catchThrowableOfType(
        ProviderException.class,
        () -> {
          try (CompletionStream stream = acme.complete(hello())) {
            stream.forEach(tokens::add);
          }
        });
  }

  private ProviderException failure() {
    return failure(new ArrayList<>());
  }

  @ParameterizedTest(name = "HTTP {0} -> {1}")
  @CsvSource({
    "400, BAD_REQUEST, false, 1",
    "401, AUTH, false, 1",
    "403, AUTH, false, 1",
    "404, MODEL_NOT_FOUND, false, 1",
    "422, BAD_REQUEST, false, 1",
    "500, SERVER, true, 3",
    "502, SERVER, true, 3",
    "503, SERVER, true, 3"
  })
  void mapsEachStatusToItsTypeAndRetriesOnlyWhatMayPass(
      int status, Kind kind, boolean retryable, int attempts) {
    for (int i = 0; i < attempts; i++) {
      server.enqueue(
          respond(
              status,
              "application/json",
              "{\"error\":{\"message\":\"went wrong\",\"type\":\"some_error\",\"code\":null}}"));
    }

    ProviderException e = failure();

    assertThat(e.kind()).isEqualTo(kind);
    assertThat(e.httpStatus()).hasValue(status);
    assertThat(e.isRetryable()).isEqualTo(retryable);
    assertThat(e.attempts()).isEqualTo(attempts);
    assertThat(e.provider()).isEqualTo("Acme");
    assertThat(e.getMessage())
        .startsWith("[Acme] HTTP " + status + ": went wrong (type some_error)");
    assertThat(server.requestCount()).isEqualTo(attempts);
  }

  @Test
  void mapsAContentFilterRefusalTo400ContentFiltered() {
    server.enqueue(
        respond(
            400,
            "application/json",
            "{\"error\":{\"message\":\"The response was filtered\",\"type\":null,\"code\":\"content_filter\"}}"));

    ProviderException e = failure();

    assertThat(e).isInstanceOf(ProviderException.ContentFiltered.class);
    assertThat(e.getMessage())
        .isEqualTo("[Acme] HTTP 400: The response was filtered (code content_filter)");
  }

  @Test
  void doesNotRetryAnExhaustedQuota() {
    server.enqueue(
        respond(
            429,
            "application/json",
            "{\"error\":{\"message\":\"You exceeded your current quota\",\"type\":\"insufficient_quota\",\"code\":\"insufficient_quota\"}}"));

    ProviderException e = failure();

    assertThat(e).isInstanceOf(ProviderException.QuotaExhausted.class);
    assertThat(e.isRetryable()).isFalse();
    assertThat(server.requestCount()).isEqualTo(1);
  }

  @Test
  void honoursRetryAfterThenSucceeds() {
    server.enqueue(
        respond(
            429, "application/json", "{\"error\":{\"message\":\"slow down\"}}", "Retry-After: 2"));
    server.enqueue(sse(content("ok"), DONE));

    assertThat(acme.complete(hello()).text()).isEqualTo("ok");
    assertThat(sleeper.waits).containsExactly(Duration.ofSeconds(2));
  }

  @Test
  void prefersRetryAfterMs() {
    server.enqueue(respond(503, "text/plain", "busy", "Retry-After-Ms: 250", "Retry-After: 9"));
    server.enqueue(sse(content("ok"), DONE));

    assertThat(acme.complete(hello()).text()).isEqualTo("ok");
    assertThat(sleeper.waits).containsExactly(Duration.ofMillis(250));
  }

  @Test
  void failsAtOnceAsARateLimitWhenRetryAfterExceedsTheCap() {
    server.enqueue(
        respond(
            429,
            "application/json",
            "{\"error\":{\"message\":\"slow down\"}}",
            "Retry-After: 3600"));

    ProviderException e = failure();

    assertThat(e).isInstanceOf(ProviderException.RateLimited.class);
    assertThat(e.retryAfter()).contains(Duration.ofHours(1));
    assertThat(e.getMessage())
        .isEqualTo(
            "[Acme] HTTP 429: slow down; the server asked to wait 3600000 ms, "
                + "longer than acme.maxRetryWait (60000 ms)");
    assertThat(sleeper.waits).isEmpty();
    assertThat(server.requestCount()).isEqualTo(1);
  }

  @Test
  void obeysXShouldRetryFalse() {
    server.enqueue(respond(503, "text/plain", "down", "X-Should-Retry: false"));

    ProviderException e = failure();

    assertThat(e).isInstanceOf(ProviderException.ServerError.class);
    assertThat(e.isRetryable()).isFalse();
    assertThat(server.requestCount()).isEqualTo(1);
  }

  @Test
  void turnsAnHtmlErrorPageIntoAReadableMessage() {
    server.enqueue(
        respond(
            502,
            "text/html",
            "<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center>"
                + "<hr><center>nginx</center></body></html>"));
    server.enqueue(respond(502, "text/html", "<html><body>502</body></html>"));
    server.enqueue(respond(502, "text/html", "<html><body><h1>502 Bad Gateway</h1></body></html>"));

    ProviderException e = failure();

    assertThat(e.getMessage()).isEqualTo("[Acme] HTTP 502: 502 Bad Gateway (after 3 attempts)");
  }

  @Test
  void backsOffExponentiallyWithJitterBetweenAttempts() {
    try (OpenAiCompatibleProvider patient = provider(server, sleeper).attempts(5).build()) {
      for (int i = 0; i < 5; i++) {
        server.enqueue(respond(500, "text/plain", "boom"));
      }
      ProviderException e =
          catchThrowableOfType(ProviderException.class, () -> patient.complete(hello()).text());
      assertThat(e.attempts()).isEqualTo(5);
    }
    // jitter is fixed at the midpoint (12.5% off) by the test sleeper's provider
    assertThat(sleeper.waits)
        .containsExactly(
            Duration.ofMillis(438),
            Duration.ofMillis(875),
            Duration.ofMillis(1750),
            Duration.ofMillis(3500));
  }

  @Test
  void capsTheBackoffAtEightSeconds() {
    RetryPolicy policy = new RetryPolicy(10, Duration.ofMinutes(1), d -> {}, () -> 0.0);
    assertThat(policy.backoff(1)).isEqualTo(Duration.ofMillis(500));
    assertThat(policy.backoff(5)).isEqualTo(Duration.ofSeconds(8));
    assertThat(policy.backoff(9)).isEqualTo(Duration.ofSeconds(8));
    RetryPolicy fullJitter = new RetryPolicy(10, Duration.ofMinutes(1), d -> {}, () -> 1.0);
    assertThat(fullJitter.backoff(9)).isEqualTo(Duration.ofSeconds(6));
  }

  @Test
  void reportsAnErrorEventInsideTheStreamWithThePartialText() {
    server.enqueue(
        sse(
            content("Hel"),
            content("lo"),
            "data: {\"error\":{\"message\":\"overloaded\",\"type\":\"server_error\"}}\n\n",
            DONE));
    List<String> tokens = new ArrayList<>();

    ProviderException e = failure(tokens);

    assertThat(tokens).containsExactly("Hel", "lo");
    assertThat(e).isInstanceOf(ProviderException.ServerError.class);
    assertThat(e.partialText()).isEqualTo("Hello");
    assertThat(e.getMessage())
        .isEqualTo("[Acme] error in the stream: overloaded (type server_error)");
    assertThat(server.requestCount()).isEqualTo(1);
  }

  @Test
  void anErrorEventWinsOverADoneThatFollows() {
    server.enqueue(
        sse(content("a"), "event: error\ndata: {\"message\":\"upstream failed\"}\n\n", DONE));
    List<String> tokens = new ArrayList<>();

    ProviderException e = failure(tokens);

    assertThat(tokens).containsExactly("a");
    assertThat(e.kind()).isEqualTo(Kind.SERVER);
    assertThat(e.partialText()).isEqualTo("a");
    assertThat(e.getMessage()).contains("upstream failed");
  }

  @Test
  void treatsALlamaCppErrorLineAsAnError() {
    server.enqueue(
        sse(
            content("a"),
            "error: {\"code\":500,\"message\":\"the request exceeds the available context size\",\"type\":\"exceed_context_size_error\"}\n\n"));
    List<String> tokens = new ArrayList<>();

    ProviderException e = failure(tokens);

    assertThat(e.partialText()).isEqualTo("a");
    assertThat(e.getMessage())
        .isEqualTo(
            "[Acme] error in the stream: the request exceeds the available "
                + "context size (type exceed_context_size_error) (code 500)");
  }

  @Test
  void reportsInvalidJsonAsAProtocolErrorWithThePartialText() {
    server.enqueue(
        sse(content("ok "), "data: {\"choices\":[{\"delta\":{\"content\":\"x\"}\n\n", DONE));
    List<String> tokens = new ArrayList<>();

    ProviderException e = failure(tokens);

    assertThat(e).isInstanceOf(ProviderException.ProtocolError.class);
    assertThat(e.partialText()).isEqualTo("ok ");
    assertThat(e.getMessage()).startsWith("[Acme] malformed answer: ");
    assertThat(server.requestCount()).isEqualTo(1);
  }

  @Test
  void reportsAStreamCutInsideAnEventWithThePartialText() {
    server.enqueue(
        exchange -> {
          exchange.chunkedHead(200, "Content-Type: text/event-stream");
          exchange.chunk(content("part"));
          exchange.chunk("data: {\"choices\":[{\"delta\":{\"content\":\"lost\"}}]}\n");
          exchange.endChunks();
        });
    List<String> tokens = new ArrayList<>();

    ProviderException e = failure(tokens);

    assertThat(tokens).containsExactly("part");
    assertThat(e).isInstanceOf(ProviderException.ProtocolError.class);
    assertThat(e.getMessage())
        .isEqualTo("[Acme] malformed answer: the stream ended inside an event");
    assertThat(e.partialText()).isEqualTo("part");
  }

  @Test
  void aConnectionResetAfterTheFirstTokenSurfacesWithThePartialTextAndIsNotRetried() {
    server.enqueue(
        exchange -> {
          exchange.chunkedHead(200, "Content-Type: text/event-stream");
          exchange.chunk(content("one"));
          exchange.chunk(content(" two"));
          exchange.reset();
        });
    List<String> tokens = new ArrayList<>();

    ProviderException e = failure(tokens);

    assertThat(tokens).containsExactly("one", " two");
    assertThat(e).isInstanceOf(ProviderException.ConnectionFailed.class);
    assertThat(e.partialText()).isEqualTo("one two");
    assertThat(e.attempts()).isEqualTo(1);
    assertThat(server.requestCount()).isEqualTo(1);
  }

  @Test
  void anAnswerWithoutTextIsAnEmptyAnswerError() {
    server.enqueue(sse(Fixtures.ROLE, Fixtures.STOP, DONE));

    ProviderException e = failure();

    assertThat(e).isInstanceOf(ProviderException.EmptyAnswer.class);
    assertThat(e.getMessage())
        .isEqualTo(
            "[Acme] the answer had no text, no reasoning, no tool call and no refusal (finish reason: stop)");
  }

  @Test
  void anEmptyStreamWasCutShortAndIsRetried() {
    server.enqueue(respond(200, "text/event-stream", ""));
    server.enqueue(respond(200, "text/event-stream", ""));
    server.enqueue(respond(200, "text/event-stream", ""));

    ProviderException e = failure();
    assertThat(e)
        .isInstanceOf(ProviderException.ConnectionFailed.class)
        .hasMessage(
            "[Acme] the answer ended before its end marker; it was cut short (after 3 attempts)");
    assertThat(e.isRetryable()).isTrue();
    assertThat(server.requestCount()).isEqualTo(3);
  }

  @Test
  void anEventLargerThanTheLimitIsAProtocolError() {
    try (OpenAiCompatibleProvider strict = provider(server, sleeper).maxEventBytes(4096).build()) {
      server.enqueue(sse(content("x".repeat(5000)), DONE));
      ProviderException e =
          catchThrowableOfType(ProviderException.class, () -> strict.complete(hello()).text());
      assertThat(e).isInstanceOf(ProviderException.ProtocolError.class);
      assertThat(e.getMessage())
          .isEqualTo("[Acme] malformed answer: an event is larger than the limit of 4096 bytes");
    }
  }
}
