package dev.completions.tck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.completions.api.CompletionRequest;
import dev.completions.api.Message;
import dev.completions.api.Tool;
import dev.completions.api.ToolCall;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ExpectedRequestTest {

  private static final ExpectedRequest GROQ =
      ExpectedRequest.post("/openai/v1/chat/completions").header("Authorization", "Bearer k");

  private static final CompletionRequest REQUEST =
      CompletionRequest.builder()
          .user("Hi \"you\"")
          .message(Message.assistant("Hello"))
          .user("Bye")
          .build();

  private static RecordedRequest recorded(
      String target, Map<String, List<String>> headers, String body) {
    return new RecordedRequest("POST", target, headers, body.getBytes(StandardCharsets.UTF_8));
  }

  private static final Map<String, List<String>> BEARER =
      Map.of("authorization", List.of("Bearer k"));

  private static final String BODY =
      "{\"messages\":[{\"role\":\"user\",\"content\":\"Hi \\\"you\\\"\"},"
          + "{\"role\":\"assistant\",\"content\":\"Hello\"},{\"role\":\"user\",\"content\":\"Bye\"}],"
          + "\"model\":\"m1\",\"stream\":true}";

  @Test
  void theRequestAsStatedPasses() {
    assertThatCode(
            () -> GROQ.verify(recorded("/openai/v1/chat/completions", BEARER, BODY), REQUEST, "m1"))
        .doesNotThrowAnyException();
  }

  @Test
  void anotherPathFails() {
    assertThatThrownBy(
            () -> GROQ.verify(recorded("/openai/v1/completions", BEARER, BODY), REQUEST, "m1"))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("the request's path");
  }

  @Test
  void aMissingHeaderFails() {
    assertThatThrownBy(
            () ->
                GROQ.verify(recorded("/openai/v1/chat/completions", Map.of(), BODY), REQUEST, "m1"))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("the values of the header authorization");
  }

  @Test
  void aRepeatedHeaderFails() {
    Map<String, List<String>> twice = Map.of("authorization", List.of("Bearer k", "Bearer k"));
    assertThatThrownBy(
            () -> GROQ.verify(recorded("/openai/v1/chat/completions", twice, BODY), REQUEST, "m1"))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("the values of the header authorization");
  }

  @Test
  void aKeyInTheQueryIsFoundDecoded() {
    ExpectedRequest query =
        ExpectedRequest.post("/v1/chat/completions").queryParameter("auth", "a+b==");
    assertThatCode(
            () ->
                query.verifyHeadersAndQuery(
                    recorded("/v1/chat/completions?auth=a%2Bb%3D%3D", Map.of(), BODY)))
        .doesNotThrowAnyException();
  }

  @Test
  void anotherModelFails() {
    assertThatThrownBy(() -> GROQ.verifyModel(recorded("/", BEARER, BODY), "m2"))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("names the model m2");
  }

  @Test
  void messagesOutOfOrderFail() {
    CompletionRequest reversed = CompletionRequest.builder().user("Bye").user("Hello").build();
    assertThatThrownBy(() -> GROQ.verifyMessages(recorded("/", BEARER, BODY), reversed))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("the user message \"Hello\"");
  }

  @Test
  void aStreamFlagOfFalseFailsAStreamedRequest() {
    assertThatThrownBy(() -> GROQ.verifyStream(recorded("/", BEARER, "{\"stream\":false}"), true))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("asks for a stream");
  }

  @Test
  void noStreamFlagPassesANonStreamedRequest() {
    assertThatCode(() -> GROQ.verifyStream(recorded("/", BEARER, "{\"model\":\"m1\"}"), false))
        .doesNotThrowAnyException();
  }

  @Test
  void aPathWithAQueryIsRefused() {
    assertThatThrownBy(() -> ExpectedRequest.post("/v1?x=1"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  private static final Tool WEATHER =
      Tool.of(
          "get_weather",
          "Weather \"now\"",
          "{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"}}}");

  private static final CompletionRequest WITH_TOOL =
      CompletionRequest.builder().user("Hi").tool(WEATHER).build();

  private static final String OPENAI_TOOLS =
      "{\"model\":\"m1\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}],"
          + "\"stream\":true,\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"get_weather\","
          + "\"description\":\"Weather \\\"now\\\"\",\"parameters\":{\"type\":\"object\",\"properties\":{\"city\":"
          + "{\"type\":\"string\"}}}}}]}";

  // Anthropic's shape: the description before the name, the schema under input_schema, types
  // rewritten
  private static final String ANTHROPIC_TOOLS =
      "{\"model\":\"m1\",\"tools\": [{\"description\":\"Weather \\u0022now\\u0022\","
          + "\"name\":\"get_weather\",\"input_schema\":{\"type\":\"OBJECT\",\"properties\":{\"city\":{\"type\":\"STRING\"}}}}],"
          + "\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}],\"stream\":true}";

  @Test
  void theOfferedToolsPassInEitherShape() {
    assertThatCode(
            () ->
                GROQ.verify(
                    recorded("/openai/v1/chat/completions", BEARER, OPENAI_TOOLS), WITH_TOOL, "m1"))
        .doesNotThrowAnyException();
    assertThatCode(() -> GROQ.verifyTools(recorded("/", BEARER, ANTHROPIC_TOOLS), WITH_TOOL))
        .doesNotThrowAnyException();
  }

  @Test
  void aBodyWithoutToolsFailsARequestThatOffersThem() {
    CompletionRequest request = REQUEST.toBuilder().tool(WEATHER).build();
    assertThatThrownBy(
            () -> GROQ.verify(recorded("/openai/v1/chat/completions", BEARER, BODY), request, "m1"))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("offers tools in an array or object field \"tools\"");
  }

  @Test
  void aToolWithoutItsDescriptionOrSchemaFails() {
    assertThatThrownBy(
            () ->
                GROQ.verifyTools(
                    recorded("/", BEARER, OPENAI_TOOLS.replace("Weather", "Climate")), WITH_TOOL))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("describes the tool get_weather");
    assertThatThrownBy(
            () ->
                GROQ.verifyTools(
                    recorded("/", BEARER, OPENAI_TOOLS.replace("city", "town")), WITH_TOOL))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("the name \"city\" of the tool get_weather's parameter");
  }

  @Test
  void theToolsMayBeInAnotherField() {
    String body = OPENAI_TOOLS.replace("\"tools\"", "\"functions\"");
    assertThatThrownBy(() -> GROQ.verifyTools(recorded("/", BEARER, body), WITH_TOOL))
        .isInstanceOf(AssertionError.class);
    assertThatCode(
            () -> GROQ.toolsField("functions").verifyTools(recorded("/", BEARER, body), WITH_TOOL))
        .doesNotThrowAnyException();
    assertThat(GROQ.toolsField("functions").toolsField()).isEqualTo("functions");
  }

  @Test
  void aToolNamedOnlyInTheMessagesFails() {
    String body = "{\"messages\":[{\"role\":\"user\",\"content\":\"get_weather\"}],\"tools\":[]}";
    assertThatThrownBy(() -> GROQ.verifyTools(recorded("/", BEARER, body), WITH_TOOL))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("offers the tool get_weather");
  }

  @Test
  void aMessageThatOnlyCallsToolsIsFoundByTheToolsName() {
    CompletionRequest turn =
        CompletionRequest.builder()
            .user("Hi")
            .tool(WEATHER)
            .message(
                Message.assistant(
                    List.of(new ToolCall(0, "call_1", "get_weather", "{\"city\":\"Paris\"}"))))
            .message(Message.tool("call_1", "Sunny"))
            .build();
    String body =
        "{\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"},{\"role\":\"assistant\",\"content\":null,"
            + "\"tool_calls\":[{\"id\":\"call_1\",\"type\":\"function\",\"function\":{\"name\":\"get_weather\","
            + "\"arguments\":\"{\\\"city\\\":\\\"Paris\\\"}\"}}]},{\"role\":\"tool\",\"tool_call_id\":\"call_1\","
            + "\"content\":\"Sunny\"}]}";
    assertThatCode(() -> GROQ.verifyMessages(recorded("/", BEARER, body), turn))
        .doesNotThrowAnyException();
    assertThatThrownBy(
            () ->
                GROQ.verifyMessages(
                    recorded("/", BEARER, body.replace("\"name\":\"get_weather\"", "\"x\":1")),
                    turn))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("the assistant message's call of the tool get_weather");
  }
}
