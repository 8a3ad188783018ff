package dev.completions.tck;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.completions.api.CompletionRequest;
import dev.completions.api.Message;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ExpectedRequestTest {

  private static final ExpectedRequest GROQ =
      ExpectedRequest.post("/openai/v1/chat/completions").header("Authorization", "Bearer k");

  private static final CompletionRequest REQUEST = CompletionRequest.builder()
      .user("Hi \"you\"").message(Message.assistant("Hello")).user("Bye").build();

  private static RecordedRequest recorded(String target, Map<String, List<String>> headers, String body) {
    return new RecordedRequest("POST", target, headers, body.getBytes(StandardCharsets.UTF_8));
  }

  private static final Map<String, List<String>> BEARER = Map.of("authorization", List.of("Bearer k"));

  private static final String BODY = "{\"messages\":[{\"role\":\"user\",\"content\":\"Hi \\\"you\\\"\"},"
      + "{\"role\":\"assistant\",\"content\":\"Hello\"},{\"role\":\"user\",\"content\":\"Bye\"}],"
      + "\"model\":\"m1\",\"stream\":true}";

  @Test
  void theRequestAsStatedPasses() {
    assertThatCode(() -> GROQ.verify(recorded("/openai/v1/chat/completions", BEARER, BODY), REQUEST, "m1"))
        .doesNotThrowAnyException();
  }

  @Test
  void anotherPathFails() {
    assertThatThrownBy(() -> GROQ.verify(recorded("/openai/v1/completions", BEARER, BODY), REQUEST, "m1"))
        .isInstanceOf(AssertionError.class).hasMessageContaining("the request's path");
  }

  @Test
  void aMissingHeaderFails() {
    assertThatThrownBy(() -> GROQ.verify(recorded("/openai/v1/chat/completions", Map.of(), BODY), REQUEST, "m1"))
        .isInstanceOf(AssertionError.class).hasMessageContaining("the values of the header authorization");
  }

  @Test
  void aRepeatedHeaderFails() {
    Map<String, List<String>> twice = Map.of("authorization", List.of("Bearer k", "Bearer k"));
    assertThatThrownBy(() -> GROQ.verify(recorded("/openai/v1/chat/completions", twice, BODY), REQUEST, "m1"))
        .isInstanceOf(AssertionError.class).hasMessageContaining("the values of the header authorization");
  }

  @Test
  void aKeyInTheQueryIsFoundDecoded() {
    ExpectedRequest query = ExpectedRequest.post("/v1/chat/completions").queryParameter("auth", "a+b==");
    assertThatCode(() -> query.verifyHeadersAndQuery(recorded("/v1/chat/completions?auth=a%2Bb%3D%3D", Map.of(), BODY)))
        .doesNotThrowAnyException();
  }

  @Test
  void anotherModelFails() {
    assertThatThrownBy(() -> GROQ.verifyModel(recorded("/", BEARER, BODY), "m2"))
        .isInstanceOf(AssertionError.class).hasMessageContaining("names the model m2");
  }

  @Test
  void messagesOutOfOrderFail() {
    CompletionRequest reversed = CompletionRequest.builder().user("Bye").user("Hello").build();
    assertThatThrownBy(() -> GROQ.verifyMessages(recorded("/", BEARER, BODY), reversed))
        .isInstanceOf(AssertionError.class).hasMessageContaining("the user message \"Hello\"");
  }

  @Test
  void aStreamFlagOfFalseFailsAStreamedRequest() {
    assertThatThrownBy(() -> GROQ.verifyStream(recorded("/", BEARER, "{\"stream\":false}"), true))
        .isInstanceOf(AssertionError.class).hasMessageContaining("asks for a stream");
  }

  @Test
  void noStreamFlagPassesANonStreamedRequest() {
    assertThatCode(() -> GROQ.verifyStream(recorded("/", BEARER, "{\"model\":\"m1\"}"), false))
        .doesNotThrowAnyException();
  }

  @Test
  void aPathWithAQueryIsRefused() {
    assertThatThrownBy(() -> ExpectedRequest.post("/v1?x=1")).isInstanceOf(IllegalArgumentException.class);
  }
}
