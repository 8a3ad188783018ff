package dev.completions.openai.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.completions.tck.LoopbackServer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Paths;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Hostile answers: an event far beyond the limit, and a million tiny events. */
class OpenAiHostileTest {

  @Test
  void aSixtyFourMegabyteLineIsAProtocolErrorNotAnOutOfMemoryErrorInA48MegabyteHeap()
      throws Exception {
    try (LoopbackServer server = LoopbackServer.start()) {
      server.enqueue(
          exchange -> {
            exchange.chunkedHead(200, "Content-Type: text/event-stream");
            exchange.chunk("data: {\"choices\":[{\"delta\":{\"content\":\"");
            byte[] block = new byte[1 << 16];
            Arrays.fill(block, (byte) 'x');
            for (int i = 0; i < 1024; i++) { // 64 MiB, unless the client hangs up first
              exchange.chunk(block);
            }
            exchange.endChunks();
          });
      Process child =
          new ProcessBuilder(
                  Paths.get(System.getProperty("java.home"), "bin", "java").toString(),
                  "-Xmx48m",
                  "-cp",
                  System.getProperty("java.class.path"),
                  BigEventChild.class.getName(),
                  server.url().toString())
              .redirectErrorStream(true)
              .start();
      String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(child.waitFor(120, TimeUnit.SECONDS)).isTrue();

      assertThat(child.exitValue()).as(output).isZero();
      assertThat(output)
          .contains(
              "protocol: [Acme] malformed answer: an event is larger than the limit of 8388608 bytes")
          .doesNotContain("OutOfMemoryError");
    }
  }

  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
  void aMillionTinyEventsAreReadAndDecodedInOnePass() throws IOException {
    byte[] event =
        "data: {\"choices\":[{\"delta\":{\"content\":\"x\"}}]}\n\n"
            .getBytes(StandardCharsets.US_ASCII);
    int events = 1_000_000;
    byte[] wire = new byte[event.length * events];
    for (int i = 0; i < events; i++) {
      System.arraycopy(event, 0, wire, i * event.length, event.length);
    }
    SseReader reader = new SseReader(new ByteArrayInputStream(wire), 8 << 20, 8192);
    ChunkDecoder decoder = new ChunkDecoder();
    DecodedChunk chunk = new DecodedChunk();
    long chars = 0;
    while (reader.next() == SseReader.Item.EVENT) {
      decoder.decode(reader.data(), 0, reader.dataLength(), chunk);
      chars += chunk.content.length();
    }
    assertThat(chars).isEqualTo(events);
  }
}
