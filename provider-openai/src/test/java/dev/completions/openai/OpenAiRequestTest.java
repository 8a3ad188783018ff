package dev.completions.openai;

import static dev.completions.openai.Fixtures.DONE;
import static dev.completions.openai.Fixtures.TOKEN;
import static dev.completions.openai.Fixtures.content;
import static dev.completions.openai.Fixtures.provider;
import static dev.completions.openai.Fixtures.respond;
import static dev.completions.openai.Fixtures.sse;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.completions.api.CompletionRequest;
import dev.completions.api.ConfigSource;
import dev.completions.api.Message;
import dev.completions.tck.LoopbackServer;
import dev.completions.tck.RecordedRequest;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ProxySelector;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class OpenAiRequestTest {

  private final LoopbackServer server = LoopbackServer.start();
  private final OpenAiCompatibleProvider acme =
      provider(server, new Fixtures.RecordingSleeper()).build();

  @AfterEach
  void close() {
    acme.close();
    server.close();
  }

  @Test
  void postsTheCallersTemperatureStreamFlagModelMessagesAndOptions() throws Exception {
    server.enqueue(sse(content("Hi"), DONE));
    CompletionRequest request =
        CompletionRequest.builder()
            .model("gpt-4")
            .system("Be brief.")
            .user("Hello, how are you?")
            .temperature(0.3)
            .maxTokens(64)
            .stop(List.of("\n\n", "END"))
            .option("top_p", "0.5")
            .build();

    assertThat(acme.complete(request).text()).isEqualTo("Hi");

    RecordedRequest sent = server.takeRequest();
    assertThat(sent.method()).isEqualTo("POST");
    assertThat(sent.path()).isEqualTo("/v1/chat/completions");
    assertThat(sent.query()).isEqualTo(Map.of("auth", TOKEN));
    assertThat(sent.header("Accept")).isEqualTo("text/event-stream");
    assertThat(sent.header("Content-Type")).startsWith("application/json");
    assertThat(sent.header("User-Agent")).isEqualTo("completions/0.1 (Java)");
    assertThat(sent.bodyText())
        .isEqualTo(
            "{\"temperature\":0.3,\"messages\":[{\"role\":\"system\",\"content\":\"Be brief.\"},"
                + "{\"role\":\"user\",\"content\":\"Hello, how are you?\"}],\"model\":\"gpt-4\",\"stream\":true,"
                + "\"max_tokens\":64,\"stop\":[\"\\n\\n\",\"END\"],\"top_p\":0.5}");
  }

  @Test
  void usesTheDefaultModelAndTemperatureWhenTheRequestNamesNone() throws Exception {
    server.enqueue(sse(content("Hi"), DONE));

    acme.complete(CompletionRequest.of("Hello")).text();

    assertThat(server.takeRequest().bodyText())
        .isEqualTo(
            "{\"temperature\":0.7,\"messages\":[{\"role\":\"user\",\"content\":\"Hello\"}],"
                + "\"model\":\"gpt-3.5-turbo\",\"stream\":true}");
  }

  @Test
  void sendsStreamFalseAndAsksForJsonWhenNotStreaming() throws Exception {
    server.enqueue(
        respond(
            200,
            "application/json",
            "{\"model\":\"gpt-4-0613\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"Whole answer.\"},"
                + "\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":9,\"completion_tokens\":3,\"total_tokens\":12}}"));
    var stream = acme.complete(CompletionRequest.builder().user("Hi").stream(false).build());

    assertThat(stream.text()).isEqualTo("Whole answer.");
    assertThat(stream.finishReason()).contains("stop");
    assertThat(stream.model()).isEqualTo("gpt-4-0613");
    assertThat(stream.usage()).hasValueSatisfying(u -> assertThat(u.totalTokens()).isEqualTo(12));
    RecordedRequest sent = server.takeRequest();
    assertThat(sent.header("Accept")).isEqualTo("application/json");
    assertThat(sent.bodyText()).contains("\"stream\":false");
  }

  @Test
  void appendsTheEndpointToABaseUrlWithAPathPrefix() throws Exception {
    server.enqueue(sse(content("Hi"), DONE));
    try (OpenAiCompatibleProvider prefixed =
        provider(server, new Fixtures.RecordingSleeper())
            .baseUrl(server.url() + "/some/prefix/")
            .build()) {
      prefixed.complete(Fixtures.hello()).text();
    }
    assertThat(server.takeRequest().path()).isEqualTo("/some/prefix/v1/chat/completions");
  }

  @Test
  void sendsTheConfiguredUserAgent() throws Exception {
    server.enqueue(sse(content("Hi"), DONE));
    try (OpenAiCompatibleProvider custom =
        provider(server, new Fixtures.RecordingSleeper()).userAgent("my-app/2.0").build()) {
      custom.complete(Fixtures.hello()).text();
    }
    assertThat(server.takeRequest().header("User-Agent")).isEqualTo("my-app/2.0");
  }

  @Test
  void readsSettingsFromSystemPropertiesBeforeTheEnvironment() throws Exception {
    server.enqueue(sse(content("Hi"), DONE));
    Map<String, String> properties =
        Map.of("acme.url", server.url().toString(), "acme.apiKey", "from-property");
    Map<String, String> environment =
        Map.of(
            "ACME_URL",
            "http://192.0.2.1:1",
            "ACME_API_KEY",
            "from-env",
            "ACME_USER_AGENT",
            "env-agent/1");
    ProviderConfig config =
        provider(server, new Fixtures.RecordingSleeper())
            .baseUrl("http://192.0.2.1:2")
            .config
            .build()
            .withSettings(ConfigSource.of(properties, environment));
    try (OpenAiCompatibleProvider configured = new OpenAiCompatibleProvider(config)) {
      configured.complete(Fixtures.hello()).text();
    }
    RecordedRequest sent = server.takeRequest();
    assertThat(sent.query()).containsEntry("auth", "from-property");
    assertThat(sent.header("User-Agent")).isEqualTo("env-agent/1");
  }

  record Thinking(String type, Integer budgetTokens) {}

  record VendorParameters(
      String model,
      List<Message> messages,
      boolean stream,
      Double temperature,
      Integer maxTokens,
      Thinking thinking,
      Map<String, Object> metadata) {}

  static final class VendorProvider extends OpenAiCompatibleProvider {
    VendorProvider(ProviderConfig config) {
      super(config, VendorParameters.class);
    }
  }

  @Test
  void sendsObjectOptionsAsJsonObjectsUnderTheirWireNames() throws Exception {
    server.enqueue(sse(content("ok"), DONE));
    try (VendorProvider vendor = new VendorProvider(acme.config())) {
      vendor
          .complete(
              CompletionRequest.builder()
                  .model("m1")
                  .user("Hi")
                  .option("thinking", Map.of("type", "enabled", "budget_tokens", "2000"))
                  .option("metadata", Map.of("team", "search"))
                  .build())
          .text();
    }

    assertThat(server.takeRequest().bodyText())
        .isEqualTo(
            "{\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}],\"model\":\"m1\",\"stream\":true,"
                + "\"thinking\":{\"type\":\"enabled\",\"budget_tokens\":2000},\"metadata\":{\"team\":\"search\"}}");
  }

  @Test
  void refusesAnUndeclaredOptionBeforeAnyIo() {
    CompletionRequest request =
        CompletionRequest.builder().user("Hi").option("max_tokenz", 5).build();

    assertThatThrownBy(() -> acme.complete(request))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "Acme does not accept option 'max_tokenz'; accepted options: "
                + "top_p (Double in [0, 1]), presence_penalty (Double in [-2, 2]), "
                + "frequency_penalty (Double in [-2, 2]), seed (Long), user (String)");
    assertThat(server.requestCount()).isZero();
    assertThat(server.connectionCount()).isZero();
  }

  @Test
  void refusesAnOutOfBoundsOptionBeforeAnyIo() {
    CompletionRequest request = CompletionRequest.builder().user("Hi").option("top_p", 1.5).build();

    assertThatThrownBy(() -> acme.complete(request))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("option 'top_p' of Acme must be Double in [0, 1], got 1.5 (Double)");
    assertThat(server.connectionCount()).isZero();
  }

  @Test
  void refusesInvalidSettingsNamingTheSettingWithoutShowingTheValue() {
    ProviderConfig valid = provider(server, null).config.build();
    assertThatThrownBy(
            () -> valid.toBuilder().auth(Auth.query("auth", "abc\r\nX-Injected: 1")).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("apiKey: must not contain CR, LF or NUL characters");
    assertThatThrownBy(() -> valid.toBuilder().userAgent("agent\n").build())
        .hasMessage("acme.userAgent: must not contain CR, LF or NUL characters");
    assertThatThrownBy(() -> valid.toBuilder().baseUrl("ftp://example.com").build())
        .hasMessageStartingWith("acme.url: must be an absolute http or https URL");
    assertThatThrownBy(
            () -> valid.withSettings(ConfigSource.of(Map.of("acme.idleTimeout", "soon"), Map.of())))
        .hasMessage(
            "acme.idleTimeout: must be a duration from 0 to 24h such as 500ms, 10s, 2m, PT10S or a number of"
                + " seconds, got 'soon'");
  }

  @Test
  void refusesAPasswordInTheBaseUrlWithoutShowingIt() {
    ProviderConfig.Builder config = provider(server, null).config;

    assertThatThrownBy(() -> config.baseUrl("https://user:hunter2@example.com/v1").build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "acme.url: must not carry a user name or password; use the provider's key setting instead,"
                + " got https://example.com/v1");
  }

  @Test
  void messagesKeepTheirRolesOnTheWire() throws Exception {
    server.enqueue(sse(content("ok"), DONE));
    acme.complete(
            CompletionRequest.builder()
                .message(Message.of("assistant", "earlier"))
                .message(Message.of("SYSTEM", "rules"))
                .build())
        .text();
    assertThat(server.takeRequest().bodyText())
        .contains(
            "{\"role\":\"assistant\",\"content\":\"earlier\"},{\"role\":\"system\",\"content\":\"rules\"}");
  }

  @Test
  void escapesQuotesBackslashesControlCharactersAndSendsOtherTextAsUtf8() throws Exception {
    server.enqueue(sse(content("ok"), DONE));
    String controls =
        "\u0001".repeat(40); // each becomes six bytes: more than the body's first guess
    acme.complete(
            CompletionRequest.builder()
                .model("m\"1")
                .user("say \"hi\" \\ \n\t" + controls + " é 👋 \u007f end")
                .stop(List.of("ж"))
                .build())
        .text();

    assertThat(server.takeRequest().bodyText())
        .isEqualTo(
            "{\"temperature\":0.7,\"messages\":[{\"role\":\"user\",\"content\":\"say \\\"hi\\\" \\\\ \\n\\t"
                + "\\u0001".repeat(40)
                + " é 👋 \u007f end\"}],\"model\":\"m\\\"1\",\"stream\":true,\"stop\":[\"ж\"]}");
  }

  @Test
  void refusesAMessageThatIsNotValidUnicodeBeforeSendingAnything() {
    CompletionRequest request =
        CompletionRequest.builder().user("fine").user("broken \uD800 here").build();

    assertThatThrownBy(() -> acme.complete(request))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("messages[1].content: is not valid Unicode (it has an unpaired surrogate)");
    assertThat(server.requestCount()).isZero();
  }

  @Test
  void goesThroughTheProxyThatTheJvmsProxySelectorNames() throws Exception {
    ProxySelector previous = ProxySelector.getDefault();
    ProxySelector.setDefault(
        ProxySelector.of(new InetSocketAddress(InetAddress.getLoopbackAddress(), server.port())));
    try (OpenAiCompatibleProvider proxied =
        provider(server, new Fixtures.RecordingSleeper())
            .baseUrl("http://acme.example")
            .authToken("")
            .build()) {
      server.enqueue(sse(content("Hi"), DONE));
      server.enqueue(sse(content("again"), DONE));

      assertThat(proxied.complete(CompletionRequest.of("Hello")).text()).isEqualTo("Hi");
      assertThat(proxied.complete(CompletionRequest.of("Hello")).text()).isEqualTo("again");

      assertThat(server.takeRequest().target())
          .isEqualTo("http://acme.example/v1/chat/completions");
      assertThat(server.takeRequest().target())
          .isEqualTo("http://acme.example/v1/chat/completions");
    } finally {
      ProxySelector.setDefault(previous);
    }
  }

  @Test
  void answersAProxysChallengeWithTheJvmsProxyUserProperties() throws Exception {
    ProxySelector previous = ProxySelector.getDefault();
    ProxySelector.setDefault(ProxySelector.of(new InetSocketAddress("127.0.0.1", server.port())));
    Map<String, String> properties =
        Map.of(
            "http.proxyHost",
            "127.0.0.1",
            "http.proxyPort",
            String.valueOf(server.port()),
            "http.proxyUser",
            "squid",
            "http.proxyPassword",
            "pa55");
    properties.forEach(System::setProperty);
    try (OpenAiCompatibleProvider proxied =
        provider(server, new Fixtures.RecordingSleeper())
            .baseUrl("http://acme.example")
            .authToken("")
            .build()) {
      server.enqueue(
          respond(407, "text/plain", "who are you?", "Proxy-Authenticate: Basic realm=\"proxy\""));
      server.enqueue(sse(content("Hi"), DONE));

      assertThat(proxied.complete(CompletionRequest.of("Hello")).text()).isEqualTo("Hi");

      assertThat(server.takeRequest().header("Proxy-Authorization")).isNull();
      assertThat(server.takeRequest().header("Proxy-Authorization"))
          .isEqualTo(
              "Basic "
                  + Base64.getEncoder()
                      .encodeToString("squid:pa55".getBytes(StandardCharsets.UTF_8)));
    } finally {
      properties.keySet().forEach(System::clearProperty);
      ProxySelector.setDefault(previous);
    }
  }
}
