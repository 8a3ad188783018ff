package dev.completions.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.completions.registry.ProviderRegistry;
import dev.completions.tck.OpenAiSse;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The provider of a request, by each of the four routes, and the metadata endpoints. */
class RoutingTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private Upstream alpha;
  private Upstream beta;
  private ProviderRegistry registry;
  private CompletionServer server;
  private Client client;

  @BeforeEach
  void start() {
    alpha = new Upstream("Alpha", "a1", "shared");
    beta = new Upstream("Beta", "b1", "shared");
    registry =
        ProviderRegistry.builder().discover(false).add(alpha.provider).add(beta.provider).build();
    server = CompletionServer.builder(registry).port(0).build().start();
    client = new Client(server.uri());
  }

  @AfterEach
  void stop() {
    server.close();
    registry.close();
    alpha.close();
    beta.close();
  }

  private String answeredBy(HttpResponse<String> response) throws Exception {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return response.headers().firstValue("X-Completions-Provider").orElseThrow();
  }

  private static String model(Upstream upstream) throws Exception {
    return JSON.readTree(upstream.server.takeRequest().bodyText()).get("model").asText();
  }

  @Test
  void thePathPrefixChoosesTheProvider() throws Exception {
    beta.server.enqueue(OpenAiSse.stream(OpenAiSse.answer(List.of("hi"))));

    HttpResponse<String> response =
        client.post(
            "/api/beta/v1/chat/completions",
            "{\"model\":\"b1\",\"provider\":\"alpha\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}");

    assertThat(answeredBy(response)).isEqualTo("Beta");
    assertThat(model(beta)).isEqualTo("b1");
  }

  @Test
  void theBodyFieldProviderChoosesTheProvider() throws Exception {
    beta.server.enqueue(OpenAiSse.stream(OpenAiSse.answer(List.of("hi"))));

    HttpResponse<String> response =
        client.post(
            "/v1/chat/completions",
            "{\"model\":\"alpha:a1\",\"provider\":\"beta\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}");

    assertThat(answeredBy(response)).isEqualTo("Beta");
    assertThat(model(beta)).isEqualTo("alpha:a1");
  }

  @Test
  void aModelProviderColonModelChoosesTheProviderAndTheModel() throws Exception {
    alpha.server.enqueue(OpenAiSse.stream(OpenAiSse.answer(List.of("hi"))));

    assertThat(answeredBy(client.post("/v1/chat/completions", Client.ask("ALPHA:shared", false))))
        .isEqualTo("Alpha");
    assertThat(model(alpha)).isEqualTo("shared");
  }

  @Test
  void aModelThatIsAProviderNameUsesItsDefaultModel() throws Exception {
    beta.server.enqueue(OpenAiSse.stream(OpenAiSse.answer(List.of("hi"))));

    assertThat(answeredBy(client.post("/v1/chat/completions", Client.ask("beta", false))))
        .isEqualTo("Beta");
    assertThat(model(beta)).isEqualTo("b1");
  }

  @Test
  void aChainInTheModelFallsBackBeforeTheFirstToken() throws Exception {
    alpha.server.enqueue(
        exchange ->
            exchange.respond(503, "application/json", "{\"error\":{\"message\":\"down\"}}"));
    beta.server.enqueue(OpenAiSse.stream(OpenAiSse.answer(List.of("hi"))));

    HttpResponse<String> response =
        client.post("/v1/chat/completions", Client.ask("alpha:a1,beta", true));

    assertThat(answeredBy(response)).isEqualTo("Beta");
    assertThat(model(alpha)).isEqualTo("a1");
    assertThat(model(beta)).isEqualTo("b1");
  }

  @Test
  void aChainThatFailsListsEachProviderItsModelAndWhy() throws Exception {
    alpha.server.enqueue(
        exchange ->
            exchange.respond(503, "application/json", "{\"error\":{\"message\":\"down\"}}"));
    beta.server.enqueue(
        exchange ->
            exchange.respond(500, "application/json", "{\"error\":{\"message\":\"boom\"}}"));

    HttpResponse<String> response =
        client.post("/v1/chat/completions", Client.ask("alpha,beta:b1", false));

    assertThat(response.statusCode()).isEqualTo(502);
    String message = JSON.readTree(response.body()).at("/error/message").asText();
    assertThat(message)
        .contains("every provider failed")
        .contains("Alpha (a1)")
        .contains("down")
        .contains("Beta (b1)")
        .contains("boom");
  }

  @Test
  void aBareModelThatOneProviderListsChoosesIt() throws Exception {
    alpha.server.enqueue(OpenAiSse.stream(OpenAiSse.answer(List.of("hi"))));

    assertThat(answeredBy(client.post("/v1/chat/completions", Client.ask("a1", false))))
        .isEqualTo("Alpha");
    assertThat(model(alpha)).isEqualTo("a1");
  }

  @Test
  void aBareModelThatSeveralProvidersListIsA404NamingThem() throws Exception {
    HttpResponse<String> response =
        client.post("/v1/chat/completions", Client.ask("shared", false));

    assertThat(response.statusCode()).isEqualTo(404);
    JsonNode error = JSON.readTree(response.body()).get("error");
    assertThat(error.get("param").asText()).isEqualTo("model");
    assertThat(error.get("message").asText()).contains("alpha:shared").contains("Alpha, Beta");
  }

  @Test
  void anUnknownModelIsA404ListingWhatIsAvailable() throws Exception {
    HttpResponse<String> response = client.post("/v1/chat/completions", Client.ask("gpt-9", false));

    assertThat(response.statusCode()).isEqualTo(404);
    JsonNode error = JSON.readTree(response.body()).get("error");
    assertThat(error.get("code").asText()).isEqualTo("model_not_found");
    assertThat(error.get("type").asText()).isEqualTo("invalid_request_error");
    assertThat(error.get("message").asText())
        .isEqualTo(
            "model: no provider is named or lists 'gpt-9'; available providers: alpha, beta"
                + " (GET /v1/models lists their models)");
    assertThat(alpha.server.requestCount() + beta.server.requestCount()).isZero();
  }

  @Test
  void modelsListsEveryProviderAloneAndEachOfItsModels() throws Exception {
    HttpResponse<String> response = client.get("/v1/models");

    assertThat(response.statusCode()).isEqualTo(200);
    JsonNode models = JSON.readTree(response.body());
    assertThat(models.get("object").asText()).isEqualTo("list");
    assertThat(models.get("data").findValuesAsText("id"))
        .containsExactly("alpha", "alpha:a1", "alpha:shared", "beta", "beta:b1", "beta:shared");
    assertThat(models.at("/data/4").toString())
        .isEqualTo("{\"id\":\"beta:b1\",\"object\":\"model\",\"created\":0,\"owned_by\":\"Beta\"}");
  }

  @Test
  void aProviderIsDescribedWithItsCapabilitiesAndParameters() throws Exception {
    HttpResponse<String> response = client.get("/v1/providers/ALPHA");

    assertThat(response.statusCode()).isEqualTo(200);
    JsonNode alphaInfo = JSON.readTree(response.body());
    assertThat(alphaInfo.get("name").asText()).isEqualTo("Alpha");
    assertThat(alphaInfo.get("default_model").asText()).isEqualTo("a1");
    assertThat(alphaInfo.get("capabilities").toString()).isEqualTo("[\"tools\"]");
    assertThat(alphaInfo.get("description").asText()).startsWith("Alpha supports: (model: String");
    assertThat(alphaInfo.get("parameters").findValuesAsText("name")).contains("top_p", "seed");
    assertThat(JSON.readTree(client.get("/v1/providers").body()).get("data")).hasSize(2);
    assertThat(client.get("/v1/providers/gamma").statusCode()).isEqualTo(404);
  }

  @Test
  void healthAndReadyAnswer() throws Exception {
    assertThat(client.get("/health").body()).isEqualTo("{\"status\":\"ok\"}");
    HttpResponse<String> ready = client.get("/ready");
    assertThat(ready.statusCode()).isEqualTo(200);
    assertThat(ready.body()).isEqualTo("{\"status\":\"ready\",\"providers\":2}");
  }

  @Test
  void readyIs503WithoutProviders() throws Exception {
    try (ProviderRegistry empty = ProviderRegistry.builder().discover(false).build();
        CompletionServer none = CompletionServer.builder(empty).port(0).build().start()) {
      assertThat(new Client(none.uri()).get("/ready").statusCode()).isEqualTo(503);
    }
  }
}
