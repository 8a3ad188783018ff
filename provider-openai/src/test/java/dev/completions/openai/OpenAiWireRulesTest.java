package dev.completions.openai;

import static dev.completions.openai.Fixtures.provider;
import static dev.completions.openai.Fixtures.respond;
import static dev.completions.openai.Fixtures.sse;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.completions.api.CompletionRequest;
import dev.completions.api.CompletionStream;
import dev.completions.api.ProviderException;
import dev.completions.tck.LoopbackServer;
import dev.completions.tck.OpenAiSse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Wire rules from recorded answers: BOM, cut streams, 404, error objects and strings inside 200
 * answers.
 */
class OpenAiWireRulesTest {

  private final LoopbackServer server = LoopbackServer.start();
  private final Fixtures.RecordingSleeper sleeper = new Fixtures.RecordingSleeper();
  private final OpenAiCompatibleProvider acme = provider(server, sleeper).build();

  @AfterEach
  void close() {
    assertThat(acme.leasedConnections()).isZero();
    acme.close();
    server.close();
  }

  private ProviderException failure() {
    return catchThrowableOfType(
        ProviderException.class, () -> acme.complete(CompletionRequest.of("Hi")).text());
  }

  @Test
  void aByteOrderMarkAtTheStartDoesNotCostTheFirstEvent() {
    server.enqueue(
        sse("\uFEFF" + OpenAiSse.content("first"), OpenAiSse.content(" second"), OpenAiSse.STOP));

    assertThat(acme.complete(CompletionRequest.of("Hi")).text()).isEqualTo("first second");
  }

  @Test
  void aFinishReasonFollowedByTheEndOfTheBodyWithoutDoneIsAComplete() {
    server.enqueue(sse(OpenAiSse.content("all"), OpenAiSse.STOP));

    try (CompletionStream stream = acme.complete(CompletionRequest.of("Hi"))) {
      assertThat(stream.text()).isEqualTo("all");
      assertThat(stream.finishReason()).contains("stop");
    }
    assertThat(server.requestCount()).isEqualTo(1);
  }

  @Test
  void aStreamCutAfterTokensWithNeitherFinishNorDoneKeepsThePartialTextAndIsNotRetried() {
    server.enqueue(sse(OpenAiSse.content("half"), OpenAiSse.content(" an")));

    ProviderException e = failure();

    assertThat(e)
        .isInstanceOf(ProviderException.ConnectionFailed.class)
        .hasMessage("[Acme] the answer ended before its end marker; it was cut short");
    assertThat(e.partialText()).isEqualTo("half an");
    assertThat(e.isRetryable()).isTrue();
    assertThat(server.requestCount()).isEqualTo(1);
  }

  @Test
  void usageDetailsReportCachedAndReasoningTokens() {
    server.enqueue(
        sse(
            OpenAiSse.content("ok"),
            OpenAiSse.STOP,
            "data: {\"choices\":[],\"usage\":{\"prompt_tokens\":120,\"completion_tokens\":30,\"total_tokens\":150,"
                + "\"prompt_tokens_details\":{\"cached_tokens\":100,\"audio_tokens\":0},"
                + "\"completion_tokens_details\":{\"reasoning_tokens\":12}}}\n\n",
            OpenAiSse.DONE));

    try (CompletionStream stream = acme.complete(CompletionRequest.of("Hi"))) {
      stream.text();
      assertThat(stream.usage()).contains(new dev.completions.api.Usage(120, 30, 150, 100, -1, 12));
    }
  }

  @Test
  void aModelNotFound404IsOneRequestAndNotRetryable() {
    server.enqueue(
        respond(
            404,
            "application/json",
            "{\"error\":{\"message\":\"The model `x` does not exist or you do"
                + " not have access to it.\",\"type\":\"invalid_request_error\",\"code\":\"model_not_found\"}}"));

    ProviderException e = failure();

    assertThat(e).isInstanceOf(ProviderException.ModelNotFound.class);
    assertThat(e.isRetryable()).isFalse();
    assertThat(server.requestCount()).isEqualTo(1);
  }

  @ParameterizedTest(name = "code {0} -> {1}")
  @CsvSource({
    "400, BadRequest, false, 1",
    "401, AuthenticationFailed, false, 1",
    "429, RateLimited, true, 3",
    "503, ServerError, true, 3"
  })
  void anErrorObjectInsideA200StreamIsMappedByItsCode(
      int code, String type, boolean retryable, int requests) {
    String line =
        "error: {\"code\":"
            + code
            + ",\"message\":\"the request (9000 tokens) exceeds the context (4096)\","
            + "\"type\":\"x\"}\n\n";
    for (int i = 0; i < 3; i++) {
      server.enqueue(sse(line));
    }

    ProviderException e = failure();

    assertThat(e.getClass().getSimpleName()).isEqualTo(type);
    assertThat(e.isRetryable()).isEqualTo(retryable);
    assertThat(e.getMessage()).contains("the request (9000 tokens) exceeds the context (4096)");
    assertThat(server.requestCount()).isEqualTo(requests);
  }

  @Test
  void aDataErrorObjectWithAnHttpCodeIsMappedLikeThatStatus() {
    server.enqueue(sse(OpenAiSse.error("Rate limit reached", "requests", 429)));
    server.enqueue(sse(OpenAiSse.answer(java.util.List.of("ok"))));

    assertThat(acme.complete(CompletionRequest.of("Hi")).text()).isEqualTo("ok");
    assertThat(server.requestCount()).isEqualTo(2);
  }

  @Test
  void anErrorStringInA200JsonBodyIsAnErrorWithThatMessage() {
    for (int i = 0; i < 3; i++) {
      server.enqueue(
          respond(
              200,
              "application/json",
              "{\"error\":\"Unexpected endpoint or method. (POST /chat/completions)\"}"));
    }

    ProviderException e =
        catchThrowableOfType(
            ProviderException.class,
            () ->
                acme.complete(CompletionRequest.builder().user("Hi").stream(false).build()).text());

    assertThat(e).hasMessageContaining("Unexpected endpoint or method. (POST /chat/completions)");
    assertThat(e).isNotInstanceOf(ProviderException.EmptyAnswer.class);
  }
}
