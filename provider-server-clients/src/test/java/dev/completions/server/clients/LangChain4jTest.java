package dev.completions.server.clients;

import static org.assertj.core.api.Assertions.assertThat;

import dev.completions.api.Usage;
import dev.completions.tck.OpenAiSse;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.PartialThinking;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import dev.langchain4j.model.openai.OpenAiStreamingChatModel;
import dev.langchain4j.model.output.FinishReason;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** LangChain4j's {@code OpenAiStreamingChatModel} streaming through the gateway. */
class LangChain4jTest {
  private ScriptedGateway gateway;

  @BeforeEach
  void start() {
    gateway = new ScriptedGateway();
  }

  @AfterEach
  void stop() {
    gateway.close();
  }

  @Test
  void tokensThinkingFinishReasonAndUsageArriveExactly() throws Exception {
    List<String> tokens = List.of("Hel", "lo, ", "\"wörld\"", " 👋🏽", "\n\tbye\\");
    gateway.upstream.enqueue(
        OpenAiSse.stream(
            OpenAiSse.ROLE,
            OpenAiSse.reasoning("Greet"),
            OpenAiSse.reasoning(" back."),
            OpenAiSse.content(tokens.get(0)),
            OpenAiSse.content(tokens.get(1)),
            OpenAiSse.content(tokens.get(2)),
            OpenAiSse.content(tokens.get(3)),
            OpenAiSse.content(tokens.get(4)),
            OpenAiSse.STOP,
            OpenAiSse.usage(new Usage(7, 5, 12)),
            OpenAiSse.DONE));
    OpenAiStreamingChatModel model =
        OpenAiStreamingChatModel.builder()
            .baseUrl(gateway.baseUrl())
            .apiKey("not-checked")
            .modelName("up:m1")
            .returnThinking(true)
            .timeout(Duration.ofSeconds(30))
            .build();

    List<String> partial = new CopyOnWriteArrayList<>();
    List<String> thinking = new CopyOnWriteArrayList<>();
    CompletableFuture<ChatResponse> done = new CompletableFuture<>();
    model.chat(
        List.of(UserMessage.from("Hi")),
        new StreamingChatResponseHandler() {
          @Override
          public void onPartialResponse(String text) {
            partial.add(text);
          }

          @Override
          public void onPartialThinking(PartialThinking piece) {
            thinking.add(piece.text());
          }

          @Override
          public void onCompleteResponse(ChatResponse response) {
            done.complete(response);
          }

          @Override
          public void onError(Throwable error) {
            done.completeExceptionally(error);
          }
        });
    ChatResponse response = done.get(30, TimeUnit.SECONDS);

    assertThat(partial).containsExactlyElementsOf(tokens);
    assertThat(thinking).containsExactly("Greet", " back.");
    assertThat(response.aiMessage().text()).isEqualTo(String.join("", tokens));
    assertThat(response.aiMessage().thinking()).isEqualTo("Greet back.");
    assertThat(response.finishReason()).isEqualTo(FinishReason.STOP);
    assertThat(response.tokenUsage().inputTokenCount()).isEqualTo(7);
    assertThat(response.tokenUsage().outputTokenCount()).isEqualTo(5);
    assertThat(response.tokenUsage().totalTokenCount()).isEqualTo(12);
    // the stream is committed at the first reasoning, before the upstream named its model (in its
    // first text chunk), so every chunk names the model asked for
    assertThat(response.modelName()).isEqualTo("m1");
    assertThat(response.id()).startsWith("chatcmpl-");
    assertThat(gateway.upstream.takeRequest().bodyText()).contains("\"model\":\"m1\"");
  }
}
