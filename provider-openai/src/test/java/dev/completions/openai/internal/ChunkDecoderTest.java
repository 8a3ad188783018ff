package dev.completions.openai.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ChunkDecoderTest {

  private static void decode(ChunkDecoder decoder, String json, DecodedChunk out)
      throws MalformedStreamException {
    byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
    decoder.decodeWithJackson(bytes, 0, bytes.length, out);
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(
      strings = {
        "{\"usage\":{}} 7",
        "{\"usage\":{}} \"a",
        "{\"usage\":{}} t",
        "{\"usage\":{}}{",
        "{\"usage\":{}}]"
      })
  void refusesAnyTokenAfterTheObjectAndDecodesTheNextChunkAfresh(String json)
      throws MalformedStreamException {
    ChunkDecoder decoder = new ChunkDecoder();
    DecodedChunk out = new DecodedChunk();
    decode(decoder, "{\"choices\":[{\"delta\":{\"content\":\"before\"}}]}\n", out);

    assertThatThrownBy(() -> decode(decoder, json, out))
        .isInstanceOf(MalformedStreamException.class)
        .hasMessage("unexpected content after the JSON object");

    decode(decoder, " {\"choices\":[{\"delta\":{\"content\":\"after\"}}]} \r\n\t", out);
    assertThat(out.content).isEqualTo("after");
  }
}
