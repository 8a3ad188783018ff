package dev.completions.server.clients;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.openai.client.OpenAIClient;
import com.openai.core.JsonValue;
import com.openai.core.http.StreamResponse;
import com.openai.helpers.ChatCompletionAccumulator;
import com.openai.models.FunctionDefinition;
import com.openai.models.FunctionParameters;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionMessage;
import com.openai.models.chat.completions.ChatCompletionMessageFunctionToolCall;
import com.openai.models.chat.completions.ChatCompletionMessageToolCall;
import com.openai.models.chat.completions.ChatCompletionToolMessageParam;
import dev.completions.api.Usage;
import dev.completions.tck.OpenAiSse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A tool round trip with openai-java through the gateway: two tools offered, a tool call streamed
 * in pieces, the call and its result sent back, the final answer streamed.
 */
class ToolRoundTripTest {
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

  private static FunctionDefinition function(String name, String description, String argument) {
    return FunctionDefinition.builder()
        .name(name)
        .description(description)
        .parameters(
            FunctionParameters.builder()
                .putAdditionalProperty("type", JsonValue.from("object"))
                .putAdditionalProperty(
                    "properties", JsonValue.from(Map.of(argument, Map.of("type", "string"))))
                .putAdditionalProperty("required", JsonValue.from(List.of(argument)))
                .build())
        .build();
  }

  @Test
  void aToolCallStreamedInPiecesAndItsResultMakeTheRoundTrip() throws Exception {
    gateway.upstream.enqueue(
        OpenAiSse.stream(
            OpenAiSse.ROLE,
            OpenAiSse.toolCallStart(0, "call_7", "get_weather"),
            OpenAiSse.toolCallArguments(0, "{\"ci"),
            OpenAiSse.toolCallArguments(0, "ty\":\"Pa"),
            OpenAiSse.toolCallArguments(0, "ris\"}"),
            OpenAiSse.TOOL_CALLS,
            OpenAiSse.usage(new Usage(40, 12, 52)),
            OpenAiSse.DONE));
    gateway.upstream.enqueue(
        OpenAiSse.stream(OpenAiSse.answer(List.of("It is ", "22 °C", " and sunny", " in Paris."))));
    ChatCompletionCreateParams ask =
        ChatCompletionCreateParams.builder()
            .model("up:m1")
            .addUserMessage("What is the weather in Paris?")
            .addFunctionTool(function("get_weather", "Current weather in a city", "city"))
            .addFunctionTool(function("get_time", "Local time in a city", "city"))
            .build();

    ChatCompletionAccumulator first = ChatCompletionAccumulator.create();
    try (StreamResponse<ChatCompletionChunk> stream =
        client.chat().completions().createStreaming(ask)) {
      stream.stream().forEach(first::accumulate);
    }
    ChatCompletion call = first.chatCompletion();
    ChatCompletion.Choice choice = call.choices().get(0);
    assertThat(choice.finishReason()).isEqualTo(ChatCompletion.Choice.FinishReason.TOOL_CALLS);
    ChatCompletionMessage message = choice.message();
    assertThat(message.content()).isEmpty();
    List<ChatCompletionMessageToolCall> calls = message.toolCalls().orElseThrow();
    assertThat(calls).hasSize(1);
    ChatCompletionMessageFunctionToolCall function = calls.get(0).asFunction();
    assertThat(function.id()).isEqualTo("call_7");
    assertThat(function.function().name()).isEqualTo("get_weather");
    assertThat(function.function().arguments()).isEqualTo("{\"city\":\"Paris\"}");

    ChatCompletionCreateParams withResult =
        ask.toBuilder()
            .addMessage(message)
            .addMessage(
                ChatCompletionToolMessageParam.builder()
                    .toolCallId(function.id())
                    .content("22 °C, sunny")
                    .build())
            .build();
    List<String> text = new ArrayList<>();
    List<String> finishReasons = new ArrayList<>();
    try (StreamResponse<ChatCompletionChunk> stream =
        client.chat().completions().createStreaming(withResult)) {
      stream.stream()
          .flatMap(chunk -> chunk.choices().stream())
          .forEach(
              piece -> {
                piece.delta().content().ifPresent(text::add);
                piece.finishReason().ifPresent(reason -> finishReasons.add(reason.asString()));
              });
    }

    assertThat(text).containsExactly("It is ", "22 °C", " and sunny", " in Paris.");
    assertThat(finishReasons).containsExactly("stop");
    JsonNode asked = JSON.readTree(gateway.upstream.takeRequest().bodyText());
    assertThat(asked.at("/tools/0/function/name").asText()).isEqualTo("get_weather");
    assertThat(asked.at("/tools/1/function/name").asText()).isEqualTo("get_time");
    assertThat(asked.get("tools")).hasSize(2);
    JsonNode answered = JSON.readTree(gateway.upstream.takeRequest().bodyText());
    JsonNode messages = answered.get("messages");
    assertThat(messages).hasSize(3);
    assertThat(messages.at("/0/role").asText()).isEqualTo("user");
    assertThat(messages.at("/0/content").asText()).isEqualTo("What is the weather in Paris?");
    assertThat(messages.at("/1/role").asText()).isEqualTo("assistant");
    assertThat(messages.at("/1/tool_calls")).hasSize(1);
    assertThat(messages.at("/1/tool_calls/0/id").asText()).isEqualTo("call_7");
    assertThat(messages.at("/1/tool_calls/0/type").asText()).isEqualTo("function");
    assertThat(messages.at("/1/tool_calls/0/function/name").asText()).isEqualTo("get_weather");
    assertThat(messages.at("/1/tool_calls/0/function/arguments").asText())
        .isEqualTo("{\"city\":\"Paris\"}");
    assertThat(messages.at("/2/role").asText()).isEqualTo("tool");
    assertThat(messages.at("/2/tool_call_id").asText()).isEqualTo("call_7");
    assertThat(messages.at("/2/content").asText()).isEqualTo("22 °C, sunny");
    assertThat(answered.get("tools")).hasSize(2);
  }
}
