package dev.completions.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.completions.registry.ProviderRegistry;
import dev.completions.tck.OpenAiSse;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** The key, the body cap, the depth limit, slow clients, CORS, fields a provider does not take. */
class LimitsTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String KEY = "gateway-secret-4711";

  private Upstream upstream;
  private ProviderRegistry registry;
  private CompletionServer server;
  private Client client;
  private final ListAppender<ILoggingEvent> logs = new ListAppender<>();

  @BeforeEach
  void start() {
    ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).addAppender(logs);
    logs.start();
    upstream = new Upstream("Up", "m1");
    registry = ProviderRegistry.builder().discover(false).add(upstream.provider).build();
    server =
        CompletionServer.builder(registry)
            .port(0)
            .apiKey(KEY)
            .maxBodyBytes(4096)
            .idleTimeout(Duration.ofSeconds(1))
            .build()
            .start();
    client = new Client(server.uri());
  }

  @AfterEach
  void stop() {
    server.close();
    registry.close();
    upstream.close();
    ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).detachAppender(logs);
    assertThat(logs.list).noneMatch(event -> event.getFormattedMessage().contains(KEY));
  }

  private static String bearer() {
    return "Bearer " + KEY;
  }

  @Test
  void aMissingKeyIs401AndAWrongOneIs403() throws Exception {
    HttpResponse<String> missing = client.get("/v1/models");
    HttpResponse<String> wrong = client.get("/v1/models", "Authorization", "Bearer nope");
    HttpResponse<String> wrongHeader =
        client.post("/api/up/v1/chat/completions", Client.ask("m1", false), "x-api-key", "nope");

    assertThat(missing.statusCode()).isEqualTo(401);
    assertThat(JSON.readTree(missing.body()).at("/error/code").asText())
        .isEqualTo("missing_api_key");
    assertThat(wrong.statusCode()).isEqualTo(403);
    assertThat(wrongHeader.statusCode()).isEqualTo(403);
    assertThat(wrong.body() + missing.body()).doesNotContain(KEY);
    assertThat(upstream.server.requestCount()).isZero();
  }

  @Test
  void theKeyIsAcceptedAsBearerOrXApiKey() throws Exception {
    upstream.server.enqueue(OpenAiSse.stream(OpenAiSse.answer(List.of("ok"))));

    assertThat(client.get("/v1/models", "Authorization", bearer()).statusCode()).isEqualTo(200);
    assertThat(
            client
                .post("/v1/chat/completions", Client.ask("up", false), "x-api-key", KEY)
                .statusCode())
        .isEqualTo(200);
  }

  @Test
  void healthAndReadyNeedNoKey() throws Exception {
    assertThat(client.get("/health").statusCode()).isEqualTo(200);
    assertThat(client.get("/ready").statusCode()).isEqualTo(200);
  }

  @Test
  void theKeyIsNotShownByToString() {
    assertThat(server.toString()).doesNotContain(KEY).contains("key required");
  }

  @Test
  void aBodyOverTheCapIs413() throws Exception {
    String big = "x".repeat(5000);
    HttpResponse<String> response =
        client.post(
            "/v1/chat/completions",
            "{\"model\":\"up\",\"messages\":[{\"role\":\"user\",\"content\":\"" + big + "\"}]}",
            "Authorization",
            bearer());

    assertThat(response.statusCode()).isEqualTo(413);
    assertThat(JSON.readTree(response.body()).at("/error/code").asText())
        .isEqualTo("request_too_large");
    assertThat(upstream.server.requestCount()).isZero();
  }

  @Test
  void aChunkedBodyOverTheCapIs413() throws Exception {
    try (Socket socket = new Socket("127.0.0.1", server.uri().getPort())) {
      socket.setSoTimeout(10_000);
      OutputStream out = socket.getOutputStream();
      StringBuilder request =
          new StringBuilder(
              "POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nAuthorization: "
                  + bearer()
                  + "\r\nTransfer-Encoding: chunked\r\n\r\n");
      for (int i = 0; i < 5; i++) {
        request.append("400\r\n").append(" ".repeat(0x400)).append("\r\n");
      }
      out.write(request.toString().getBytes(StandardCharsets.US_ASCII));
      out.flush();

      String head = new String(socket.getInputStream().readNBytes(12), StandardCharsets.US_ASCII);
      assertThat(head).isEqualTo("HTTP/1.1 413");
    }
  }

  @Test
  void jsonNestedDeeperThan64IsA400() throws Exception {
    String deep = "[".repeat(100) + "]".repeat(100);
    HttpResponse<String> response =
        client.post(
            "/v1/chat/completions",
            "{\"model\":\"up\",\"messages\":" + deep + "}",
            "Authorization",
            bearer());

    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(JSON.readTree(response.body()).at("/error/message").asText())
        .contains("deeper than 64");
  }

  @Test
  void aFieldTheProviderDoesNotTakeIsA400NamingIt() throws Exception {
    HttpResponse<String> response =
        client.post(
            "/v1/chat/completions",
            "{\"model\":\"up\",\"logit_bias\":{\"1\":2},\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}",
            "Authorization",
            bearer());

    assertThat(response.statusCode()).isEqualTo(400);
    JsonNode error = JSON.readTree(response.body()).get("error");
    assertThat(error.get("param").asText()).isEqualTo("logit_bias");
    assertThat(error.get("message").asText()).startsWith("logit_bias: Up does not take this field");
    assertThat(upstream.server.requestCount()).isZero();
  }

  @Test
  void fieldsTheProviderDeclaresPassThrough() throws Exception {
    upstream.server.enqueue(OpenAiSse.stream(OpenAiSse.answer(List.of("ok"))));

    HttpResponse<String> response =
        client.post(
            "/v1/chat/completions",
            "{\"model\":\"up\",\"top_p\":0.5,\"seed\":42,\"user\":\"u1\",\"max_completion_tokens\":9,"
                + "\"stop\":\"END\",\"temperature\":0.2,\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}",
            "Authorization",
            bearer());

    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    JsonNode sent = JSON.readTree(upstream.server.takeRequest().bodyText());
    assertThat(sent.get("top_p").asDouble()).isEqualTo(0.5);
    assertThat(sent.get("seed").asLong()).isEqualTo(42);
    assertThat(sent.get("user").asText()).isEqualTo("u1");
    assertThat(sent.get("max_tokens").asInt()).isEqualTo(9);
    assertThat(sent.get("stop").toString()).isEqualTo("[\"END\"]");
    assertThat(sent.get("temperature").asDouble()).isEqualTo(0.2);
  }

  @Test
  void aConnectionWhoseHeadDoesNotArriveIsClosed() throws Exception {
    try (Socket socket = new Socket("127.0.0.1", server.uri().getPort())) {
      socket.setSoTimeout(10_000);
      socket.getOutputStream().write("POST /v1/chat/comp".getBytes(StandardCharsets.US_ASCII));
      socket.getOutputStream().flush();

      InputStream in = socket.getInputStream();
      assertThat(in.read()).isEqualTo(-1); // closed by the server, well before 10 s
    }
  }

  @Test
  void aClientDrippingItsHeadIsCutOff() throws Exception {
    try (Socket socket = new Socket("127.0.0.1", server.uri().getPort())) {
      OutputStream out = socket.getOutputStream();
      long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
      assertThatThrownBy(
              () -> {
                // one byte every 200 ms keeps the 1 s idle timeout from firing, never the head's
                while (System.nanoTime() < deadline) {
                  out.write('X');
                  out.flush();
                  Thread.sleep(200);
                }
              })
          .isInstanceOf(java.io.IOException.class);
    }
  }

  @Test
  void corsIsOffUnlessConfigured() throws Exception {
    HttpResponse<String> response =
        client.get("/v1/models", "Authorization", bearer(), "Origin", "https://app.example.com");

    assertThat(response.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
    try (CompletionServer cors =
        CompletionServer.builder(registry)
            .port(0)
            .corsOrigins(List.of("https://app.example.com"))
            .build()
            .start()) {
      HttpResponse<String> allowed =
          new Client(cors.uri()).get("/v1/models", "Origin", "https://app.example.com");
      assertThat(allowed.headers().firstValue("Access-Control-Allow-Origin"))
          .contains("https://app.example.com");
    }
  }

  @Test
  void badSettingsAreRefusedNamingThem() {
    assertThatThrownBy(() -> CompletionServer.builder(registry).port(70000))
        .hasMessage("port: must be 0 to 65535, got 70000");
    assertThatThrownBy(() -> CompletionServer.builder(registry).maxBodyBytes(10))
        .hasMessage("maxBodyBytes: must be at least 1024, got 10");
    assertThatThrownBy(() -> CompletionServer.builder(registry).idleTimeout(Duration.ZERO))
        .hasMessageStartingWith("idleTimeout: must be positive");
  }
}
