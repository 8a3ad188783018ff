package dev.completions.openai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.completions.api.Capability;
import dev.completions.api.CompletionRequest;
import dev.completions.api.CompletionStream;
import dev.completions.api.ContentPart;
import dev.completions.api.Message;
import dev.completions.api.MissingCapabilityException;
import dev.completions.api.ResponseFormat;
import dev.completions.api.Tool;
import dev.completions.api.ToolCall;
import dev.completions.api.ToolChoice;
import dev.completions.tck.LoopbackServer;
import dev.completions.tck.OpenAiSse;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * OpenAI's documented request shapes for tools, tool results, images and JSON output, and a full
 * tool round trip.
 */
class OpenAiToolsAndImagesTest {

  private static final Tool WEATHER =
      Tool.of(
          "get_weather",
          "The weather in a city",
          "{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"}},\"required\":[\"city\"]}");
  private static final Tool TIME = Tool.of("get_time", "", Tool.NO_PARAMETERS);

  private final LoopbackServer server = LoopbackServer.start();
  private final OpenAiCompatibleProvider capable = provider(Capability.values());

  private OpenAiCompatibleProvider provider(Capability... capabilities) {
    return new OpenAiCompatibleProvider(
        ProviderConfig.custom()
            .name("Acme")
            .baseUrl(server.url() + "/v1")
            .models("m1")
            .capabilities(capabilities)
            .attempts(1)
            .build());
  }

  @AfterEach
  void close() {
    capable.close();
    server.close();
  }

  private String sentBody(CompletionRequest request) throws InterruptedException {
    server.enqueue(OpenAiSse.stream(OpenAiSse.answer(List.of("ok"))));
    try (CompletionStream answer = capable.complete(request)) {
      answer.text();
    }
    return server.takeRequest().bodyText();
  }

  @Test
  void aTextOnlyRequestsBodyIsUnchanged() throws Exception {
    assertThat(
            sentBody(
                CompletionRequest.builder().system("Be brief.").user("Hi").maxTokens(5).build()))
        .isEqualTo(
            "{\"temperature\":0.7,\"messages\":[{\"role\":\"system\",\"content\":\"Be brief.\"},"
                + "{\"role\":\"user\",\"content\":\"Hi\"}],\"model\":\"m1\",\"stream\":true,\"max_tokens\":5}");
  }

  @Test
  void toolsAndANamedToolChoiceAreSentAsFunctions() throws Exception {
    String body =
        sentBody(
            CompletionRequest.builder()
                .user("Weather?")
                .tool(WEATHER)
                .tool(TIME)
                .toolChoice(ToolChoice.tool("get_weather"))
                .build());

    assertThat(body)
        .isEqualTo(
            "{\"temperature\":0.7,\"messages\":[{\"role\":\"user\",\"content\":\"Weather?\"}],"
                + "\"model\":\"m1\",\"stream\":true,\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"get_weather\","
                + "\"description\":\"The weather in a city\",\"parameters\":{\"type\":\"object\",\"properties\":{\"city\":"
                + "{\"type\":\"string\"}},\"required\":[\"city\"]}}},{\"type\":\"function\",\"function\":{\"name\":\"get_time\","
                + "\"description\":\"\",\"parameters\":{\"type\":\"object\",\"properties\":{}}}}],"
                + "\"tool_choice\":{\"type\":\"function\",\"function\":{\"name\":\"get_weather\"}}}");
  }

  @Test
  void aToolChoiceModeIsSentAsItsName() throws Exception {
    assertThat(
            sentBody(
                CompletionRequest.builder()
                    .user("Hi")
                    .tool(TIME)
                    .toolChoice(ToolChoice.required())
                    .build()))
        .endsWith(",\"tool_choice\":\"required\"}");
  }

  @Test
  void anAssistantsToolCallsAndTheToolsResultAreSentBack() throws Exception {
    String body =
        sentBody(
            CompletionRequest.builder()
                .user("Weather in Paris?")
                .tool(WEATHER)
                .message(
                    Message.assistant(
                        List.of(new ToolCall(0, "call_1", "get_weather", "{\"city\":\"Paris\"}"))))
                .message(Message.tool("call_1", "22 °C and sunny"))
                .build());

    assertThat(body)
        .contains(
            "{\"role\":\"assistant\",\"content\":null,\"tool_calls\":[{\"id\":\"call_1\","
                + "\"type\":\"function\",\"function\":{\"name\":\"get_weather\",\"arguments\":\"{\\\"city\\\":\\\"Paris\\\"}\"}}]},"
                + "{\"role\":\"tool\",\"content\":\"22 °C and sunny\",\"tool_call_id\":\"call_1\"}");
  }

  @Test
  void imagesAreContentPartsAndBytesGoInlineAsDataUris() throws Exception {
    byte[] png = {(byte) 0x89, 'P', 'N', 'G'};
    String body =
        sentBody(
            CompletionRequest.builder()
                .message(
                    Message.user(
                        "What is in these?",
                        ContentPart.image(URI.create("https://example.com/cat.png")),
                        ((ContentPart.Image) ContentPart.image(png, "image/png"))
                            .withDetail(ContentPart.Detail.LOW)))
                .build());

    assertThat(body)
        .contains(
            "{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"What is in these?\"},"
                + "{\"type\":\"image_url\",\"image_url\":{\"url\":\"https://example.com/cat.png\"}},"
                + "{\"type\":\"image_url\",\"image_url\":{\"url\":\"data:image/png;base64,iVBORw==\",\"detail\":\"low\"}}]}");
  }

  @Test
  void jsonOutputIsAResponseFormat() throws Exception {
    assertThat(
            sentBody(
                CompletionRequest.builder()
                    .user("Hi")
                    .responseFormat(ResponseFormat.jsonObject())
                    .build()))
        .endsWith(",\"response_format\":{\"type\":\"json_object\"}}");
    assertThat(
            sentBody(
                CompletionRequest.builder()
                    .user("Hi")
                    .responseFormat(
                        ResponseFormat.jsonSchema(
                            "person", "{\"type\":\"object\",\"required\":[\"name\"]}", true))
                    .build()))
        .endsWith(
            ",\"response_format\":{\"type\":\"json_schema\",\"json_schema\":{\"name\":\"person\","
                + "\"schema\":{\"type\":\"object\",\"required\":[\"name\"]},\"strict\":true}}}");
  }

  @Test
  void aRequestNeedingACapabilityTheProviderLacksIsRefusedBeforeAnyIo() {
    try (OpenAiCompatibleProvider textOnly = provider()) {
      assertThatThrownBy(
              () -> textOnly.complete(CompletionRequest.builder().user("Hi").tool(TIME).build()))
          .isInstanceOf(MissingCapabilityException.class)
          .hasMessage(
              "Acme cannot serve this request: it needs tools, which Acme does not support");
    }
    assertThat(server.connectionCount()).isZero();
  }

  @Test
  void aToolRoundTripStreamsACallSplitAcrossChunksThenTheFinalAnswer() throws Exception {
    server.enqueue(
        OpenAiSse.stream(
            OpenAiSse.ROLE,
            OpenAiSse.delta(
                "{\"tool_calls\":[{\"index\":0,\"id\":\"call_9\",\"type\":\"function\",\"function\":"
                    + "{\"name\":\"get_weather\",\"arguments\":\"\"}}]}",
                null),
            OpenAiSse.delta(
                "{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\"{\\\"ci\"}}]}", null),
            OpenAiSse.delta(
                "{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\"ty\\\":\\\"Paris\\\"}\"}}]}",
                null),
            OpenAiSse.delta("{}", "tool_calls"),
            OpenAiSse.DONE));
    server.enqueue(OpenAiSse.stream(OpenAiSse.answer(List.of("It is", " 22 °C in Paris."))));
    CompletionRequest ask =
        CompletionRequest.builder().user("Weather in Paris?").tool(WEATHER).tool(TIME).build();

    List<ToolCall> calls;
    try (CompletionStream first = capable.complete(ask)) {
      first.forEach(token -> {});
      assertThat(first.finishReason()).contains("tool_calls");
      calls = first.toolCalls();
    }
    assertThat(calls)
        .containsExactly(new ToolCall(0, "call_9", "get_weather", "{\"city\":\"Paris\"}"));
    CompletionRequest answer =
        ask.toBuilder()
            .message(Message.assistant(calls))
            .message(Message.tool(calls.get(0).id(), "22 °C"))
            .build();
    try (CompletionStream second = capable.complete(answer)) {
      assertThat(second.text()).isEqualTo("It is 22 °C in Paris.");
    }

    assertThat(server.takeRequest().bodyText()).contains("\"tools\":[{\"type\":\"function\"");
    assertThat(new String(server.takeRequest().body(), StandardCharsets.UTF_8))
        .contains(
            "\"tool_calls\":[{\"id\":\"call_9\",\"type\":\"function\",\"function\":{\"name\":\"get_weather\","
                + "\"arguments\":\"{\\\"city\\\":\\\"Paris\\\"}\"}}]}")
        .contains("{\"role\":\"tool\",\"content\":\"22 °C\",\"tool_call_id\":\"call_9\"}");
  }
}
