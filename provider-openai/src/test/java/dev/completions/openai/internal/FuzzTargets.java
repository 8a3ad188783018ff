package dev.completions.openai.internal;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * The fuzz targets, shared by the short CI runs ({@link SseFuzzTest}) and the long ones ({@link
 * LongFuzzTest}). The only exception they may let escape is the reader's declared
 * MalformedStreamException; anything else (a runtime exception, an error) is a finding.
 */
final class FuzzTargets {
  private FuzzTargets() {}

  /**
   * Reads the input as server-sent events, in reads of fuzzer-chosen sizes, decoding each event.
   */
  static void sseReader(byte[] input) {
    int step = input.length == 0 ? 1 : 1 + (input[0] & 0x1f);
    InputStream in =
        new ByteArrayInputStream(input) {
          @Override
          public synchronized int read(byte[] b, int off, int len) {
            return super.read(b, off, Math.min(len, step));
          }
        };
    SseReader reader = new SseReader(in, 4096, 64);
    ChunkDecoder decoder = new ChunkDecoder();
    DecodedChunk chunk = new DecodedChunk();
    try {
      SseReader.Item item;
      while ((item = reader.next()) != SseReader.Item.END) {
        if (item == SseReader.Item.EVENT
            && reader.dataLength() > 0
            && !reader.dataEquals("[DONE]")) {
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
      throw new AssertionError(
          "only MalformedStreamException may come from an in-memory stream", e);
    }
  }

  /** Chunks as servers send them, each around a content string ("%s" stands for its bytes). */
  private static final String[] SHAPES = {
    "{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"m\","
        + "\"system_fingerprint\":\"fp\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"%s\"},"
        + "\"logprobs\":null,\"finish_reason\":null}]}",
    "{\"choices\":[{\"delta\":{\"content\":\"%s\"}}]}",
    "{\"choices\":[{\"delta\":{\"content\":\"%s\",\"role\":\"assistant\"},\"finish_reason\":null}],\"model\":\"m\"}",
    "{ \"choices\" : [ { \"delta\" : { \"reasoning\" : null , \"content\" : \"%s\" } } ] , \"model\" : null }",
  };

  /**
   * Differential: whatever the fast path accepts, Jackson must accept and decode to the same
   * fields, with the model wanted and not; and a decoder fed a stream of chunks (so that it reuses
   * the stream's shape) must decode each one as Jackson does.
   */
  static void fastPathAgreesWithJackson(byte[] input) {
    singleChunkAgrees(input);
    if (input.length > 0) {
      byte[] middle = java.util.Arrays.copyOfRange(input, 1, input.length);
      String shape = SHAPES[(input[0] & 0xff) % SHAPES.length];
      streamAgrees(
          inShape(shape, "Hi".getBytes(StandardCharsets.UTF_8)),
          inShape(shape, middle),
          inShape(shape, middle),
          middle,
          inShape(shape, "ok".getBytes(StandardCharsets.UTF_8)));
    }
  }

  private static byte[] inShape(String shape, byte[] content) {
    int at = shape.indexOf("%s");
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    out.writeBytes(shape.substring(0, at).getBytes(StandardCharsets.UTF_8));
    out.writeBytes(content);
    out.writeBytes(shape.substring(at + 2).getBytes(StandardCharsets.UTF_8));
    return out.toByteArray();
  }

  private static void streamAgrees(byte[]... chunks) {
    ChunkDecoder decoder =
        new ChunkDecoder(true); // the fast path under test, whatever the property says
    ChunkDecoder jackson = new ChunkDecoder();
    for (byte[] chunk : chunks) {
      String expected = decoded(chunk, jackson, true);
      String actual = decoded(chunk, decoder, false);
      if (!expected.equals(actual)) {
        throw new AssertionError(
            "in a stream, the decoder gave " + actual + " but Jackson " + expected);
      }
    }
  }

  private static String decoded(byte[] chunk, ChunkDecoder decoder, boolean jacksonOnly) {
    DecodedChunk out = new DecodedChunk();
    try {
      if (jacksonOnly) {
        decoder.decodeWithJackson(chunk, 0, chunk.length, out);
      } else {
        decoder.decode(chunk, 0, chunk.length, out);
      }
      return describe(out);
    } catch (MalformedStreamException e) {
      return "malformed";
    }
  }

  private static void singleChunkAgrees(byte[] input) {
    for (boolean wantModel : new boolean[] {true, false}) {
      DecodedChunk fast = new DecodedChunk();
      fast.reset();
      if (!new FastChunkScanner().scan(input, 0, input.length, wantModel, fast)) {
        continue;
      }
      ChunkDecoder jackson = new ChunkDecoder();
      if (!wantModel) {
        DecodedChunk warmup = new DecodedChunk();
        try {
          jackson.decodeWithJackson(
              "{\"model\":\"m\"}".getBytes(StandardCharsets.UTF_8), 0, 13, warmup);
        } catch (MalformedStreamException impossible) {
          throw new AssertionError(impossible);
        }
      }
      DecodedChunk reference = new DecodedChunk();
      try {
        jackson.decodeWithJackson(input, 0, input.length, reference);
      } catch (MalformedStreamException e) {
        throw new AssertionError(
            "the fast path accepted what Jackson refuses: " + e.getMessage(), e);
      }
      String expected = describe(reference);
      String actual = describe(fast);
      if (!expected.equals(actual)) {
        throw new AssertionError("fast path " + actual + " but Jackson " + expected);
      }
    }
  }

  private static String describe(DecodedChunk c) {
    return "content="
        + c.content
        + " reasoning="
        + c.reasoning
        + " refusal="
        + c.refusal
        + " finish="
        + c.finishReason
        + " model="
        + c.model
        + " usage="
        + c.hasUsage
        + " error="
        + c.hasError
        + " tools="
        + c.toolCallCount;
  }

  /** Decodes the input as one chunk, then again with the same decoder, as a stream does. */
  static void chunkDecoder(byte[] input) {
    ChunkDecoder decoder = new ChunkDecoder();
    DecodedChunk chunk = new DecodedChunk();
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
