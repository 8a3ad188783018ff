package dev.completions.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.completions.api.Capability;
import dev.completions.openai.OpenAiCompatibleProvider;
import dev.completions.openai.ProviderConfig;
import dev.completions.registry.ProviderRegistry;
import dev.completions.tck.OpenAiSse;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Failures keep their meaning: the status by kind before the first event, one in-band error after
 * it, and a client that goes away cancels the upstream call.
 */
class ErrorsTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private Upstream upstream;
  private ProviderRegistry registry;
  private CompletionServer server;
  private Client client;

  @BeforeEach
  void start() {
    upstream = new Upstream("Up", Duration.ofMillis(500), "m1");
    registry = ProviderRegistry.builder().discover(false).add(upstream.provider).build();
    server = CompletionServer.builder(registry).port(0).build().start();
    client = new Client(server.uri());
  }

  @AfterEach
  void stop() {
    server.close();
    registry.close();
    upstream.close();
  }

  @ParameterizedTest(name = "upstream {0} {2} -> {3} {4}")
  @CsvSource(
      delimiter = '|',
      value = {
        "401 | application/json | {\"error\":{\"message\":\"bad key\"}}                          | 401 | auth",
        "403 | application/json | {\"error\":{\"message\":\"forbidden\"}}                        | 401 | auth",
        "429 | application/json | {\"error\":{\"message\":\"slow down\"}}                        | 429 | rate_limit_exceeded",
        "429 | application/json | {\"error\":{\"message\":\"no credit\",\"code\":\"insufficient_quota\"}} | 429 | insufficient_quota",
        "404 | application/json | {\"error\":{\"message\":\"no such model\"}}                    | 404 | model_not_found",
        "400 | application/json | {\"error\":{\"message\":\"bad field\"}}                        | 400 | bad_request",
        "400 | application/json | {\"error\":{\"message\":\"flagged\",\"code\":\"content_filter\"}} | 400 | content_filter",
        "408 | application/json | {\"error\":{\"message\":\"too slow\"}}                         | 504 | timeout",
        "500 | application/json | {\"error\":{\"message\":\"boom\"}}                             | 502 | server"
      })
  void aFailureBeforeTheFirstEventGetsTheStatusOfItsKind(
      int upstreamStatus, String type, String body, int status, String code) throws Exception {
    String retryAfter = upstreamStatus == 429 ? "Retry-After: 7" : "X-Nothing: 0";
    upstream.server.enqueue(
        exchange -> exchange.respond(upstreamStatus, type, body.strip(), retryAfter));

    HttpResponse<String> response = client.post("/v1/chat/completions", Client.ask("up", true));

    assertThat(response.statusCode()).isEqualTo(status);
    JsonNode error = JSON.readTree(response.body()).get("error");
    assertThat(error.get("code").asText()).isEqualTo(code);
    assertThat(error.get("message").asText()).startsWith("[Up] ");
    assertThat(error.has("type")).isTrue();
    assertThat(error.has("param")).isTrue();
    if (code.equals("rate_limit_exceeded")) {
      assertThat(response.headers().firstValue("Retry-After")).contains("7");
    }
  }

  @Test
  void aRequestTheProviderCannotServeIs400NamingTheProvidersThatCanBeforeAnyIo() throws Exception {
    try (OpenAiCompatibleProvider seer =
            new OpenAiCompatibleProvider(
                ProviderConfig.custom()
                    .name("Seer")
                    .baseUrl(upstream.server.url() + "/v1")
                    .models("eye-1")
                    .capabilities(Capability.IMAGE_INPUT)
                    .build());
        ProviderRegistry both =
            ProviderRegistry.builder().discover(false).add(upstream.provider).add(seer).build();
        CompletionServer gateway = CompletionServer.builder(both).port(0).build().start()) {
      String withAnImage =
          "{\"model\":\"up\",\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"text\","
              + "\"text\":\"What is it?\"},{\"type\":\"image_url\",\"image_url\":{\"url\":"
              + "\"https://example.com/cat.png\"}}]}]}";

      HttpResponse<String> response =
          new Client(gateway.uri()).post("/v1/chat/completions", withAnImage);

      assertThat(response.statusCode()).isEqualTo(400);
      assertThat(JSON.readTree(response.body()).get("error").get("message").asText())
          .isEqualTo(
              "Up cannot serve this request: it needs image_input, which Up does not support;"
                  + " providers that do: Seer");
    }
    assertThat(upstream.server.connectionCount()).isZero();
  }

  @Test
  void aMalformedUpstreamStreamIs502Protocol() throws Exception {
    upstream.server.enqueue(OpenAiSse.stream("data: {not json\n\n"));

    HttpResponse<String> response = client.post("/v1/chat/completions", Client.ask("up", true));

    assertThat(response.statusCode()).isEqualTo(502);
    assertThat(JSON.readTree(response.body()).at("/error/code").asText()).isEqualTo("protocol");
  }

  @Test
  void anEmptyUpstreamAnswerIs502Empty() throws Exception {
    upstream.server.enqueue(OpenAiSse.stream(OpenAiSse.STOP, OpenAiSse.DONE));

    HttpResponse<String> response = client.post("/v1/chat/completions", Client.ask("up", true));

    assertThat(response.statusCode()).isEqualTo(502);
    assertThat(JSON.readTree(response.body()).at("/error/code").asText()).isEqualTo("empty");
  }

  @Test
  void aConnectionRefusedUpstreamIs502() throws Exception {
    upstream.server.close(); // nothing listens there any more

    HttpResponse<String> response = client.post("/v1/chat/completions", Client.ask("up", false));

    assertThat(response.statusCode()).isEqualTo(502);
    assertThat(JSON.readTree(response.body()).at("/error/code").asText()).isEqualTo("connection");
  }

  @Test
  void anUpstreamSilentBeyondItsTimeoutIs504() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    upstream.server.enqueue(exchange -> release.await(10, TimeUnit.SECONDS));
    try {
      HttpResponse<String> response = client.post("/v1/chat/completions", Client.ask("up", true));

      assertThat(response.statusCode()).isEqualTo(504);
      assertThat(JSON.readTree(response.body()).at("/error/code").asText()).isEqualTo("timeout");
    } finally {
      release.countDown();
    }
  }

  @Test
  void aFailureAfterTheFirstTokenIsOneInBandErrorThenDone() throws Exception {
    upstream.server.enqueue(
        OpenAiSse.stream(
            OpenAiSse.content("Hel"), OpenAiSse.error("overloaded", "server_error", null)));

    HttpResponse<String> response = client.post("/v1/chat/completions", Client.ask("up", true));

    assertThat(response.statusCode()).isEqualTo(200);
    List<JsonNode> events = StreamingTest.events(response.body());
    assertThat(events).hasSize(4);
    assertThat(events.get(1).at("/choices/0/delta/content").asText()).isEqualTo("Hel");
    assertThat(events.get(2).at("/error/code").asText()).isEqualTo("server");
    assertThat(events.get(2).at("/error/message").asText()).contains("overloaded");
    assertThat(events.get(3).asText()).isEqualTo("[DONE]");
  }

  @Test
  void aClientThatGoesAwayMidStreamClosesTheUpstreamConnectionWithinASecond() throws Exception {
    Upstream.Held held = upstream.holdOpen(Duration.ofSeconds(1), "Hel");

    HttpResponse<InputStream> response =
        client.postStreaming("/v1/chat/completions", Client.ask("up", true));
    InputStream body = response.body();
    byte[] first = new byte[64];
    assertThat(body.read(first)).isPositive();
    assertThat(held.sent()).isTrue();
    body.close();

    assertThat(held.closedByTheGateway()).isTrue();
  }

  @Test
  void aClientThatGoesAwayBeforeTheFirstTokenClosesTheUpstreamConnectionWithinASecond()
      throws Exception {
    Upstream.Held held = upstream.holdOpen(Duration.ofSeconds(1));
    try (Socket socket = new Socket("127.0.0.1", server.uri().getPort())) {
      byte[] json = Client.ask("up", true).getBytes(StandardCharsets.UTF_8);
      OutputStream out = socket.getOutputStream();
      out.write(
          ("POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                  + "Content-Length: "
                  + json.length
                  + "\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII));
      out.write(json);
      out.flush();
      assertThat(held.sent()).isTrue();
    }
    assertThat(held.closedByTheGateway()).isTrue();
  }
}
