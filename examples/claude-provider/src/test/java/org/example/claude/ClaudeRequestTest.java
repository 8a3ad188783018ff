package org.example.claude;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.example.claude.AnthropicSse.answer;
import static org.example.claude.AnthropicSse.stream;

import dev.completions.api.CompletionProvider;
import dev.completions.api.CompletionRequest;
import dev.completions.api.ConfigSource;
import dev.completions.api.Message;
import dev.completions.api.Parameters;
import dev.completions.api.ProviderException;
import dev.completions.tck.LoopbackServer;
import dev.completions.tck.RecordedRequest;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** What the Claude provider sends, and what it refuses to send. */
class ClaudeRequestTest {

  private final LoopbackServer server = LoopbackServer.start();
  private final ClaudeProvider claude = AnthropicSse.provider(server, 1);

  @AfterEach
  void close() {
    claude.close();
    server.close();
  }

  private RecordedRequest send(CompletionRequest request) throws InterruptedException {
    server.enqueue(stream(answer("Hi")));
    assertThat(claude.complete(request).text()).isEqualTo("Hi");
    return server.takeRequest();
  }

  @Test
  void isFoundByServiceLoaderAsClaudeNeedingAKey() {
    CompletionProvider found =
        ServiceLoader.load(CompletionProvider.class).stream()
            .filter(p -> p.type() == ClaudeProvider.class)
            .findFirst()
            .orElseThrow()
            .get();

    assertThat(found.info().name()).isEqualTo("Claude");
    assertThat(found.info().needsAuth()).isTrue();
    assertThat(found.info().models())
        .containsExactly("claude-sonnet-4-5", "claude-opus-4-1", "claude-haiku-4-5");
  }

  @Test
  void describesItsParametersUnderAnthropicsNames() {
    assertThat(Parameters.of(claude.info().name(), claude.parameters()).describe())
        .isEqualTo(
            "Claude supports: (model: String, messages: List<Message>, stream: boolean, temperature: Double, "
                + "max_tokens: Integer = 1024, top_p: Double, top_k: Integer, stop: List<String>, "
                + "thinking_budget: Integer)");
  }

  @Test
  void postsToMessagesWithTheKeyInXApiKeyAndTheAnthropicVersion() throws Exception {
    RecordedRequest request = send(CompletionRequest.of("Hello"));

    assertThat(request.method()).isEqualTo("POST");
    assertThat(request.path()).isEqualTo("/v1/messages");
    assertThat(request.header("x-api-key")).isEqualTo(AnthropicSse.KEY);
    assertThat(request.header("anthropic-version")).isEqualTo("2023-06-01");
    assertThat(request.header("authorization")).isNull();
    assertThat(request.header("content-type")).isEqualTo("application/json; charset=UTF-8");
    assertThat(request.header("accept")).isEqualTo("text/event-stream");
    assertThat(request.query()).isEmpty();
  }

  @Test
  void sendsSystemMessagesAsTheSystemPromptAndMaxTokens1024ByDefault() throws Exception {
    RecordedRequest request =
        send(
            CompletionRequest.builder()
                .system("Be brief.")
                .user("Hi")
                .message(Message.assistant("Salut."))
                .system("Answer in French.")
                .user("Why is the sky blue?")
                .build());

    assertThat(request.bodyText())
        .isEqualTo(
            "{\"model\":\"claude-sonnet-4-5\",\"max_tokens\":1024,"
                + "\"system\":\"Be brief.\\n\\nAnswer in French.\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"},"
                + "{\"role\":\"assistant\",\"content\":\"Salut.\"},{\"role\":\"user\",\"content\":\"Why is the sky blue?\"}],"
                + "\"stream\":true}"); // no temperature: Anthropic's own default applies
  }

  @Test
  void sendsTheStandardFieldsAndOptionsUnderAnthropicsNames() throws Exception {
    RecordedRequest request =
        send(
            CompletionRequest.builder()
                .model("claude-opus-4-1")
                .user("Hi")
                .temperature(0.2)
                .maxTokens(64)
                .option("top_p", 0.9)
                .option("top_k", "40")
                .stop(List.of("\n\nHuman:"))
                .build());

    assertThat(request.bodyText())
        .isEqualTo(
            "{\"model\":\"claude-opus-4-1\",\"max_tokens\":64,"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}],\"stream\":true,\"temperature\":0.2,\"top_p\":0.9,"
                + "\"top_k\":40,\"stop_sequences\":[\"\\n\\nHuman:\"]}");
  }

  @Test
  void asksForThinkingWithABudgetAndThenSendsNoTemperature() throws Exception {
    RecordedRequest request =
        send(
            CompletionRequest.builder()
                .user("Hi")
                .maxTokens(4096)
                .option("thinking_budget", 2048)
                .build());

    assertThat(request.bodyText())
        .isEqualTo(
            "{\"model\":\"claude-sonnet-4-5\",\"max_tokens\":4096,"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}],\"stream\":true,"
                + "\"thinking\":{\"type\":\"enabled\",\"budget_tokens\":2048}}");
  }

  @Test
  void asksForAWholeMessageWhenNotStreaming() throws Exception {
    server.enqueue(
        exchange -> exchange.respond(200, "application/json", ClaudeStreamingTest.WHOLE_MESSAGE));

    claude.complete(CompletionRequest.builder().user("Hi").stream(false).build()).text();

    RecordedRequest request = server.takeRequest();
    assertThat(request.header("accept")).isEqualTo("application/json");
    assertThat(request.bodyText()).endsWith(",\"stream\":false}");
  }

  @Test
  void refusesATemperatureAboveAnthropicsMaximumBeforeAnyIo() {
    assertThatThrownBy(
            () -> claude.complete(CompletionRequest.builder().user("Hi").temperature(1.5).build()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("temperature of Claude must be Double in [0, 1], got 1.5 (Double)");
    assertThat(server.connectionCount()).isZero();
  }

  @Test
  void aMissingKeyFailsBeforeAnyIoNamingAnthropicApiKey() {
    ClaudeProvider keyless =
        new ClaudeProvider(
            ClaudeProvider.DEFAULTS.withSettings(
                ConfigSource.of(Map.of("claude.url", server.url() + "/v1"), Map.of())));

    ProviderException e =
        catchThrowableOfType(
            ProviderException.class, () -> keyless.complete(CompletionRequest.of("Hi")).text());

    assertThat(e).isInstanceOf(ProviderException.AuthenticationFailed.class);
    assertThat(e.getMessage())
        .isEqualTo("[Claude] no API key: set ANTHROPIC_API_KEY (or the property claude.apiKey)");
    assertThat(e.isRetryable()).isFalse();
    assertThat(server.connectionCount()).isZero();
    keyless.close();
  }

  @Test
  void theClaudeApiKeySettingWinsOverTheVariable() throws Exception {
    ClaudeProvider configured =
        new ClaudeProvider(
            ClaudeProvider.DEFAULTS.withSettings(
                ConfigSource.of(
                    Map.of(
                        "claude.url",
                        server.url() + "/v1",
                        "claude.apiKey",
                        "sk-ant-from-property"),
                    Map.of("ANTHROPIC_API_KEY", AnthropicSse.KEY))));
    server.enqueue(stream(answer("Hi")));

    configured.complete(CompletionRequest.of("Hi")).text();

    assertThat(server.takeRequest().headers().get("x-api-key"))
        .isEqualTo(List.of("sk-ant-from-property"));
    configured.close();
  }
}
