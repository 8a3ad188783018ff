package dev.completions.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Tools, tool results, images and JSON output: validated when built, and the capabilities they
 * need.
 */
class ToolsImagesAndFormatsTest {

  private static final String WEATHER_SCHEMA =
      "{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"}},\"required\":[\"city\"]}";
  private static final Tool WEATHER =
      Tool.of("get_weather", "The weather in a city", WEATHER_SCHEMA);

  @ParameterizedTest(name = "''{0}''")
  @ValueSource(
      strings = {
        "",
        "has space",
        "dots.not.allowed",
        "é",
        "a234567890123456789012345678901234567890123456789012345678901234x"
      })
  void aToolNameOpenAiWouldRefuseIsRefusedNamingTheRule(String name) {
    assertThatThrownBy(() -> Tool.of(name, "", Tool.NO_PARAMETERS))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("tools: name must match ^[a-zA-Z0-9_-]{1,64}$, got '" + name + "'");
  }

  @ParameterizedTest(name = "[{0}]")
  @ValueSource(strings = {"", "[]", "{", "{\"a\":}", "{'a':1}", "{\"a\":1} x", "{\"a\":01}"})
  void toolParametersMustBeAJsonObject(String schema) {
    assertThatThrownBy(() -> Tool.of("f", "", schema))
        .hasMessage(
            "tools[f].parameters: must be a JSON Schema object as JSON text, such as "
                + "{\"type\":\"object\",\"properties\":{}}");
  }

  @Test
  void aToolNameOfferedTwiceIsRefused() {
    assertThatThrownBy(
            () -> CompletionRequest.builder().user("Hi").tool(WEATHER).tool(WEATHER).build())
        .hasMessage("tools: the name 'get_weather' is offered twice");
  }

  @Test
  void aChoiceNamingAToolNotOfferedIsRefusedListingTheOffered() {
    assertThatThrownBy(
            () ->
                CompletionRequest.builder()
                    .user("Hi")
                    .tool(WEATHER)
                    .toolChoice(ToolChoice.tool("search"))
                    .build())
        .hasMessage(
            "tool_choice: names the tool 'search', which is not offered; offered: get_weather");
  }

  @Test
  void aToolMessageMustNameTheCallItAnswers() {
    assertThatThrownBy(() -> new Message(Role.TOOL, "22 °C"))
        .hasMessage("tool_call_id: a tool message must name the call it answers");
    assertThatThrownBy(() -> Message.tool(" ", "22 °C"))
        .hasMessage("tool_call_id: a tool message must name the call it answers");
  }

  @Test
  void anAssistantToolCallWhoseArgumentsAreNotJsonIsRefused() {
    assertThatThrownBy(
            () ->
                Message.assistant(
                    List.of(new ToolCall(0, "call_1", "get_weather", "{city: Paris}"))))
        .hasMessage("tool_calls[call_1].arguments: must be JSON, such as {}");
  }

  @Test
  void anImageWithoutAMediaTypeIsRefused() {
    assertThatThrownBy(() -> ContentPart.image(new byte[] {1, 2}, null))
        .hasMessage("image.mediaType: must be an image/ media type such as image/png, got none");
    assertThatThrownBy(() -> ContentPart.image(new byte[] {1, 2}, "text/plain"))
        .hasMessage(
            "image.mediaType: must be an image/ media type such as image/png, got 'text/plain'");
  }

  @Test
  void imagesBelongInUserMessagesOnly() {
    assertThatThrownBy(
            () ->
                new Message(
                    Role.SYSTEM,
                    List.of(ContentPart.image(URI.create("https://x/a.png"))),
                    List.of(),
                    null))
        .hasMessage("content: images are allowed in user messages only, not system");
  }

  @Test
  void aRequestSaysWhatItNeeds() {
    CompletionRequest plain = CompletionRequest.of("Hi");
    CompletionRequest everything =
        CompletionRequest.builder()
            .message(
                Message.user(
                    "What is this?", ContentPart.image(URI.create("https://example.com/cat.png"))))
            .tool(WEATHER)
            .responseFormat(ResponseFormat.jsonSchema("answer", "{\"type\":\"object\"}", true))
            .build();
    CompletionRequest toolResult =
        CompletionRequest.builder()
            .user("Weather in Paris?")
            .message(
                Message.assistant(
                    List.of(new ToolCall(0, "call_1", "get_weather", "{\"city\":\"Paris\"}"))))
            .message(Message.tool("call_1", "22 °C"))
            .build();

    assertThat(plain.requiredCapabilities()).isEmpty();
    assertThat(everything.requiredCapabilities())
        .containsExactlyInAnyOrder(
            Capability.TOOLS, Capability.IMAGE_INPUT, Capability.JSON_SCHEMA_OUTPUT);
    assertThat(toolResult.requiredCapabilities()).containsExactly(Capability.TOOLS);
    assertThat(
            CompletionRequest.builder()
                .user("Hi")
                .responseFormat(ResponseFormat.jsonObject())
                .build()
                .requiredCapabilities())
        .containsExactly(Capability.JSON_OUTPUT);
  }

  @Test
  void aProviderWithoutTheCapabilityRefusesBeforeAnyIoNamingItselfAndWhatIsMissing() {
    ProviderInfo textOnly =
        new ProviderInfo(
            "Plain", URI.create("https://plain.example"), List.of("m"), "m", true, false);
    ProviderInfo withTools =
        new ProviderInfo(
            "Tooled",
            URI.create("https://t.example"),
            List.of("m"),
            "m",
            true,
            false,
            Set.of(Capability.TOOLS));
    CompletionRequest request = CompletionRequest.builder().user("Hi").tool(WEATHER).build();

    withTools.requireCapabilities(request);
    assertThatThrownBy(() -> textOnly.requireCapabilities(request))
        .isInstanceOf(MissingCapabilityException.class)
        .hasMessage(
            "Plain cannot serve this request: it needs tools, which Plain does not support");
    MissingCapabilityException e =
        new MissingCapabilityException("Plain", Set.of(Capability.TOOLS), List.of())
            .withAlternatives(List.of("Groq", "OpenAI"));
    assertThat(e)
        .hasMessage(
            "Plain cannot serve this request: it needs tools, which Plain does not support;"
                + " providers that do: Groq, OpenAI");
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(
      strings = {
        "{}",
        "[]",
        "0",
        "-1.5e+3",
        "\"\\u00e9\\n\"",
        "true",
        " {\"a\":[1,{\"b\":null}]} ",
        "{\"a\":1,\"b\":\"\"}"
      })
  void jsonSyntaxAcceptsEveryKindOfValue(String text) {
    assertThat(JsonSyntax.isValue(text)).isTrue();
  }
}
