package dev.completions.openai.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class FastChunkScannerTest {

  private static byte[] chunk(byte[] contentBytes) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes("{\"choices\":[{\"delta\":{\"content\":\"".getBytes(StandardCharsets.US_ASCII));
    out.writeBytes(contentBytes);
    out.writeBytes("\"}}]}".getBytes(StandardCharsets.US_ASCII));
    return out.toByteArray();
  }

  private static DecodedChunk scan(byte[] json) {
    DecodedChunk out = new DecodedChunk();
    out.reset();
    return new FastChunkScanner().scan(json, 0, json.length, true, out) ? out : null;
  }

  @Test
  void decodesValidUtf8OfEveryLength() {
    String text = "aé€😀ж";
    DecodedChunk chunk = scan(chunk(text.getBytes(StandardCharsets.UTF_8)));

    assertThat(chunk).isNotNull();
    assertThat(chunk.content).isEqualTo(text);
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(
      strings = {"C080", "E08080", "EDA080", "F4908080", "F5808080", "C3", "E282", "80", "FF"})
  void declinesMalformedUtf8SoJacksonDecides(String hex) {
    byte[] bytes = java.util.HexFormat.of().parseHex(hex);

    assertThat(scan(chunk(bytes))).isNull();
  }

  @Test
  void leavesUsageDetailsToTheCompleteDecoder() {
    assertThat(
            scan(
                ("{\"choices\":[],\"usage\":{\"prompt_tokens\":5,\"completion_tokens_details\":"
                        + "{\"reasoning_tokens\":3}}}")
                    .getBytes(StandardCharsets.US_ASCII)))
        .isNull();
  }

  @Test
  void readsTheUsageTokenCountsAndTakesNullUsageForNone() {
    DecodedChunk last =
        scan(
            ("{\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}],"
                    + "\"usage\":{\"prompt_tokens\":5,\"queue_time\":{\"ms\":0},"
                    + "\"completion_tokens\":-0,\"total_tokens\":123456789012345678}}")
                .getBytes(StandardCharsets.US_ASCII));
    assertThat(last).isNotNull();
    assertThat(last.hasUsage).isTrue();
    assertThat(last.promptTokens).isEqualTo(5);
    assertThat(last.completionTokens).isZero();
    assertThat(last.totalTokens).isEqualTo(123456789012345678L);
    assertThat(last.finishReason).isEqualTo("stop");

    DecodedChunk plain =
        scan(
            "{\"usage\":null,\"choices\":[{\"delta\":{\"content\":\"a\"}}]}"
                .getBytes(StandardCharsets.US_ASCII));
    assertThat(plain).isNotNull();
    assertThat(plain.hasUsage).isFalse();
    assertThat(plain.content).isEqualTo("a");
  }

  @Test
  void declinesChunksItDoesNotHandle() {
    assertThat(
            scan(
                "{\"choices\":[],\"x_groq\":{\"usage\":{\"total_tokens\":1}}}"
                    .getBytes(StandardCharsets.US_ASCII)))
        .isNull();
    assertThat(scan("{\"usage\":{\"total_tokens\":1.0}}".getBytes(StandardCharsets.US_ASCII)))
        .isNull();
    assertThat(
            scan(
                "{\"usage\":{\"total_tokens\":1234567890123456789}}"
                    .getBytes(StandardCharsets.US_ASCII)))
        .isNull();
    assertThat(
            scan(
                "{\"choices\":[{\"delta\":{\"tool_calls\":[]}}]}"
                    .getBytes(StandardCharsets.US_ASCII)))
        .isNull();
    assertThat(scan("{\"a\":01}".getBytes(StandardCharsets.US_ASCII))).isNull();
    assertThat(scan("{\"a\":1} {}".getBytes(StandardCharsets.US_ASCII))).isNull();
  }

  private static byte[] openAiChunk(String contentJson) {
    return ("{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"m\","
            + "\"choices\":[{\"index\":0,\"delta\":{\"content\":"
            + contentJson
            + "},\"finish_reason\":null}]}")
        .getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void decodesEachChunkOfAStreamWhoseChunksShareTheirShape() {
    FastChunkScanner scanner = new FastChunkScanner();
    String[] contents = {
      "\"Hello\"",
      "\" w\u00f6rld\"",
      "\" \\\"quoted\\\"\"",
      "\"\\n\"",
      "\"\"",
      "\" \uD83D\uDC4B\\t\\u00e9\""
    };
    String[] expected = {"Hello", " wörld", " \"quoted\"", "\n", "", " 👋\té"};

    for (int i = 0; i < contents.length; i++) {
      DecodedChunk out = new DecodedChunk();
      out.reset();
      assertThat(
              scanner.scan(
                  openAiChunk(contents[i]), 0, openAiChunk(contents[i]).length, i == 0, out))
          .isTrue();
      assertThat(out.content).isEqualTo(expected[i]);
      assertThat(out.model).isEqualTo(i == 0 ? "m" : null);
      assertThat(out.finishReason).isNull();
    }
  }

  @Test
  void aContentThatChangesTheChunksStructureIsScannedInFull() {
    FastChunkScanner scanner = new FastChunkScanner();
    DecodedChunk out = new DecodedChunk();
    out.reset();
    byte[] first = chunk("Hi".getBytes(StandardCharsets.UTF_8));
    assertThat(scanner.scan(first, 0, first.length, false, out)).isTrue();

    byte[] sneaky = chunk("a\",\"refusal\":\"no".getBytes(StandardCharsets.UTF_8));
    out.reset();
    assertThat(scanner.scan(sneaky, 0, sneaky.length, false, out)).isTrue();
    assertThat(out.content).isEqualTo("a");
    assertThat(out.refusal).isEqualTo("no");

    byte[] escapedQuote = chunk("ends in a backslash\\".getBytes(StandardCharsets.UTF_8));
    out.reset();
    assertThat(scanner.scan(escapedQuote, 0, escapedQuote.length, false, out)).isFalse();
  }

  @Test
  void aShapeThatHeldTheModelIsNotReusedWhileTheModelIsStillWanted() {
    FastChunkScanner scanner = new FastChunkScanner();
    byte[] chunk = openAiChunk("\"a\"");
    DecodedChunk out = new DecodedChunk();
    out.reset();
    assertThat(scanner.scan(chunk, 0, chunk.length, true, out)).isTrue();

    out.reset();
    assertThat(scanner.scan(chunk, 0, chunk.length, true, out)).isTrue();
    assertThat(out.model).isEqualTo("m");
    assertThat(out.content).isEqualTo("a");
  }
}
