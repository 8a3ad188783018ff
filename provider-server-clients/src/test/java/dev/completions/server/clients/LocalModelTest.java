package dev.completions.server.clients;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.http.StreamResponse;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import com.openai.models.completions.CompletionUsage;
import dev.completions.api.CompletionRequest;
import dev.completions.api.CompletionStream;
import dev.completions.api.Usage;
import dev.completions.local.LocalProvider;
import dev.completions.registry.ProviderRegistry;
import dev.completions.server.CompletionServer;
import dev.completions.tck.TestModels;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * openai-java through the gateway to the Local provider running the tiny real model in this
 * process: the same seed gives the same text as asking Local directly. Skipped, with how to provide
 * it, when the model is not at hand.
 */
class LocalModelTest {
  private static final long SEED = 42;
  private static final int MAX_TOKENS = 24;

  @TempDir static Path cache;

  private static LocalProvider local;
  private static ProviderRegistry registry;
  private static CompletionServer server;
  private static OpenAIClient client;

  /** What Local says when asked directly, to compare with what reaches the client. */
  private static String expectedText;

  private static Usage expectedUsage;

  @BeforeAll
  static void start() {
    Optional<Path> model = TestModels.stories260K();
    if (model.isEmpty() && System.getenv("CI") != null) {
      throw new AssertionError("the test model is missing in CI: " + TestModels.HOW_TO_PROVIDE);
    }
    assumeTrue(
        model.isPresent(), "the tiny test model is not available: " + TestModels.HOW_TO_PROVIDE);
    Map<String, String> settings =
        Map.of(
            "local.model",
            model.get().toString(),
            "local.cache",
            cache.toString(),
            "local.threads",
            "1",
            "local.contextSize",
            "256");
    settings.forEach(System::setProperty);
    try {
      local = new LocalProvider(); // reads its settings now, from the system properties
    } finally {
      settings.keySet().forEach(System::clearProperty);
    }
    registry = ProviderRegistry.builder().discover(false).add(local).build();
    server = CompletionServer.builder(registry).port(0).build().start();
    client =
        OpenAIOkHttpClient.builder()
            .baseUrl(server.uri() + "/v1")
            .apiKey("not-checked")
            .maxRetries(0)
            .timeout(Duration.ofSeconds(60))
            .build();
    try (CompletionStream direct =
        local.complete(
            CompletionRequest.builder()
                .user("Once upon a time")
                .temperature(0.8)
                .maxTokens(MAX_TOKENS)
                .option("seed", SEED)
                .build())) {
      expectedText = direct.text();
      expectedUsage = direct.usage().orElseThrow();
    }
  }

  @AfterAll
  static void stop() {
    if (client != null) {
      client.close();
    }
    if (server != null) {
      server.close();
    }
    if (registry != null) {
      registry.close();
    }
    if (local != null) {
      local.close();
    }
  }

  private static ChatCompletionCreateParams.Builder story() {
    return ChatCompletionCreateParams.builder()
        .model("local")
        .addUserMessage("Once upon a time")
        .temperature(0.8)
        .maxCompletionTokens(MAX_TOKENS)
        .seed(SEED);
  }

  @Test
  void aStreamFromTheTinyModelIsWhatLocalSaysDirectly() {
    List<String> pieces = new ArrayList<>();
    List<String> finishReasons = new ArrayList<>();
    List<CompletionUsage> usages = new ArrayList<>();
    List<String> models = new ArrayList<>();
    try (StreamResponse<ChatCompletionChunk> stream =
        client
            .chat()
            .completions()
            .createStreaming(
                story()
                    .streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build())
                    .build())) {
      stream.stream()
          .forEach(
              chunk -> {
                models.add(chunk.model());
                chunk.usage().ifPresent(usages::add);
                for (ChatCompletionChunk.Choice choice : chunk.choices()) {
                  choice.delta().content().ifPresent(pieces::add);
                  choice.finishReason().ifPresent(reason -> finishReasons.add(reason.asString()));
                }
              });
    }

    assertThat(expectedText).isNotBlank();
    assertThat(String.join("", pieces)).isEqualTo(expectedText);
    assertThat(pieces).hasSize((int) expectedUsage.completionTokens());
    assertThat(finishReasons).containsExactly("length");
    assertThat(usages).hasSize(1);
    assertThat(usages.get(0).promptTokens()).isEqualTo(expectedUsage.promptTokens());
    assertThat(usages.get(0).completionTokens()).isEqualTo(MAX_TOKENS);
    assertThat(usages.get(0).totalTokens()).isEqualTo(expectedUsage.totalTokens());
    assertThat(models).containsOnly("stories260K");
  }

  @Test
  void aCompletionFromTheTinyModelIsWhatLocalSaysDirectly() {
    ChatCompletion completion = client.chat().completions().create(story().build());

    ChatCompletion.Choice choice = completion.choices().get(0);
    assertThat(choice.message().content()).contains(expectedText);
    assertThat(choice.finishReason()).isEqualTo(ChatCompletion.Choice.FinishReason.LENGTH);
    assertThat(completion.usage().orElseThrow().completionTokens()).isEqualTo(MAX_TOKENS);
    assertThat(completion.usage().orElseThrow().promptTokens())
        .isEqualTo(expectedUsage.promptTokens());
    assertThat(completion.model()).isEqualTo("stories260K");
  }
}
