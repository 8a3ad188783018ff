package dev.completions.lockchat;

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

  private static Chunk scan(byte[] json) {
    Chunk out = new Chunk();
    out.reset();
    return new FastChunkScanner().scan(json, 0, json.length, true, out) ? out : null;
  }

  @Test
  void decodesValidUtf8OfEveryLength() {
    String text = "aé€😀ж";
    Chunk chunk = scan(chunk(text.getBytes(StandardCharsets.UTF_8)));

    assertThat(chunk).isNotNull();
    assertThat(chunk.content).isEqualTo(text);
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"C080", "E08080", "EDA080", "F4908080", "F5808080", "C3", "E282", "80", "FF"})
  void declinesMalformedUtf8SoJacksonDecides(String hex) {
    byte[] bytes = java.util.HexFormat.of().parseHex(hex);

    assertThat(scan(chunk(bytes))).isNull();
  }

  @Test
  void declinesChunksItDoesNotHandle() {
    assertThat(scan("{\"choices\":[],\"usage\":{\"total_tokens\":1}}".getBytes(StandardCharsets.US_ASCII))).isNull();
    assertThat(scan("{\"choices\":[{\"delta\":{\"tool_calls\":[]}}]}".getBytes(StandardCharsets.US_ASCII))).isNull();
    assertThat(scan("{\"a\":01}".getBytes(StandardCharsets.US_ASCII))).isNull();
    assertThat(scan("{\"a\":1} {}".getBytes(StandardCharsets.US_ASCII))).isNull();
  }
}
