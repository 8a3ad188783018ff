package dev.completions.server.clients;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.openai.client.OpenAIClient;
import com.openai.core.http.StreamResponse;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import com.openai.models.completions.CompletionUsage;
import dev.completions.api.Usage;
import dev.completions.tck.OpenAiSse;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** openai-java, the official SDK, through the gateway to a scripted upstream. */
class OpenAiJavaTest {
  private static final ObjectMapper JSON = new ObjectMapper();

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

  @Test
  void aStreamArrivesTokenByTokenWithItsFinishReasonUsageAndModel() throws Exception {
    List<String> tokens = List.of("Once", " upon a", " \"time\"", " wörld 👋🏽\n", "\tend\\");
    gateway.upstream.enqueue(
        OpenAiSse.stream(
            OpenAiSse.ROLE,
            OpenAiSse.content(tokens.get(0)),
            OpenAiSse.content(tokens.get(1)),
            OpenAiSse.content(tokens.get(2)),
            OpenAiSse.content(tokens.get(3)),
            OpenAiSse.content(tokens.get(4)),
            OpenAiSse.STOP,
            OpenAiSse.usage(new Usage(9, 5, 14)),
            OpenAiSse.DONE));
    ChatCompletionCreateParams params =
        ChatCompletionCreateParams.builder()
            .model("up:m1")
            .addUserMessage("Tell me a story")
            .streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build())
            .build();

    List<String> content = new ArrayList<>();
    List<String> finishReasons = new ArrayList<>();
    List<CompletionUsage> usages = new ArrayList<>();
    List<String> models = new ArrayList<>();
    try (StreamResponse<ChatCompletionChunk> stream =
        client.chat().completions().createStreaming(params)) {
      stream.stream()
          .forEach(
              chunk -> {
                models.add(chunk.model());
                chunk.usage().ifPresent(usages::add);
                for (ChatCompletionChunk.Choice choice : chunk.choices()) {
                  choice.delta().content().ifPresent(content::add);
                  choice.finishReason().ifPresent(reason -> finishReasons.add(reason.asString()));
                }
              });
    }

    assertThat(content).containsExactlyElementsOf(tokens);
    assertThat(finishReasons).containsExactly("stop");
    assertThat(usages).hasSize(1);
    assertThat(usages.get(0).promptTokens()).isEqualTo(9);
    assertThat(usages.get(0).completionTokens()).isEqualTo(5);
    assertThat(usages.get(0).totalTokens()).isEqualTo(14);
    // the role chunk, five texts, the finish, the usage: each names the model the upstream reported
    assertThat(models).hasSize(8).containsOnly("gpt-3.5-turbo-0613");
    JsonNode sent = JSON.readTree(gateway.upstream.takeRequest().bodyText());
    assertThat(sent.get("model").asText()).isEqualTo("m1");
    assertThat(sent.get("stream").asBoolean()).isTrue();
    assertThat(sent.at("/messages/0/role").asText()).isEqualTo("user");
    assertThat(sent.at("/messages/0/content").asText()).isEqualTo("Tell me a story");
  }

  @Test
  void aCompletionNotStreamedIsOneMessageWithItsFinishReasonUsageAndModel() throws Exception {
    gateway.upstream.enqueue(
        OpenAiSse.stream(
            OpenAiSse.content("Hello"),
            OpenAiSse.content(", wörld!"),
            OpenAiSse.delta("{}", "length"),
            OpenAiSse.usage(new Usage(3, 2, 5)),
            OpenAiSse.DONE));

    ChatCompletion completion =
        client
            .chat()
            .completions()
            .create(
                ChatCompletionCreateParams.builder()
                    .model("up:m2")
                    .addUserMessage("Hi")
                    .maxCompletionTokens(2)
                    .temperature(0.25)
                    .build());

    assertThat(completion.choices()).hasSize(1);
    ChatCompletion.Choice choice = completion.choices().get(0);
    assertThat(choice.message().content()).contains("Hello, wörld!");
    assertThat(choice.finishReason()).isEqualTo(ChatCompletion.Choice.FinishReason.LENGTH);
    assertThat(completion.usage()).isPresent();
    assertThat(completion.usage().get().promptTokens()).isEqualTo(3);
    assertThat(completion.usage().get().completionTokens()).isEqualTo(2);
    assertThat(completion.usage().get().totalTokens()).isEqualTo(5);
    assertThat(completion.model()).isEqualTo("gpt-3.5-turbo-0613");
    assertThat(completion.id()).startsWith("chatcmpl-");
    JsonNode sent = JSON.readTree(gateway.upstream.takeRequest().bodyText());
    assertThat(sent.get("model").asText()).isEqualTo("m2");
    assertThat(sent.get("max_tokens").asInt()).isEqualTo(2);
    assertThat(sent.get("temperature").asDouble()).isEqualTo(0.25);
  }
}
