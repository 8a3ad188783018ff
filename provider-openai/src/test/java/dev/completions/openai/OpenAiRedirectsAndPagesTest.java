package dev.completions.openai;

import static dev.completions.openai.Fixtures.hello;
import static dev.completions.openai.Fixtures.provider;
import static dev.completions.openai.Fixtures.respond;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.completions.api.CompletionRequest;
import dev.completions.api.ProviderException;
import dev.completions.tck.LoopbackServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** What came instead of the answer is named: a redirect (not followed) or a web page. */
class OpenAiRedirectsAndPagesTest {

  private final LoopbackServer server = LoopbackServer.start();
  private final OpenAiCompatibleProvider acme =
      provider(server, new Fixtures.RecordingSleeper()).build();

  @AfterEach
  void close() {
    assertThat(acme.leasedConnections()).isZero();
    acme.close();
    server.close();
  }

  private ProviderException failure(CompletionRequest request) {
    return catchThrowableOfType(ProviderException.class, () -> acme.complete(request).text());
  }

  @ParameterizedTest(name = "HTTP {0}")
  @ValueSource(ints = {302, 307})
  void aRedirectIsNamedWithItsTargetWithoutTheQueryAndNotFollowed(int status) {
    server.enqueue(
        respond(
            status,
            "text/html",
            "<a href=\"https://login.example/sso?next=%2Fv1\">moved</a>",
            "Location: https://login.example/sso?next=%2Fv1&auth=abc#top"));

    ProviderException e = failure(hello());

    assertThat(e)
        .isInstanceOf(ProviderException.ProtocolError.class)
        .hasMessage(
            "[Acme] HTTP " + status + ": redirected to https://login.example/sso; not followed");
    assertThat(e.httpStatus()).hasValue(status);
    assertThat(e.isRetryable()).isFalse();
    assertThat(server.requestCount()).isEqualTo(1);
  }

  @Test
  void anHtmlPageInsteadOfTheStreamIsNamedWithAnExcerpt() {
    server.enqueue(
        respond(
            200,
            "text/html; charset=utf-8",
            "<html><head><title>Welcome to nginx!</title></head><body><h1>Welcome to nginx!</h1></body></html>"));

    ProviderException e = failure(hello());

    assertThat(e)
        .isInstanceOf(ProviderException.ProtocolError.class)
        .hasMessage(
            "[Acme] expected text/event-stream, got text/html: Welcome to nginx! Welcome to nginx!");
    assertThat(e.isRetryable()).isFalse();
    assertThat(server.requestCount()).isEqualTo(1);
  }

  @Test
  void anHtmlPageInsteadOfAJsonAnswerIsNamedWithAnExcerpt() {
    server.enqueue(
        respond(200, "text/html", "<html><body><p>Sign in to continue</p></body></html>"));

    ProviderException e = failure(CompletionRequest.builder().user("Hi").stream(false).build());

    assertThat(e)
        .isInstanceOf(ProviderException.ProtocolError.class)
        .hasMessage("[Acme] expected application/json, got text/html: Sign in to continue");
  }
}
