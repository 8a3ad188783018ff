package dev.completions.server.clients;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.openai.client.OpenAIClient;
import com.openai.core.http.StreamResponse;
import com.openai.errors.NotFoundException;
import com.openai.errors.RateLimitException;
import com.openai.errors.UnauthorizedException;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The gateway's errors as openai-java reports them: its typed exceptions, OpenAI's error body. */
class ErrorsTest {
  private ScriptedGateway gateway;
  private OpenAIClient client;

  @BeforeEach
  void start() {
    gateway = new ScriptedGateway();
    client = gateway.openAi();
  }

  @AfterEach
  void stop() {
    client.close();
    gateway.close();
  }

  private static ChatCompletionCreateParams ask(String model) {
    return ChatCompletionCreateParams.builder().model(model).addUserMessage("Hi").build();
  }

  private void upstreamRateLimited() {
    gateway.upstream.enqueue(
        exchange ->
            exchange.respond(
                429,
                "application/json",
                "{\"error\":{\"message\":\"Rate limit reached for m1\",\"type\":\"requests\"}}",
                "Retry-After: 7"));
  }

  @Test
  void anUpstreamRateLimitIsTheSdksRateLimitExceptionWithTheGatewaysError() {
    upstreamRateLimited();

    RateLimitException e =
        catchThrowableOfType(
            RateLimitException.class, () -> client.chat().completions().create(ask("up:m1")));

    assertThat(e.statusCode()).isEqualTo(429);
    assertThat(e.headers().values("Retry-After")).containsExactly("7");
    assertThat(e.type()).contains("rate_limit_error");
    assertThat(e.code()).contains("rate_limit_exceeded");
    assertThat(e.param()).isEmpty();
    assertThat(e.getMessage()).startsWith("429: ").contains("Rate limit reached for m1");
    assertThat(gateway.upstream.requestCount()).isEqualTo(1);
  }

  @Test
  void anUpstreamRateLimitBeforeTheFirstTokenFailsAStreamWithTheSameException() {
    upstreamRateLimited();

    RateLimitException e =
        catchThrowableOfType(
            RateLimitException.class,
            () -> {
              try (StreamResponse<ChatCompletionChunk> stream =
                  client.chat().completions().createStreaming(ask("up:m1"))) {
                stream.stream().forEach(chunk -> {});
              }
            });

    assertThat(e.statusCode()).isEqualTo(429);
    assertThat(e.code()).contains("rate_limit_exceeded");
    assertThat(e.getMessage()).contains("Rate limit reached for m1");
  }

  @Test
  void anUpstreamAuthFailureIsTheSdksUnauthorizedException() {
    gateway.upstream.enqueue(
        exchange ->
            exchange.respond(
                401,
                "application/json",
                "{\"error\":{\"message\":\"Incorrect API key provided\",\"code\":\"invalid_api_key\"}}"));

    UnauthorizedException e =
        catchThrowableOfType(
            UnauthorizedException.class, () -> client.chat().completions().create(ask("up:m1")));

    assertThat(e.statusCode()).isEqualTo(401);
    assertThat(e.type()).contains("authentication_error");
    assertThat(e.getMessage()).contains("Incorrect API key provided");
  }

  @Test
  void anUnknownProviderIsTheSdksNotFoundExceptionListingWhatIsThere() {
    NotFoundException e =
        catchThrowableOfType(
            NotFoundException.class, () -> client.chat().completions().create(ask("nowhere:m1")));

    assertThat(e.statusCode()).isEqualTo(404);
    assertThat(e.getMessage())
        .isEqualTo(
            "404: model: no provider is named or lists 'nowhere:m1'; available providers: up"
                + " (GET /v1/models lists their models)");
    assertThat(e.code()).contains("model_not_found");
    assertThat(gateway.upstream.requestCount()).isZero();
  }
}
