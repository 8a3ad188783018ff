package dev.completions.lockchat;

import static dev.completions.lockchat.Fixtures.DONE;
import static dev.completions.lockchat.Fixtures.content;
import static dev.completions.lockchat.Fixtures.hello;
import static dev.completions.lockchat.Fixtures.provider;
import static dev.completions.lockchat.Fixtures.respond;
import static dev.completions.lockchat.Fixtures.sse;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.completions.api.CompletionRequest;
import dev.completions.api.ProviderException;
import dev.completions.tck.LoopbackServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The seed's "The model: `gpt-4` does not exist" answer, retried as the original meant to. */
class LockchatModelRetryTest {

  private final LoopbackServer server = LoopbackServer.start();
  private final LockchatProvider lockchat = provider(server);

  @AfterEach
  void close() {
    assertThat(lockchat.leasedConnections()).isZero();
    lockchat.close();
    server.close();
  }

  private static LoopbackServer.Script plainLine(String model) {
    return exchange -> {
      exchange.chunkedHead(200, "Content-Type: text/event-stream");
      exchange.chunk("The model: `" + model + "` does not exist\n");
      exchange.endChunks();
    };
  }

  @Test
  void retriesAPlainDoesNotExistLineAndDeliversTheTokensOfTheAttemptThatSucceeds() {
    server.enqueue(plainLine("gpt-4"));
    server.enqueue(sse(content("Hello"), content(" there"), DONE));

    String text =
        lockchat.complete(CompletionRequest.builder().model("gpt-4").user("Hi").build()).text();

    assertThat(text).isEqualTo("Hello there");
    assertThat(server.requestCount()).isEqualTo(2);
  }

  @Test
  void recognisesTheAnswerForAnyModelName() {
    server.enqueue(plainLine("gpt-3.5-turbo"));
    server.enqueue(sse(content("ok"), DONE));

    assertThat(lockchat.complete(hello()).text()).isEqualTo("ok");
    assertThat(server.requestCount()).isEqualTo(2);
  }

  @Test
  void retriesTheAnswerSentAsAnSseEvent() {
    server.enqueue(sse("data: The model: `gpt-4` does not exist\n\n"));
    server.enqueue(sse(content("ok"), DONE));

    assertThat(lockchat.complete(hello()).text()).isEqualTo("ok");
    assertThat(server.requestCount()).isEqualTo(2);
  }

  @Test
  void retriesTheAnswerSentAsAJsonError() {
    server.enqueue(
        respond(
            404,
            "application/json",
            "{\"error\":{\"message\":\"The model: `gpt-4` does not exist\",\"type\":\"invalid_request_error\"}}"));
    server.enqueue(sse("data: {\"error\":{\"message\":\"The model `gpt-4` does not exist\"}}\n\n"));
    server.enqueue(sse(content("ok"), DONE));

    assertThat(lockchat.complete(hello()).text()).isEqualTo("ok");
    assertThat(server.requestCount()).isEqualTo(3);
  }

  @Test
  void givesUpAfterThreeAttemptsWithAModelNotFoundErrorThatCountsThem() {
    for (int i = 0; i < 3; i++) {
      server.enqueue(plainLine("gpt-4"));
    }

    ProviderException e =
        catchThrowableOfType(ProviderException.class, () -> lockchat.complete(hello()).text());

    assertThat(e).isInstanceOf(ProviderException.ModelNotFound.class);
    assertThat(e.attempts()).isEqualTo(3);
    assertThat(e.getMessage())
        .isEqualTo("[Lockchat] The model: `gpt-4` does not exist (after 3 attempts)");
    assertThat(server.requestCount()).isEqualTo(3);
  }

  @Test
  void doesNotRetryOnceATokenWasDelivered() {
    server.enqueue(
        exchange -> {
          exchange.chunkedHead(200, "Content-Type: text/event-stream");
          exchange.chunk(content("partial"));
          exchange.chunk("The model: `gpt-4` does not exist\n");
          exchange.endChunks();
        });

    ProviderException e =
        catchThrowableOfType(ProviderException.class, () -> lockchat.complete(hello()).text());

    assertThat(e).isInstanceOf(ProviderException.ModelNotFound.class);
    assertThat(e.partialText()).isEqualTo("partial");
    assertThat(server.requestCount()).isEqualTo(1);
  }
}
