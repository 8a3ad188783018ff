package dev.completions.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.completions.api.CompletionEvent;
import dev.completions.api.CompletionRequest;
import dev.completions.api.CompletionStream;
import dev.completions.api.ResponseFormat;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * JSON and JSON-Schema output from the tiny real model, which knows nothing of JSON: the grammar
 * alone makes every answer parse and validate. The context is 2048 tokens and the requests set no
 * {@code max_tokens} unless a test says otherwise, so a JSON answer may use what the context leaves
 * (over 2000 tokens), and its grammar is sized to that.
 */
class LocalJsonOutputTest {

  private static final int CONTEXT = 2048;

  @TempDir static Path cache;

  private static LocalProvider local;

  @BeforeAll
  static void load() {
    local =
        new LocalProvider(
            TestModel.settings(cache, CONTEXT), new PrintStream(PrintStream.nullOutputStream()));
  }

  @AfterAll
  static void close() {
    if (local != null) {
      local.close();
    }
  }

  private static CompletionRequest json(ResponseFormat format, long seed) {
    return CompletionRequest.builder()
        .user("Once upon a time, there was a girl. Her name")
        .temperature(0.8)
        .option("seed", seed)
        .responseFormat(format)
        .build();
  }

  @Test
  void twentySeedsOfASchemaWithARequiredStringABoundedIntegerAndAnEnumAllValidate() {
    ResponseFormat person = ResponseFormat.jsonSchema("person", JsonGrammarTest.PERSON, true);
    Set<String> answers = new HashSet<>();
    long longest = 0;
    long start = System.nanoTime();
    for (long seed = 1; seed <= 20; seed++) {
      CompletionStream stream = local.complete(json(person, seed));
      String answer = stream.text();

      assertThat(TinyJson.violation(JsonGrammarTest.PERSON, answer))
          .as("seed %d: %s", seed, answer)
          .isNull();
      assertThat(stream.finishReason()).as("seed %d", seed).contains("stop");
      answers.add(answer);
      longest = Math.max(longest, stream.usage().orElseThrow().completionTokens());
    }
    long millis = (System.nanoTime() - start) / 1_000_000;
    System.out.printf(
        "20 seeds of JSON-Schema output in %d ms; the longest answer took %d tokens%n",
        millis, longest);

    assertThat(answers).as("different seeds give different answers").hasSizeGreaterThan(10);
  }

  @Test
  void aGrammarAnswerStillStreamsTokenByToken() {
    ResponseFormat person = ResponseFormat.jsonSchema("person", JsonGrammarTest.PERSON, true);
    List<String> tokens = new ArrayList<>();
    CompletionStream stream = local.complete(json(person, 3));
    for (CompletionEvent event : stream.events()) {
      if (event instanceof CompletionEvent.Text text) {
        tokens.add(text.text());
      }
    }
    String streamed = String.join("", tokens);

    assertThat(tokens).hasSizeGreaterThan(10);
    assertThat(tokens.get(0)).isEqualTo("{");
    assertThat(TinyJson.violation(JsonGrammarTest.PERSON, streamed)).isNull();
    assertThat(stream.usage())
        .hasValueSatisfying(
            usage -> assertThat(usage.completionTokens()).isGreaterThanOrEqualTo(tokens.size()));
    List<String> whole = new ArrayList<>();
    local.complete(json(person, 3).toBuilder().stream(false).build()).forEach(whole::add);
    assertThat(whole).containsExactly(streamed);
  }

  @Test
  void jsonObjectOutputIsAJsonObjectThatClosesWithinTheBudget() {
    for (long seed = 1; seed <= 5; seed++) {
      // the tiny model never closes an object by itself: only the sized grammar makes it
      CompletionStream stream =
          local.complete(
              json(ResponseFormat.jsonObject(), seed).toBuilder().maxTokens(300).build());
      String answer = stream.text();

      assertThat(TinyJson.parse(answer)).as("seed %d: %s", seed, answer).isInstanceOf(Map.class);
      assertThat(stream.finishReason()).contains("stop");
      assertThat(stream.usage())
          .hasValueSatisfying(
              usage -> assertThat(usage.completionTokens()).isLessThanOrEqualTo(300));
    }
    CompletionStream whole =
        local.complete(json(ResponseFormat.jsonObject(), 6)); // the budget: what the context leaves
    assertThat(TinyJson.parse(whole.text())).isInstanceOf(Map.class);
    assertThat(whole.finishReason()).contains("stop");
  }

  @Test
  void aRicherSchemaValidatesToo() {
    String schema = JsonGrammarTest.STORY;
    ResponseFormat format = ResponseFormat.jsonSchema("story", schema, true);
    for (long seed = 1; seed <= 10; seed++) {
      CompletionStream stream = local.complete(json(format, seed));
      String answer = stream.text();

      assertThat(TinyJson.violation(schema, answer)).as("seed %d: %s", seed, answer).isNull();
      assertThat(stream.finishReason()).contains("stop");
    }
  }

  @Test
  void aSchemaBoundedWithinTheBudgetIsFollowedAsItIs() {
    String schema =
        """
        {"type": "object", "required": ["word", "n"], "properties": {
          "word": {"type": "string", "maxLength": 12}, "n": {"type": "integer", "minimum": -5, "maximum": 5}}}""";
    assertThat(JsonGrammar.schema(schema, true).text(2000))
        .isEqualTo(JsonGrammar.schema(schema, true).text());
    for (long seed = 1; seed <= 5; seed++) {
      CompletionStream stream =
          local.complete(json(ResponseFormat.jsonSchema("word", schema, true), seed));
      String answer = stream.text();

      assertThat(TinyJson.violation(schema, answer)).as("seed %d: %s", seed, answer).isNull();
      assertThat(stream.finishReason()).contains("stop");
    }
  }

  @Test
  void aSmallMaxTokensStillLeavesRoomForTheJsonToClose() {
    ResponseFormat person = ResponseFormat.jsonSchema("person", JsonGrammarTest.PERSON, true);
    for (long seed = 1; seed <= 10; seed++) {
      CompletionStream stream =
          local.complete(json(person, seed).toBuilder().maxTokens(60).build());
      String answer = stream.text();

      assertThat(TinyJson.violation(JsonGrammarTest.PERSON, answer))
          .as("seed %d: %s", seed, answer)
          .isNull();
      assertThat(stream.finishReason()).contains("stop");
      assertThat(stream.usage())
          .hasValueSatisfying(
              usage -> assertThat(usage.completionTokens()).isLessThanOrEqualTo(60));
    }
  }

  @Test
  void
      anAnswerCutByMaxTokensEndsWithLength() { // 6 tokens cannot hold the smallest person, 49 bytes
    ResponseFormat person = ResponseFormat.jsonSchema("person", JsonGrammarTest.PERSON, true);
    CompletionStream stream = local.complete(json(person, 1).toBuilder().maxTokens(6).build());
    String cut = stream.text();

    assertThat(cut).startsWith("{");
    assertThat(TinyJson.violation(JsonGrammarTest.PERSON, cut)).startsWith("not JSON");
    assertThat(stream.finishReason()).contains("length");
    assertThat(stream.usage())
        .hasValueSatisfying(usage -> assertThat(usage.completionTokens()).isEqualTo(6));
  }

  @Test
  void freeTextIsUnchangedByTheGrammarSupport() {
    CompletionRequest free =
        CompletionRequest.builder()
            .user("Once upon a time")
            .temperature(0.8)
            .option("seed", 42L)
            .maxTokens(30)
            .build();

    String text = local.complete(free).text();
    assertThat(
            local.complete(free.toBuilder().responseFormat(ResponseFormat.text()).build()).text())
        .isEqualTo(text);
    assertThat(text).doesNotStartWith("{");
  }
}
