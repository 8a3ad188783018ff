package dev.completions.openai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.completions.api.ProviderException;
import dev.completions.tck.LoopbackServer;
import dev.completions.tck.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** GET {base}/models: the list the server itself reports. */
class ServerModelsTest {

  private final LoopbackServer server = LoopbackServer.start();
  private final OpenAiCompatibleProvider provider =
      new OpenAiCompatibleProvider(
          ProviderConfig.custom()
              .name("Acme")
              .baseUrl(server.url() + "/v1")
              .models("declared")
              .auth(Auth.bearer("key-1"))
              .header("X-Team", "blue")
              .build());

  @AfterEach
  void close() {
    provider.close();
    server.close();
  }

  @Test
  void listsTheIdsTheServerReportsAskingWithTheKeyAndHeaders() throws Exception {
    server.enqueue(
        exchange ->
            exchange.respond(
                200,
                "application/json",
                "{\"object\":\"list\",\"data\":["
                    + "{\"id\":\"llama-3.3-70b\",\"object\":\"model\",\"owned_by\":\"meta\"},{\"object\":\"model\",\"id\":\"qwen\"}]}"));

    assertThat(provider.serverModels()).containsExactly("llama-3.3-70b", "qwen");

    RecordedRequest sent = server.takeRequest();
    assertThat(sent.method()).isEqualTo("GET");
    assertThat(sent.path()).isEqualTo("/v1/models");
    assertThat(sent.header("Authorization")).isEqualTo("Bearer key-1");
    assertThat(sent.header("X-Team")).isEqualTo("blue");
  }

  @Test
  void anErrorStatusIsMappedByTheErrorRules() {
    server.enqueue(
        exchange ->
            exchange.respond(401, "application/json", "{\"error\":{\"message\":\"bad key-1\"}}"));

    assertThatThrownBy(provider::serverModels)
        .isInstanceOf(ProviderException.AuthenticationFailed.class)
        .hasMessageStartingWith("[Acme] HTTP 401: ")
        .hasMessageNotContaining("key-1");
  }

  @Test
  void anAnswerThatIsNotAModelListIsAProtocolError() {
    server.enqueue(exchange -> exchange.respond(200, "text/html", "<html>welcome</html>"));

    assertThatThrownBy(provider::serverModels)
        .isInstanceOf(ProviderException.ProtocolError.class)
        .hasMessage("[Acme] GET /models did not answer with a model list: welcome");
  }
}
