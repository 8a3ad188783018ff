package dev.completions.lockchat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * The fuzz targets, shared by the short CI runs ({@link SseFuzzTest}) and the long ones ({@link
 * LongFuzzTest}). The only exception they may let escape is the reader's declared
 * MalformedStreamException; anything else (a runtime exception, an error) is a finding.
 */
final class FuzzTargets {
  private FuzzTargets() {}

  /** Reads the input as server-sent events, in reads of fuzzer-chosen sizes, decoding each event. */
  static void sseReader(byte[] input) {
    int step = input.length == 0 ? 1 : 1 + (input[0] & 0x1f);
    InputStream in = new ByteArrayInputStream(input) {
      @Override
      public synchronized int read(byte[] b, int off, int len) {
        return super.read(b, off, Math.min(len, step));
      }
    };
    SseReader reader = new SseReader(in, 4096, 64);
    ChunkDecoder decoder = new ChunkDecoder();
    Chunk chunk = new Chunk();
    try {
      SseReader.Item item;
      while ((item = reader.next()) != SseReader.Item.END) {
        if (item == SseReader.Item.EVENT && reader.dataLength() > 0 && !reader.dataEquals("[DONE]")) {
          try {
            decoder.decode(reader.data(), 0, reader.dataLength(), chunk);
          } catch (MalformedStreamException expected) {
            decoder = new ChunkDecoder();
          }
        } else if (item == SseReader.Item.STRAY_LINE && reader.strayLine() == null) {
          throw new AssertionError("a stray line without its text");
        }
      }
    } catch (MalformedStreamException expected) {
      // declared: oversized or cut events
    } catch (IOException e) {
      throw new AssertionError("only MalformedStreamException may come from an in-memory stream", e);
    }
  }

  /**
   * Differential: whatever the fast path accepts, Jackson must accept and decode to the same
   * fields, with the model wanted and not.
   */
  static void fastPathAgreesWithJackson(byte[] input) {
    for (boolean wantModel : new boolean[] {true, false}) {
      Chunk fast = new Chunk();
      fast.reset();
      if (!new FastChunkScanner().scan(input, 0, input.length, wantModel, fast)) {
        continue;
      }
      ChunkDecoder jackson = new ChunkDecoder();
      if (!wantModel) {
        Chunk warmup = new Chunk();
        try {
          jackson.decodeWithJackson("{\"model\":\"m\"}".getBytes(java.nio.charset.StandardCharsets.UTF_8), 0, 13, warmup);
        } catch (MalformedStreamException impossible) {
          throw new AssertionError(impossible);
        }
      }
      Chunk reference = new Chunk();
      try {
        jackson.decodeWithJackson(input, 0, input.length, reference);
      } catch (MalformedStreamException e) {
        throw new AssertionError("the fast path accepted what Jackson refuses: " + e.getMessage(), e);
      }
      String expected = describe(reference);
      String actual = describe(fast);
      if (!expected.equals(actual)) {
        throw new AssertionError("fast path " + actual + " but Jackson " + expected);
      }
    }
  }

  private static String describe(Chunk c) {
    return "content=" + c.content + " reasoning=" + c.reasoning + " refusal=" + c.refusal + " finish=" + c.finishReason
        + " model=" + c.model + " usage=" + c.hasUsage + " error=" + c.hasError + " tools=" + c.toolCallCount;
  }

  /** Decodes the input as one chunk, then again with the same decoder, as a stream does. */
  static void chunkDecoder(byte[] input) {
    ChunkDecoder decoder = new ChunkDecoder();
    Chunk chunk = new Chunk();
    for (int i = 0; i < 2; i++) {
      try {
        decoder.decode(input, 0, input.length, chunk);
        if (chunk.toolCallCount > chunk.toolCalls.size()) {
          throw new AssertionError("tool-call count beyond the parts");
        }
      } catch (MalformedStreamException expected) {
        // declared: not exactly one JSON object
      }
    }
  }
}
