package org.example.ollama;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.completions.api.Capability;
import dev.completions.api.CompletionEvent;
import dev.completions.api.CompletionRequest;
import dev.completions.api.CompletionStream;
import dev.completions.api.ConfigSource;
import dev.completions.api.ContentPart;
import dev.completions.api.Message;
import dev.completions.api.ProviderException;
import dev.completions.api.ResponseFormat;
import dev.completions.api.Tool;
import dev.completions.api.ToolCall;
import dev.completions.api.ToolChoice;
import dev.completions.api.Usage;
import dev.completions.tck.LoopbackServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Tools, tool calls and results, images and {@code format} on Ollama's {@code /api/chat}: golden
 * request bodies (exact JSON) and recorded NDJSON answers (the {@code .ndjson} resources beside
 * this class), on a real loopback server.
 */
class OllamaToolsImagesAndFormatTest {

  /** A schema written the way people write them: spaced over lines; Ollama gets it compacted. */
  private static final Tool WEATHER =
      Tool.of(
          "get_weather",
          "The current weather in a city",
          """
      {
        "type": "object",
        "properties": {
          "city": {"type": "string"},
          "unit": {"type": "string", "enum": ["celsius", "fahrenheit"]}
        },
        "required": ["city"]
      }""");

  private static final Tool TIME = Tool.of("get_time", "", Tool.NO_PARAMETERS);
  private static final String TOOLS_JSON =
      "\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"get_weather\","
          + "\"description\":\"The current weather in a city\",\"parameters\":{\"type\":\"object\",\"properties\":{\"city\":"
          + "{\"type\":\"string\"},\"unit\":{\"type\":\"string\",\"enum\":[\"celsius\",\"fahrenheit\"]}},\"required\":"
          + "[\"city\"]}}},{\"type\":\"function\",\"function\":{\"name\":\"get_time\",\"description\":\"\",\"parameters\":"
          + "{\"type\":\"object\",\"properties\":{}}}}]";

  private final LoopbackServer server = LoopbackServer.start();
  private final OllamaNativeProvider ollama =
      new OllamaNativeProvider(
          OllamaNativeProvider.configured(
              ConfigSource.of(
                  Map.of(
                      "ollama-native.url", server.url().toString(), "ollama-native.attempts", "1"),
                  Map.of())));

  @AfterEach
  void close() {
    ollama.close();
    server.close();
  }

  /** A recorded answer: the resource's lines, one HTTP chunk each. */
  private static LoopbackServer.Script recorded(String resource) {
    try (InputStream in = OllamaToolsImagesAndFormatTest.class.getResourceAsStream(resource)) {
      String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      return OllamaNativeProviderTest.ndjson(
          text.lines().map(line -> line + "\n").toArray(String[]::new));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private String sentBody(CompletionRequest request) throws InterruptedException {
    server.enqueue(
        OllamaNativeProviderTest.ndjson(
            OllamaNativeProviderTest.piece("ok"), OllamaNativeProviderTest.DONE));
    try (CompletionStream answer = ollama.complete(request)) {
      answer.text();
    }
    return server.takeRequest().bodyText();
  }

  private void assertRefusedBeforeAnyIo(CompletionRequest request, String message) {
    assertThatThrownBy(() -> ollama.complete(request))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(message);
    assertThat(server.connectionCount()).isZero();
  }

  @Test
  void declaresWhatItCanDoBeyondText() {
    assertThat(ollama.info().capabilities())
        .containsExactlyInAnyOrder(
            Capability.TOOLS,
            Capability.IMAGE_INPUT,
            Capability.JSON_OUTPUT,
            Capability.JSON_SCHEMA_OUTPUT,
            Capability.REASONING_OUTPUT);
    try (OllamaNativeProvider fromTheEnvironment = new OllamaNativeProvider()) {
      assertThat(fromTheEnvironment.info().capabilities()).isEqualTo(ollama.info().capabilities());
    }
  }

  @Test
  void toolsAreSentAsFunctionsWithTheirSchemasAsObjects() throws Exception {
    assertThat(
            sentBody(CompletionRequest.builder().user("Weather?").tool(WEATHER).tool(TIME).build()))
        .isEqualTo(
            "{\"model\":\"llama3.2\",\"messages\":[{\"role\":\"user\",\"content\":\"Weather?\"}],"
                + TOOLS_JSON
                + ",\"stream\":true,\"options\":{\"temperature\":0.7}}");
    assertThat(
            sentBody(
                CompletionRequest.builder()
                    .user("Weather?")
                    .tool(WEATHER)
                    .tool(TIME)
                    .toolChoice(ToolChoice.auto())
                    .build()))
        .contains(TOOLS_JSON);
  }

  @Test
  void aToolChoiceOfNoneLeavesTheToolsOut() throws Exception {
    assertThat(
            sentBody(
                CompletionRequest.builder()
                    .user("Hi")
                    .tool(TIME)
                    .toolChoice(ToolChoice.none())
                    .build()))
        .isEqualTo(
            "{\"model\":\"llama3.2\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}],\"stream\":true,"
                + "\"options\":{\"temperature\":0.7}}");
  }

  @Test
  void aToolChoiceOllamaCannotForceIsRefusedBeforeAnyIo() {
    assertRefusedBeforeAnyIo(
        CompletionRequest.builder().user("Hi").tool(TIME).toolChoice(ToolChoice.required()).build(),
        "tool_choice: Ollama-Native cannot force a tool call (Ollama has no tool_choice); use auto or none, got required");
    assertRefusedBeforeAnyIo(
        CompletionRequest.builder()
            .user("Hi")
            .tool(TIME)
            .toolChoice(ToolChoice.tool("get_time"))
            .build(),
        "tool_choice: Ollama-Native cannot force a tool call (Ollama has no tool_choice); use auto or none,"
            + " got the tool 'get_time'");
  }

  @Test
  void imageBytesAndDataUrisAreStandardBase64StringsInTheMessagesImages() throws Exception {
    byte[] png = {(byte) 0x89, 'P', 'N', 'G'};
    String body =
        sentBody(
            CompletionRequest.builder()
                .system("Be brief.")
                .message(
                    Message.user(
                        "What is in these?",
                        ContentPart.image(png, "image/png"),
                        ((ContentPart.Image)
                                ContentPart.image(URI.create("data:image/jpeg;base64,/9j/4AAQ")))
                            .withDetail(ContentPart.Detail.HIGH),
                        ContentPart.image(
                            URI.create("data:image/gif;base64,R0lGOA")))) // padded for Go's decoder
                .build());

    assertThat(body)
        .isEqualTo(
            "{\"model\":\"llama3.2\",\"messages\":[{\"role\":\"system\",\"content\":\"Be brief.\"},"
                + "{\"role\":\"user\",\"content\":\"What is in these?\",\"images\":[\"iVBORw==\",\"/9j/4AAQ\",\"R0lGOA==\"]}],"
                + "\"stream\":true,\"options\":{\"temperature\":0.7}}");
  }

  @Test
  void anImageAtAUrlIsRefusedBeforeAnyIoNamingTheField() {
    assertRefusedBeforeAnyIo(
        CompletionRequest.builder()
            .system("Be brief.")
            .message(
                Message.user(
                    "What is this?",
                    ContentPart.image(new byte[] {1}, "image/png"),
                    ContentPart.image(URI.create("https://example.com/cat.png"))))
            .build(),
        "messages[1].images[1]: Ollama takes an image's bytes, not a URL (https://example.com/cat.png);"
            + " read the image and pass ContentPart.image(bytes, mediaType)");
    assertRefusedBeforeAnyIo(
        CompletionRequest.builder()
            .message(
                Message.user(
                    "What is this?", ContentPart.image(URI.create("data:image/png,rawbytes"))))
            .build(),
        "messages[0].images[0]: Ollama takes an image's bytes, not a URL (data:image/png,rawbytes);"
            + " read the image and pass ContentPart.image(bytes, mediaType)");
    assertThatThrownBy(
            () ->
                ollama.complete(
                    CompletionRequest.builder()
                        .message(
                            Message.user(
                                "What is this?",
                                ContentPart.image(URI.create("data:image/png;base64,not*base64"))))
                        .build()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("messages[0].images[0]: the data: URI is not valid base64: ");
    assertThat(server.connectionCount()).isZero();
  }

  @Test
  void jsonOutputIsFormatJsonAndASchemaIsTheFormatObject() throws Exception {
    assertThat(
            sentBody(
                CompletionRequest.builder()
                    .user("Hi")
                    .responseFormat(ResponseFormat.jsonObject())
                    .build()))
        .isEqualTo(
            "{\"model\":\"llama3.2\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}],\"format\":\"json\","
                + "\"stream\":true,\"options\":{\"temperature\":0.7}}");
    assertThat(
            sentBody(
                CompletionRequest.builder().user("Hi").stream(false)
                    .temperature(0)
                    .responseFormat(
                        ResponseFormat.jsonSchema(
                            "person",
                            "{ \"type\": \"object\", \"properties\": {\"age\": {\"type\": \"integer\", \"minimum\": 0.0}},"
                                + " \"required\": [\"age\"] }",
                            true))
                    .build()))
        .isEqualTo(
            "{\"model\":\"llama3.2\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}],\"format\":"
                + "{\"type\":\"object\",\"properties\":{\"age\":{\"type\":\"integer\",\"minimum\":0.0}},\"required\":[\"age\"]},"
                + "\"stream\":false,\"options\":{\"temperature\":0.0}}");
    assertThat(
            sentBody(
                CompletionRequest.builder()
                    .user("Hi")
                    .responseFormat(ResponseFormat.text())
                    .build()))
        .doesNotContain("format");
  }

  @Test
  void aToolRoundTripSendsTheCallAndItsResultBackThenReadsTheAnswer() throws Exception {
    server.enqueue(recorded("tool-call.ndjson"));
    server.enqueue(recorded("tool-result-answer.ndjson"));
    CompletionRequest ask =
        CompletionRequest.builder()
            .user("What is the weather in Paris?")
            .tool(WEATHER)
            .tool(TIME)
            .build();

    List<ToolCall> calls;
    try (CompletionStream first = ollama.complete(ask)) {
      first.forEach(token -> {});
      assertThat(first.finishReason()).contains("tool_calls");
      assertThat(first.usage()).contains(new Usage(214, 24, 238));
      calls = first.toolCalls();
    }
    assertThat(calls)
        .containsExactly(
            new ToolCall(0, "call_0", "get_weather", "{\"city\":\"Paris\",\"unit\":\"celsius\"}"));
    CompletionRequest answer =
        ask.toBuilder()
            .message(Message.assistant(calls))
            .message(Message.tool(calls.get(0).id(), "22 °C, sunny"))
            .build();
    try (CompletionStream second = ollama.complete(answer)) {
      assertThat(second.text()).isEqualTo("It is 22 °C and sunny in Paris.");
      assertThat(second.finishReason()).contains("stop");
      assertThat(second.toolCalls()).isEmpty();
    }

    String offer =
        "{\"model\":\"llama3.2\",\"messages\":[{\"role\":\"user\",\"content\":\"What is the weather in Paris?\"}],"
            + TOOLS_JSON
            + ",\"stream\":true,\"options\":{\"temperature\":0.7}}";
    assertThat(server.takeRequest().bodyText()).isEqualTo(offer);
    assertThat(server.takeRequest().bodyText())
        .isEqualTo(
            "{\"model\":\"llama3.2\",\"messages\":[{\"role\":\"user\","
                + "\"content\":\"What is the weather in Paris?\"},{\"role\":\"assistant\",\"content\":\"\",\"tool_calls\":"
                + "[{\"function\":{\"name\":\"get_weather\",\"arguments\":{\"city\":\"Paris\",\"unit\":\"celsius\"}}}]},"
                + "{\"role\":\"tool\",\"content\":\"22 °C, sunny\",\"tool_name\":\"get_weather\"}],"
                + TOOLS_JSON
                + ",\"stream\":true,\"options\":{\"temperature\":0.7}}");
  }

  @Test
  void callsOverSeveralLinesAreNumberedInOrderWithIdsOfTheirOwn() {
    server.enqueue(recorded("three-calls.ndjson"));
    List<CompletionEvent> events = new ArrayList<>();

    try (CompletionStream stream =
        ollama.complete(
            CompletionRequest.builder()
                .user("Weather in Paris and Lyon, and the time?")
                .tool(WEATHER)
                .tool(TIME)
                .build())) {
      stream.events().forEach(events::add);
      assertThat(stream.toolCalls())
          .extracting(ToolCall::id)
          .containsExactly("call_0", "call_1", "call_2");
    }

    assertThat(events)
        .containsExactly(
            new CompletionEvent.Answered("Ollama-Native", "qwen3:8b"),
            new CompletionEvent.Reasoning("Two cities, then the time."),
            new CompletionEvent.ToolCallDelta(0, "call_0", "get_weather", "{\"city\":\"Paris\"}"),
            new CompletionEvent.ToolCallDelta(
                1,
                "call_1",
                "get_weather",
                "{\"city\":\"Lyon\",\"days\":2,\"detail\":{\"wind\":true,\"rain\":null}}"),
            new CompletionEvent.ToolCallDelta(2, "call_2", "get_time", "{}"),
            new CompletionEvent.Finish("tool_calls"),
            new CompletionEvent.UsageReport(new Usage(302, 71, 373)));
  }

  @Test
  void aWholeAnswerWithACallKeepsAnIdTheServerSentAndAReasonOtherThanStop() {
    server.enqueue(
        exchange ->
            exchange.respond(
                200,
                "application/json",
                "{\"model\":\"llama3.2\",\"created_at\":"
                    + "\"2026-11-25T10:30:00Z\",\"message\":{\"role\":\"assistant\",\"content\":\"\",\"tool_calls\":[{\"id\":"
                    + "\"call_x7\",\"function\":{\"name\":\"get_weather\",\"arguments\":{\"city\":\"Nice\"}}}]},"
                    + "\"done_reason\":\"length\",\"done\":true}"));

    try (CompletionStream stream =
        ollama.complete(
            CompletionRequest.builder().user("Weather in Nice?").tool(WEATHER).stream(false)
                .build())) {
      stream.forEach(token -> {});
      assertThat(stream.toolCalls())
          .containsExactly(new ToolCall(0, "call_x7", "get_weather", "{\"city\":\"Nice\"}"));
      assertThat(stream.finishReason()).contains("length");
    }
  }

  @Test
  void aCallWithoutAFunctionNameBreaksTheFormat() {
    server.enqueue(
        OllamaNativeProviderTest.ndjson(
            "{\"model\":\"llama3.2\",\"message\":{\"role\":\"assistant\","
                + "\"content\":\"\",\"tool_calls\":[{\"function\":{\"arguments\":{}}}]},\"done\":false}\n",
            OllamaNativeProviderTest.DONE));

    ProviderException e =
        catchThrowableOfType(
            ProviderException.class,
            () ->
                ollama.complete(CompletionRequest.builder().user("Hi").tool(TIME).build()).text());

    assertThat(e.kind()).isEqualTo(ProviderException.Kind.PROTOCOL);
    assertThat(e.getMessage())
        .isEqualTo(
            "[Ollama-Native] malformed answer: message.tool_calls: a call without a"
                + " function name");
  }

  @Test
  void aResultNamesItsToolOnlyWhenTheCallIsInTheConversation() throws Exception {
    String body =
        sentBody(
            CompletionRequest.builder()
                .user("Time?")
                .tool(TIME)
                .message(Message.tool("call_earlier", "12:00"))
                .build());

    assertThat(body).contains("{\"role\":\"tool\",\"content\":\"12:00\"}]");
  }

  @Test
  void callArgumentsThatAreNotAnObjectAreRefusedBeforeAnyIo() {
    assertRefusedBeforeAnyIo(
        CompletionRequest.builder()
            .user("Time?")
            .tool(TIME)
            .message(Message.assistant(List.of(new ToolCall(0, "call_0", "get_time", "[]"))))
            .message(Message.tool("call_0", "12:00"))
            .build(),
        "messages[1].tool_calls[0].arguments: Ollama takes a JSON object, got []");
  }
}
