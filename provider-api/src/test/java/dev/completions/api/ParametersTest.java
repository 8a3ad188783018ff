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

  record Thinking(String type, Integer budgetTokens) {}

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
      @Param(value = "Required key", required = true) String apiKey,
      Thinking thinking) {}

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
                + "logit_bias: Map<String, List<Integer>>, extra: Optional<? extends Number>, api_key: String, "
                + "thinking: Thinking)");
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
                "api_key", "String", true, null, "Required key", null, null, List.of()),
            new ParameterInfo("thinking", "Thinking", false, null, "", null, null, List.of()));
  }

  @Test
  void convertsOptionsGivenAsTextToTheirDeclaredTypes() {
    Map<String, Object> options =
        parameters.validate(
            base().option("stop_sequences", "END").option("reasoning_effort", "High").build());

    assertThat(options)
        .containsExactly(
            Map.entry("api_key", "k"),
            Map.entry("stop_sequences", List.of("END")),
            Map.entry("reasoning_effort", Effort.HIGH));
  }

  @Test
  void checksAnObjectOptionAgainstItsRecordAndKeepsItsWireForm() {
    Map<String, Object> options =
        parameters.validate(
            base().option("thinking", Map.of("type", "enabled", "budget_tokens", "2000")).build());

    assertThat(options).containsEntry("thinking", Map.of("type", "enabled", "budget_tokens", 2000));
  }

  @Test
  void refusesAnObjectOptionWithAFieldItsRecordDoesNotHave() {
    assertThatThrownBy(
            () -> parameters.validate(base().option("thinking", Map.of("budget", 5)).build()))
        .hasMessage(
            "option 'thinking' of Demo must be Thinking {type: String, budget_tokens: Integer},"
                + " got {budget=5} (Map)");
  }

  @Test
  void takesAnOptionScopedToThisProviderByItsName() {
    assertThat(parameters.validate(base().option("demo.reasoning_effort", "low").build()))
        .containsEntry("reasoning_effort", Effort.LOW);
  }

  @Test
  void refusesAnOptionScopedToAnotherProvider() {
    assertThatThrownBy(
            () -> parameters.validate(base().option("claude.reasoning_effort", "low").build()))
        .hasMessageStartingWith("Demo does not accept option 'claude.reasoning_effort'");
  }

  @Test
  void refusesAnUndeclaredOptionListingWhatIsAccepted() {
    assertThatThrownBy(() -> parameters.validate(base().option("max_tokenz", 5).build()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "Demo does not accept option 'max_tokenz'; accepted options: "
                + "stop_sequences (List<String>), reasoning_effort (one of low, high), "
                + "logit_bias (Map<String, List<Integer>>), extra (Optional<? extends Number>), api_key (String), "
                + "thinking (Thinking)");
  }

  @Test
  void refusesAStandardFieldThatTheProviderDoesNotDeclare() {
    assertThatThrownBy(() -> parameters.validate(base().stop(List.of("END")).build()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "Demo does not take stop; it takes: model, messages, stream, temperature, max_tokens, "
                + "stop_sequences, reasoning_effort, logit_bias, extra, api_key, thinking");
  }

  @Test
  void refusesAValueOfTheWrongType() {
    assertThatThrownBy(() -> parameters.validate(base().option("api_key", 5).build()))
        .hasMessage("option 'api_key' of Demo must be String, got 5 (Integer)");
    assertThatThrownBy(
            () -> parameters.validate(base().option("reasoning_effort", "medium").build()))
        .hasMessage("option 'reasoning_effort' of Demo must be one of low, high, got \"medium\"");
    assertThatThrownBy(
            () -> parameters.validate(base().option("stop_sequences", List.of(1)).build()))
        .hasMessage("option 'stop_sequences' of Demo must be List<String>, got [1] (List)");
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
  void fillsTheDeclaredDefaultsOfUnsetStandardFields() {
    CompletionRequest request = CompletionRequest.builder().user("Hi").build();

    assertThat(parameters.withDefaults(request).temperature()).isEqualTo(0.7);
    assertThat(parameters.withDefaults(request).maxTokens()).isNull();
    assertThat(Parameters.of("Capped", Capped.class).withDefaults(request).maxTokens())
        .isEqualTo(1024);
  }

  record Capped(
      String model,
      List<Message> messages,
      @Param(value = "Randomness", min = 0, max = 1) Double temperature,
      @Param(value = "Token limit", defaultValue = "1024", min = 1, max = 4096) int maxTokens,
      List<String> stop,
      @Param(value = "Budget", defaultValue = "2048") Integer thinkingBudget,
      boolean cache) {}

  @Test
  void bindsARequestToTheRecordWithTheDeclaredDefaults() {
    Capped bound =
        Parameters.of("Capped", Capped.class)
            .bind(
                CompletionRequest.builder()
                    .user("Hi")
                    .stop(List.of("END"))
                    .option("cache", "true")
                    .build(),
                Capped.class);

    assertThat(bound)
        .isEqualTo(
            new Capped(null, List.of(Message.user("Hi")), null, 1024, List.of("END"), 2048, true));
  }

  @Test
  void bindsTheFieldsTheRequestSetsOverTheDefaults() {
    Capped bound =
        Parameters.of("Capped", Capped.class)
            .bind(
                CompletionRequest.builder()
                    .model("m")
                    .user("Hi")
                    .temperature(0.25)
                    .maxTokens(64)
                    .option("thinking_budget", 4000)
                    .build(),
                Capped.class);

    assertThat(bound)
        .isEqualTo(new Capped("m", List.of(Message.user("Hi")), 0.25, 64, List.of(), 4000, false));
  }

  @Test
  void bindsAnObjectOptionToItsRecord() {
    Declared bound =
        parameters.bind(
            base().option("thinking", Map.of("type", "enabled", "budget_tokens", 2000)).build(),
            Declared.class);

    assertThat(bound.thinking()).isEqualTo(new Thinking("enabled", 2000));
    assertThat(bound.temperature()).isEqualTo(0.5);
    assertThat(bound.apiKey()).isEqualTo("k");
  }

  @Test
  void checksTheTokenLimitAgainstTheDeclaredBounds() {
    assertThatThrownBy(
            () ->
                Parameters.of("Capped", Capped.class)
                    .validate(CompletionRequest.builder().user("Hi").maxTokens(5000).build()))
        .hasMessage("max_tokens of Capped must be int in [1, 4096], got 5000 (Integer)");
  }

  @Test
  void refusesToBindToAnotherRecord() {
    assertThatThrownBy(() -> parameters.bind(base().build(), Capped.class))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("is declared by dev.completions.api.ParametersTest$Declared");
  }

  record BadDefault(@Param(value = "Token limit", defaultValue = "many") Integer maxTokens) {}

  @Test
  void refusesADeclaredDefaultThatIsNotOfItsParametersType() {
    assertThatThrownBy(() -> Parameters.of("Bad", BadDefault.class))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "parameters: dev.completions.api.ParametersTest$BadDefault declares the default"
                + " \"many\" for 'max_tokens', which is not Integer");
  }

  @Test
  void reflectsOverARecordOnceForEveryProviderThatDeclaresIt() {
    Parameters other = Parameters.of("Other", Declared.class);

    assertThat(other.list()).isSameAs(parameters.list());
    assertThat(other.describe()).startsWith("Other supports: (model: String,");
  }

  @Test
  void refusesADeclarationThatIsNotARecord() {
    assertThatThrownBy(() -> Parameters.of("Demo", String.class))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "parameters: Demo must declare its parameters as a record class, got class java.lang.String");
  }
}
