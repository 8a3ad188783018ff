package dev.completions.openai;

import static org.assertj.core.api.Assertions.assertThat;

import dev.completions.api.CompletionProvider;
import dev.completions.api.CompletionRequest;
import dev.completions.api.ConfigSource;
import dev.completions.tck.LoopbackServer;
import dev.completions.tck.OpenAiSse;
import dev.completions.tck.RecordedRequest;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Every entry of the built-in catalogue, pointed at loopback: its path, where its key goes, its
 * headers.
 */
class CatalogueTest {

  @ParameterizedTest(name = "{0}")
  @CsvSource({
    "OpenAI, openai, OPENAI_API_KEY, max_completion_tokens",
    "Groq, groq, GROQ_API_KEY, max_tokens",
    "DeepSeek, deepseek, DEEPSEEK_API_KEY, max_tokens",
    "Mistral, mistral, MISTRAL_API_KEY, max_tokens",
    "OpenRouter, openrouter, OPENROUTER_API_KEY, max_tokens",
    "Together, together, TOGETHER_API_KEY, max_tokens",
    "xAI, xai, XAI_API_KEY, max_tokens",
    "Cerebras, cerebras, CEREBRAS_API_KEY, max_tokens",
    "Fireworks, fireworks, FIREWORKS_API_KEY, max_tokens",
    "DeepInfra, deepinfra, DEEPINFRA_API_KEY, max_tokens",
    "Ollama, ollama, , max_tokens",
    "LlamaCpp, llamacpp, , max_tokens",
    "LMStudio, lmstudio, , max_tokens",
    "vLLM, vllm, , max_tokens"
  })
  void anEntrySendsItsKeyAsABearerTokenAndItsTokenLimitToChatCompletionsUnderItsBaseUrl(
      String name, String prefix, String keyVariable, String tokenLimitField) throws Exception {
    try (LoopbackServer server = LoopbackServer.start()) {
      server.enqueue(OpenAiSse.stream(OpenAiSse.answer(List.of("ok"))));
      Map<String, String> environment =
          keyVariable == null ? Map.of() : Map.of(keyVariable, "key-of-" + prefix);
      ConfigSource settings =
          ConfigSource.of(Map.of(prefix + ".url", server.url() + "/base/v1"), environment);
      CompletionProvider provider =
          new DeclaredProviders(settings, Path.of("no-config-home"))
              .load(getClass().getClassLoader()).providers().stream()
                  .filter(p -> p.info().name().equals(name))
                  .findFirst()
                  .orElseThrow();

      try (provider) {
        assertThat(
                provider
                    .complete(CompletionRequest.builder().user("Hi").maxTokens(8).build())
                    .text())
            .isEqualTo("ok");
      }

      RecordedRequest sent = server.takeRequest();
      assertThat(sent.method()).isEqualTo("POST");
      assertThat(sent.path()).isEqualTo("/base/v1/chat/completions");
      assertThat(sent.query()).isEmpty();
      assertThat(sent.header("Authorization"))
          .isEqualTo(keyVariable == null ? null : "Bearer key-of-" + prefix);
      assertThat(sent.header("Accept")).isEqualTo("text/event-stream");
      assertThat(sent.bodyText())
          .contains("\"model\":" + LoopbackServer.jsonString(provider.info().defaultModel()))
          .endsWith(",\"" + tokenLimitField + "\":8}");
    }
  }
}
