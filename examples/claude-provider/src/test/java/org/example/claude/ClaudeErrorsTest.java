package org.example.claude;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.example.claude.AnthropicSse.answer;
import static org.example.claude.AnthropicSse.blockStart;
import static org.example.claude.AnthropicSse.errorEvent;
import static org.example.claude.AnthropicSse.httpError;
import static org.example.claude.AnthropicSse.messageStart;
import static org.example.claude.AnthropicSse.stream;
import static org.example.claude.AnthropicSse.textDelta;

import dev.completions.api.CompletionRequest;
import dev.completions.api.ProviderException;
import dev.completions.tck.LoopbackServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Anthropic's errors, in HTTP statuses and inside streams, as typed ProviderExceptions. */
class ClaudeErrorsTest {

  private final LoopbackServer server = LoopbackServer.start();
  private final List<ClaudeProvider> providers = new ArrayList<>();

  @AfterEach
  void close() {
    providers.forEach(ClaudeProvider::close);
    server.close();
  }

  private ProviderException failure(int attempts) {
    ClaudeProvider claude = AnthropicSse.provider(server, attempts);
    providers.add(claude);
    return catchThrowableOfType(
        ProviderException.class, () -> claude.complete(CompletionRequest.of("Hi")).text());
  }

  private String text(int attempts) {
    ClaudeProvider claude = AnthropicSse.provider(server, attempts);
    providers.add(claude);
    return claude.complete(CompletionRequest.of("Hi")).text();
  }

  @Test
  void http401IsAnAuthenticationFailureWithAnthropicsMessage() {
    server.enqueue(httpError(401, "authentication_error", "invalid x-api-key"));

    ProviderException e = failure(3);

    assertThat(e).isInstanceOf(ProviderException.AuthenticationFailed.class);
    assertThat(e.getMessage()).isEqualTo("[Claude] HTTP 401: invalid x-api-key");
    assertThat(e.httpStatus()).hasValue(401);
    assertThat(e.isRetryable()).isFalse();
    assertThat(server.requestCount()).isOne();
  }

  @Test
  void theKeyIsRedactedWhenAnErrorRepeatsIt() {
    server.enqueue(
        httpError(401, "authentication_error", "invalid x-api-key: " + AnthropicSse.KEY));

    ProviderException e = failure(1);

    assertThat(e.getMessage()).isEqualTo("[Claude] HTTP 401: invalid x-api-key: ***");
  }

  @Test
  void http404IsAModelNotFound() {
    server.enqueue(httpError(404, "not_found_error", "model: claude-nope"));

    ProviderException e = failure(3);

    assertThat(e).isInstanceOf(ProviderException.ModelNotFound.class);
    assertThat(e.getMessage()).isEqualTo("[Claude] HTTP 404: model: claude-nope");
    assertThat(server.requestCount()).isOne();
  }

  @Test
  void http429IsRetriedAfterTheWaitItsRetryAfterAsks() {
    server.enqueue(
        httpError(
            429,
            "rate_limit_error",
            "Number of request tokens has exceeded your per-minute rate limit",
            "retry-after: 0"));
    server.enqueue(stream(answer("After", " the wait")));

    assertThat(text(2)).isEqualTo("After the wait");
    assertThat(server.requestCount()).isEqualTo(2);
  }

  @Test
  void http429AskingALongerWaitThanMaxRetryWaitFailsAtOnceWithTheWait() {
    server.enqueue(
        httpError(
            429,
            "rate_limit_error",
            "Number of request tokens has exceeded your per-minute rate limit",
            "retry-after: 120"));

    ProviderException e = failure(3);

    assertThat(e).isInstanceOf(ProviderException.RateLimited.class);
    assertThat(e.retryAfter()).contains(Duration.ofSeconds(120));
    assertThat(e.getMessage())
        .isEqualTo(
            "[Claude] HTTP 429: Number of request tokens has exceeded your per-minute"
                + " rate limit; the server asked to wait 120000 ms, longer than claude.maxRetryWait (60000 ms)");
    assertThat(server.requestCount()).isOne();
  }

  @Test
  void http529OverloadedIsARetryableServerError() {
    server.enqueue(httpError(529, "overloaded_error", "Overloaded"));

    ProviderException e = failure(1);

    assertThat(e).isInstanceOf(ProviderException.ServerError.class);
    assertThat(e.getMessage()).isEqualTo("[Claude] HTTP 529: Overloaded");
    assertThat(e.httpStatus()).hasValue(529);
    assertThat(e.isRetryable()).isTrue();
  }

  @Test
  void http529IsRetried() {
    server.enqueue(httpError(529, "overloaded_error", "Overloaded", "retry-after: 0"));
    server.enqueue(stream(answer("Back")));

    assertThat(text(2)).isEqualTo("Back");
    assertThat(server.requestCount()).isEqualTo(2);
  }

  @Test
  void anOverloadedErrorEventMidStreamIsAServerErrorKeepingThePartialText() {
    server.enqueue(
        stream(
            messageStart(5),
            blockStart(0, "text"),
            textDelta(0, "Once"),
            textDelta(0, " upon"),
            errorEvent("overloaded_error", "Overloaded")));

    ProviderException e = failure(3);

    assertThat(e).isInstanceOf(ProviderException.ServerError.class);
    assertThat(e.getMessage()).isEqualTo("[Claude] error in the stream: Overloaded");
    assertThat(e.isRetryable()).isTrue();
    assertThat(e.partialText()).isEqualTo("Once upon");
    assertThat(server.requestCount()).as("not retried once text was delivered").isOne();
  }

  @Test
  void aRateLimitErrorEventIsRateLimited() {
    server.enqueue(stream(messageStart(5), errorEvent("rate_limit_error", "Rate limited")));

    ProviderException e = failure(1);

    assertThat(e).isInstanceOf(ProviderException.RateLimited.class);
    assertThat(e.getMessage()).isEqualTo("[Claude] error in the stream: Rate limited");
  }

  @Test
  void aLowCreditBalanceIsAnExhaustedQuotaNotRetried() {
    server.enqueue(
        httpError(
            400,
            "invalid_request_error",
            "Your credit balance is too low to access the Anthropic API. Please go to Plans & Billing to upgrade or purchase credits."));

    ProviderException e = failure(3);

    assertThat(e).isInstanceOf(ProviderException.QuotaExhausted.class);
    assertThat(e.isRetryable()).isFalse();
    assertThat(server.requestCount()).isOne();
  }

  @Test
  void anErrorPageThatIsNotAnthropicsJsonIsShownAsAnExcerpt() {
    server.enqueue(
        exchange ->
            exchange.respond(
                502,
                "text/html",
                "<html><head><title>502 Bad Gateway</title></head><body><h1>502 Bad Gateway</h1></body></html>"));

    ProviderException e = failure(1);

    assertThat(e).isInstanceOf(ProviderException.ServerError.class);
    assertThat(e.getMessage()).isEqualTo("[Claude] HTTP 502: 502 Bad Gateway 502 Bad Gateway");
  }
}
