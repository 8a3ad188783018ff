package dev.completions.local;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Random;

/**
 * Small GGUF files made in memory: valid headers with no tensors, which no real llama.cpp model is.
 */
final class SyntheticGguf {

  private SyntheticGguf() {}

  /** A GGUF v3 file with no tensors and one metadata entry, general.architecture. */
  static byte[] withArchitecture(String architecture) {
    return withArchitecture(architecture, 0);
  }

  /**
   * The same header followed by random bytes (seeded, so every call gives the same file) up to
   * {@code size}.
   */
  static byte[] withArchitecture(String architecture, int size) {
    byte[] key = "general.architecture".getBytes(StandardCharsets.UTF_8);
    byte[] value = architecture.getBytes(StandardCharsets.UTF_8);
    int header = 4 + 4 + 8 + 8 + 8 + key.length + 4 + 8 + value.length;
    byte[] padding = new byte[Math.max(0, size - header)];
    new Random(1).nextBytes(padding);
    ByteBuffer buffer = ByteBuffer.allocate(header + padding.length).order(ByteOrder.LITTLE_ENDIAN);
    buffer.put("GGUF".getBytes(StandardCharsets.US_ASCII)).putInt(3).putLong(0).putLong(1);
    buffer.putLong(key.length).put(key).putInt(8).putLong(value.length).put(value);
    return buffer.put(padding).array();
  }
}
