package dev.completions.tck;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class JsonTextTest {

  private static boolean matchesString(String json, String text) {
    return Pattern.compile(JsonText.string(text)).matcher(json).matches();
  }

  @Test
  void aPlainStringMatchesItself() {
    assertThat(matchesString("\"llama-3.3-70b-versatile\"", "llama-3.3-70b-versatile")).isTrue();
  }

  @Test
  void anotherStringDoesNotMatch() {
    assertThat(matchesString("\"llama-3.1-8b-instant\"", "llama-3.3-70b-versatile")).isFalse();
  }

  @Test
  void regexCharactersInTheTextAreLiteral() {
    assertThat(matchesString("\"a.b\"", "a*b")).isFalse();
    assertThat(matchesString("\"a*b\"", "a*b")).isTrue();
  }

  @Test
  void shortEscapesMatch() {
    assertThat(
            matchesString(
                "\"say \\\"hi\\\"\\n\\tback\\\\slash \\/ok\"", "say \"hi\"\n\tback\\slash /ok"))
        .isTrue();
  }

  @Test
  void aQuoteMustBeEscaped() {
    assertThat(matchesString("\"say \"hi\"\"", "say \"hi\"")).isFalse();
  }

  @Test
  void aControlCharacterMustBeEscaped() {
    assertThat(matchesString("\"a\nb\"", "a\nb")).isFalse();
  }

  @Test
  void unicodeEscapesMatchInEitherCase() {
    assertThat(matchesString("\"w\\u00f6rld \\u00F6\"", "wörld ö")).isTrue();
  }

  @Test
  void aSurrogatePairMatchesAsItselfOrAsTwoEscapes() {
    assertThat(matchesString("\"\uD83D\uDE00\"", "\uD83D\uDE00")).isTrue();
    assertThat(matchesString("\"\\ud83d\\ude00\"", "\uD83D\uDE00")).isTrue();
  }

  @Test
  void aFieldMatchesWithWhitespaceAroundTheColon() {
    Pattern model = JsonText.field("model", JsonText.string("m1"));
    assertThat(model.matcher("{\"model\":\"m1\"}").find()).isTrue();
    assertThat(model.matcher("{ \"model\" :\n \"m1\" }").find()).isTrue();
  }

  @Test
  void aFieldDoesNotMatchAnotherName() {
    assertThat(JsonText.field("model", JsonText.string("m1")).matcher("{\"models\":\"m1\"}").find())
        .isFalse();
  }

  @Test
  void memberNamesAreTheKeysAtEveryDepthOnceInOrder() {
    assertThat(
            JsonText.memberNames(
                "{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"},"
                    + "\"unit\" : {\"enum\":[\"celsius\",\"fahrenheit\"]}},\"required\":[\"city\"]}"))
        .containsExactly("type", "properties", "city", "unit", "enum", "required");
  }

  @Test
  void memberNamesAreDecoded() {
    assertThat(JsonText.memberNames("{\"a\\\"b\":1,\"w\\u00f6rld\":{\"x\\/y\":null}}"))
        .containsExactly("a\"b", "wörld", "x/y");
  }

  @Test
  void stringValuesThatLookLikeKeysAreNotMemberNames() {
    assertThat(JsonText.memberNames("{\"k\":\"v: \\\"w\\\": 1\",\"list\":[\"x\",\"y\"]}"))
        .isEqualTo(List.of("k", "list"));
  }
}
