package dev.completions.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ParametersTest {

  enum Effort {
    LOW,
    HIGH
  }

  record Declared(
      @Param("Model id") String model,
      @Param(value = "The conversation", required = true) List<Message> messages,
      boolean stream,
      @Param(value = "Randomness", defaultValue = "0.7", min = 0, max = 1) double temperature,
      @Param(value = "Token limit", min = 1) Integer maxTokens,
      @Param(value = "Stops", defaultValue = "[]") List<String> stopSequences,
      @Param("Reasoning effort") Effort reasoningEffort,
      Map<String, List<Integer>> logitBias,
      Optional<? extends Number> extra,
      @Param(value = "Required key", required = true) String apiKey) {}

  private final Parameters parameters = Parameters.of("Demo", Declared.class);

  private CompletionRequest.Builder base() {
    return CompletionRequest.builder().user("Hi").temperature(0.5).option("api_key", "k");
  }

  @Test
  void describesEveryComponentInTheSeedsOneLineForm() {
    assertThat(parameters.describe())
        .isEqualTo(
            "Demo supports: (model: String, messages: List<Message>, stream: boolean, temperature: double = 0.7, "
                + "max_tokens: Integer, stop_sequences: List<String> = [], reasoning_effort: Effort, "
                + "logit_bias: Map<String, List<Integer>>, extra: Optional<? extends Number>, api_key: String)");
  }

  @Test
  void listsNameTypeRequiredDefaultDescriptionBoundsAndChoices() {
    assertThat(parameters.list())
        .containsExactly(
            new ParameterInfo("model", "String", false, null, "Model id", null, null, List.of()),
            new ParameterInfo(
                "messages", "List<Message>", true, null, "The conversation", null, null, List.of()),
            new ParameterInfo("stream", "boolean", false, null, "", null, null, List.of()),
            new ParameterInfo(
                "temperature", "double", false, "0.7", "Randomness", 0.0, 1.0, List.of()),
            new ParameterInfo(
                "max_tokens", "Integer", false, null, "Token limit", 1.0, null, List.of()),
            new ParameterInfo(
                "stop_sequences", "List<String>", false, "[]", "Stops", null, null, List.of()),
            new ParameterInfo(
                "reasoning_effort",
                "Effort",
                false,
                null,
                "Reasoning effort",
                null,
                null,
                List.of("low", "high")),
            new ParameterInfo(
                "logit_bias", "Map<String, List<Integer>>", false, null, "", null, null, List.of()),
            new ParameterInfo(
                "extra", "Optional<? extends Number>", false, null, "", null, null, List.of()),
            new ParameterInfo(
                "api_key", "String", true, null, "Required key", null, null, List.of()));
  }

  @Test
  void convertsOptionsGivenAsTextToTheirDeclaredTypes() {
    Map<String, Object> options =
        parameters.validate(
            base()
                .option("max_tokens", "64")
                .option("stop_sequences", "END")
                .option("reasoning_effort", "High")
                .build());

    assertThat(options)
        .containsExactly(
            Map.entry("api_key", "k"),
            Map.entry("max_tokens", 64),
            Map.entry("stop_sequences", List.of("END")),
            Map.entry("reasoning_effort", Effort.HIGH));
  }

  @Test
  void refusesAnUndeclaredOptionListingWhatIsAccepted() {
    assertThatThrownBy(() -> parameters.validate(base().option("max_tokenz", 5).build()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "Demo does not accept option 'max_tokenz'; accepted options: max_tokens (Integer >= 1), "
                + "stop_sequences (List<String>), reasoning_effort (one of low, high), "
                + "logit_bias (Map<String, List<Integer>>), extra (Optional<? extends Number>), api_key (String)");
  }

  @Test
  void refusesAStandardParameterPassedAsAnOption() {
    assertThatThrownBy(() -> parameters.validate(base().option("temperature", 1).build()))
        .hasMessage(
            "option 'temperature' is a request field, not an option: set it on the CompletionRequest");
  }

  @Test
  void refusesAValueOfTheWrongType() {
    assertThatThrownBy(() -> parameters.validate(base().option("max_tokens", "many").build()))
        .hasMessage("option 'max_tokens' of Demo must be Integer >= 1, got \"many\"");
    assertThatThrownBy(() -> parameters.validate(base().option("max_tokens", 2.5).build()))
        .hasMessage("option 'max_tokens' of Demo must be Integer >= 1, got 2.5 (Double)");
    assertThatThrownBy(
            () -> parameters.validate(base().option("reasoning_effort", "medium").build()))
        .hasMessage("option 'reasoning_effort' of Demo must be one of low, high, got \"medium\"");
    assertThatThrownBy(
            () -> parameters.validate(base().option("stop_sequences", List.of(1)).build()))
        .hasMessage("option 'stop_sequences' of Demo must be List<String>, got [1] (List)");
  }

  @Test
  void refusesAValueOutOfBounds() {
    assertThatThrownBy(() -> parameters.validate(base().option("max_tokens", 0).build()))
        .hasMessage("option 'max_tokens' of Demo must be Integer >= 1, got 0 (Integer)");
  }

  @Test
  void refusesAMissingRequiredOption() {
    assertThatThrownBy(
            () ->
                parameters.validate(
                    CompletionRequest.builder().user("Hi").temperature(0.5).build()))
        .hasMessage("option 'api_key' of Demo is required (String)");
  }

  @Test
  void checksTheTemperatureAgainstTheDeclaredBounds() {
    assertThatThrownBy(() -> parameters.validate(base().temperature(1.5).build()))
        .hasMessage("temperature of Demo must be double in [0, 1], got 1.5 (Double)");
  }

  @Test
  void refusesADeclarationThatIsNotARecord() {
    assertThatThrownBy(() -> Parameters.of("Demo", String.class))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "parameters: Demo must declare its parameters as a record class, got class java.lang.String");
  }
}
