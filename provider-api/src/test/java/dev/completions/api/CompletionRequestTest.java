package dev.completions.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CompletionRequestTest {

  @Test
  void defaultsToStreamingWithTheProvidersModelAndTemperature() {
    CompletionRequest request = CompletionRequest.of("Hi");

    assertThat(request.model()).isNull();
    assertThat(request.stream()).isTrue();
    assertThat(request.temperature()).isNull();
    assertThat(request.tools()).isEmpty();
    assertThat(request.requiredCapabilities()).isEmpty();
    assertThat(request.messages()).containsExactly(new Message(Role.USER, "Hi"));
    assertThat(request.options()).isEmpty();
  }

  @Test
  void refusesNoMessages() {
    assertThatThrownBy(() -> CompletionRequest.builder().build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("messages: at least one message is required");
  }

  @Test
  void refusesABlankModel() {
    assertThatThrownBy(() -> CompletionRequest.builder().model(" ").user("Hi").build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("model: must not be blank (leave it unset for the provider's default)");
  }

  @Test
  void refusesATemperatureOutsideZeroToTwo() {
    assertThatThrownBy(() -> CompletionRequest.builder().user("Hi").temperature(2.5).build())
        .hasMessage("temperature: must be between 0 and 2, got 2.5");
    assertThatThrownBy(() -> CompletionRequest.builder().user("Hi").temperature(-0.1).build())
        .hasMessage("temperature: must be between 0 and 2, got -0.1");
    assertThatThrownBy(() -> CompletionRequest.builder().user("Hi").temperature(Double.NaN).build())
        .hasMessage("temperature: must be between 0 and 2, got NaN");
  }

  @Test
  void refusesNullContentAndUnknownRoles() {
    assertThatThrownBy(() -> Message.user(null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("content: must not be null (use \"\" for an empty message)");
    assertThatThrownBy(() -> Message.of("wizard", "Hi"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("role: unknown role 'wizard'; allowed: system, user, assistant, tool");
    assertThatThrownBy(() -> new Message(null, "Hi"))
        .hasMessage("role: must not be null; allowed: system, user, assistant, tool");
  }

  @Test
  void refusesNullOptionValuesAndBlankNames() {
    assertThatThrownBy(() -> CompletionRequest.builder().user("Hi").option("seed", null).build())
        .hasMessage("options: option 'seed' has a null value");
    assertThatThrownBy(() -> CompletionRequest.builder().user("Hi").option(" ", 1).build())
        .hasMessage("options: option names must not be blank");
  }

  @Test
  void carriesTheTokenLimitAndStopSequencesAsFields() {
    CompletionRequest request =
        CompletionRequest.builder().user("Hi").maxTokens(64).stop(List.of("END", "\n\n")).build();

    assertThat(request.maxTokens()).isEqualTo(64);
    assertThat(request.stop()).containsExactly("END", "\n\n");
    assertThat(CompletionRequest.of("Hi").maxTokens()).isNull();
    assertThat(CompletionRequest.of("Hi").stop()).isEmpty();
  }

  @Test
  void refusesATokenLimitBelowOne() {
    assertThatThrownBy(() -> CompletionRequest.builder().user("Hi").maxTokens(0).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("max_tokens: must be at least 1, got 0");
  }

  @Test
  void refusesAnEmptyStopSequence() {
    assertThatThrownBy(
            () -> CompletionRequest.builder().user("Hi").stop(List.of("END", "")).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("stop: stop sequences must not be null or empty, got [END, ]");
  }

  @Test
  void refusesARequestFieldPassedAsAnOptionNamingTheBuilderMethod() {
    assertThatThrownBy(() -> CompletionRequest.builder().user("Hi").option("max_tokens", 5).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "options: 'max_tokens' is a request field, not an option: set it with the builder's"
                + " maxTokens(...)");
    assertThatThrownBy(
            () -> CompletionRequest.builder().user("Hi").option("temperature", 1).build())
        .hasMessage(
            "options: 'temperature' is a request field, not an option: set it with the builder's"
                + " temperature(...)");
  }

  @Test
  void aToolCallTakesEmptyTextForAnAbsentPartNeverNull() {
    assertThat(new ToolCall(0, "", "", "")).isEqualTo(new ToolCall(0, "", "", ""));
    assertThatThrownBy(() -> new ToolCall(0, null, "f", "{}"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "ToolCall: index must be >= 0 and id, name and arguments non-null (\"\" when absent),"
                + " got index 0");
    assertThatThrownBy(() -> new ToolCall(-1, "a", "f", "{}"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void isImmutableOnceBuilt() {
    List<Message> messages = new ArrayList<>(List.of(Message.user("Hi")));
    Map<String, Object> options = new HashMap<>(Map.of("seed", 1));
    CompletionRequest request =
        new CompletionRequest(
            null, messages, true, 0.7, null, List.of(), List.of(), null, null, options);
    messages.clear();
    options.clear();

    assertThat(request.messages()).hasSize(1);
    assertThat(request.options()).containsEntry("seed", 1);
    assertThatThrownBy(() -> request.messages().add(Message.user("x")))
        .isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> request.options().put("x", 1))
        .isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void toBuilderCopiesEveryField() {
    CompletionRequest request =
        CompletionRequest.builder().model("m").system("s").user("u").stream(false)
            .temperature(1.5)
            .option("seed", 3)
            .build();

    assertThat(request.toBuilder().build()).isEqualTo(request);
  }

  @Test
  void rolesParseIgnoringCaseAndHaveLowerCaseWireNames() {
    assertThat(Role.of(" Assistant ")).isEqualTo(Role.ASSISTANT);
    assertThat(Role.TOOL.wireName()).isEqualTo("tool");
  }

  @Test
  void providerInfoRefusesADefaultModelThatIsNotListed() {
    assertThatThrownBy(
            () ->
                new ProviderInfo(
                    "X", java.net.URI.create("http://x"), List.of("a"), "b", true, false))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("defaultModel: must be one of [a], got 'b'");
    assertThatThrownBy(
            () ->
                new ProviderInfo(
                    " ", java.net.URI.create("http://x"), List.of("a"), "a", true, false))
        .hasMessage("name: must be non-blank, without surrounding spaces or commas, got ' '");
    assertThatThrownBy(
            () ->
                new ProviderInfo(
                    "X", java.net.URI.create("relative"), List.of("a"), "a", true, false))
        .hasMessage("url: must be an absolute URI, got relative");
  }
}
