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
 * (over 2000 tokens); the longest answer measured was 73 tokens.
 */
class LocalJsonOutputTest {

  private static final int CONTEXT = 2048;

  @TempDir
  static Path cache;

  private static LocalProvider local;

  @BeforeAll
  static void load() {
    local = new LocalProvider(TestModel.settings(cache, CONTEXT), new PrintStream(PrintStream.nullOutputStream()));
  }

  @AfterAll
  static void close() {
    if (local != null) {
      local.close();
    }
  }

  private static CompletionRequest json(ResponseFormat format, long seed) {
    return CompletionRequest.builder().user("Once upon a time, there was a girl. Her name").temperature(0.8)
        .option("seed", seed).responseFormat(format).build();
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

      assertThat(TinyJson.violation(JsonGrammarTest.PERSON, answer)).as("seed %d: %s", seed, answer).isNull();
      assertThat(stream.finishReason()).as("seed %d", seed).contains("stop");
      answers.add(answer);
      longest = Math.max(longest, stream.usage().orElseThrow().completionTokens());
    }
    long millis = (System.nanoTime() - start) / 1_000_000;
    System.out.printf("20 seeds of JSON-Schema output in %d ms; the longest answer took %d tokens%n", millis, longest);

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
    assertThat(stream.usage()).hasValueSatisfying(usage ->
        assertThat(usage.completionTokens()).isGreaterThanOrEqualTo(tokens.size()));
    List<String> whole = new ArrayList<>();
    local.complete(json(person, 3).toBuilder().stream(false).build()).forEach(whole::add);
    assertThat(whole).containsExactly(streamed);
  }

  @Test
  void jsonObjectOutputIsAJsonObject() {
    for (long seed = 1; seed <= 5; seed++) {
      CompletionStream stream = local.complete(json(ResponseFormat.jsonObject(), seed));
      String answer = stream.text();

      assertThat(TinyJson.parse(answer)).as("seed %d: %s", seed, answer).isInstanceOf(Map.class);
      assertThat(stream.finishReason()).contains("stop");
    }
  }

  @Test
  void aRicherSchemaValidatesToo() {
    String schema = """
        {"type": "object", "required": ["title", "tags", "rating", "pet"],
         "properties": {
           "title": {"type": "string", "minLength": 1, "maxLength": 40},
           "draft": {"type": "boolean"},
           "tags": {"type": "array", "items": {"enum": ["happy", "sad", "dog"]}, "minItems": 1, "maxItems": 3},
           "rating": {"type": "number"},
           "year": {"type": ["integer", "null"], "minimum": 1900, "maximum": 2100},
           "pet": {"$ref": "#/$defs/pet"}},
         "$defs": {"pet": {"type": "object", "required": ["kind"], "properties": {
           "kind": {"const": "dog"}, "age": {"type": "integer", "minimum": 0, "maximum": 30}}}}}""";
    ResponseFormat format = ResponseFormat.jsonSchema("story", schema, true);
    for (long seed = 1; seed <= 10; seed++) {
      CompletionStream stream = local.complete(json(format, seed));
      String answer = stream.text();

      assertThat(TinyJson.violation(schema, answer)).as("seed %d: %s", seed, answer).isNull();
      assertThat(stream.finishReason()).contains("stop");
    }
  }

  @Test
  void anAnswerCutByMaxTokensEndsWithLength() {
    ResponseFormat person = ResponseFormat.jsonSchema("person", JsonGrammarTest.PERSON, true);
    CompletionStream stream = local.complete(json(person, 1).toBuilder().option("max_tokens", 6).build());
    String cut = stream.text();

    assertThat(cut).startsWith("{");
    assertThat(TinyJson.violation(JsonGrammarTest.PERSON, cut)).startsWith("not JSON");
    assertThat(stream.finishReason()).contains("length");
    assertThat(stream.usage()).hasValueSatisfying(usage -> assertThat(usage.completionTokens()).isEqualTo(6));
  }

  @Test
  void freeTextIsUnchangedByTheGrammarSupport() {
    CompletionRequest free = CompletionRequest.builder().user("Once upon a time").temperature(0.8)
        .option("seed", 42L).option("max_tokens", 30).build();

    String text = local.complete(free).text();
    assertThat(local.complete(free.toBuilder().responseFormat(ResponseFormat.text()).build()).text()).isEqualTo(text);
    assertThat(text).doesNotStartWith("{");
  }
}
