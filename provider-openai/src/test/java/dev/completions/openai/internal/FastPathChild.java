package dev.completions.openai.internal;

import java.nio.charset.StandardCharsets;

/**
 * Runs in a child JVM: prints whether a new decoder uses the fast path, and the content it decodes.
 */
public final class FastPathChild {
  private FastPathChild() {}

  public static void main(String[] args) throws MalformedStreamException {
    ChunkDecoder decoder = new ChunkDecoder();
    byte[] chunk =
        "{\"choices\":[{\"delta\":{\"content\":\"ok\"}}]}".getBytes(StandardCharsets.UTF_8);
    DecodedChunk out = new DecodedChunk();
    decoder.decode(chunk, 0, chunk.length, out);
    System.out.println("fast path " + decoder.usesFastPath() + ", content " + out.content);
  }
}
