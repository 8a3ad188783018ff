package dev.completions.openai.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SseReaderTest {

  /** Hands out at most {@code step} bytes per read, as a slow network does. */
  private static InputStream trickle(byte[] bytes, int step) {
    return new ByteArrayInputStream(bytes) {
      @Override
      public synchronized int read(byte[] b, int off, int len) {
        return super.read(b, off, Math.min(len, step));
      }
    };
  }

  /** Every item as text: "event:DATA", "error-event:DATA" or "stray:LINE". */
  private static List<String> items(String wire, int step) throws IOException {
    return items(wire, step, 16);
  }

  private static List<String> items(String wire, int step, int bufferSize) throws IOException {
    SseReader reader =
        new SseReader(trickle(wire.getBytes(StandardCharsets.UTF_8), step), 1 << 20, bufferSize);
    List<String> items = new ArrayList<>();
    SseReader.Item item;
    while ((item = reader.next()) != SseReader.Item.END) {
      items.add(
          switch (item) {
            case EVENT ->
                ("error".equals(reader.type()) ? "error-event:" : "event:")
                    + new String(reader.data(), 0, reader.dataLength(), StandardCharsets.UTF_8);
            case STRAY_LINE -> "stray:" + reader.strayLine();
            case END -> throw new AssertionError();
          });
    }
    return items;
  }

  @ParameterizedTest(name = "{0}-byte reads")
  @ValueSource(ints = {1, 2, 3, 4096})
  void skipsAByteOrderMarkAtTheStartSoTheFirstEventIsKept(int step) throws IOException {
    assertThat(items("\uFEFFdata: a\n\ndata: \uFEFFb\n\n", step))
        .containsExactly("event:a", "event:\uFEFFb");
  }

  @Test
  void aFieldLineWithoutAColonIsThatFieldWithAnEmptyValue() throws IOException {
    assertThat(items("data\ndata: x\n\ndata\n\n", 4096)).containsExactly("event:\nx", "event:");
  }

  @Test
  void multiLineDataJoinsWithLfSoPrettyPrintedJsonArrives() throws IOException {
    assertThat(items("data:  {\ndata:   \"a\": 1\ndata: }\n\n", 4096))
        .containsExactly("event: {\n  \"a\": 1\n}");
  }

  @ParameterizedTest(name = "{0}-byte reads")
  @ValueSource(ints = {1, 2, 3, 7, 4096})
  void acceptsLfCrlfAndCrLineEndingsAlsoSplitAcrossReads(int step) throws IOException {
    assertThat(items("data: a\n\ndata: b\r\n\r\ndata: c\r\rdata: d\r\n\n", step))
        .containsExactly("event:a", "event:b", "event:c", "event:d");
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"LF", "CR", "CRLF"})
  void findsALineBreakAtEveryOffsetAmongBytesThatLookLikeIt(String name) throws IOException {
    String lineBreak = name.replace("CR", "\r").replace("LF", "\n");
    // bytes one bit away from LF and CR, and with their low bits, must not pass for line breaks
    String lookalikes = "\u000b\u000c\u000e\u0009\u008a\u008d\u00ff\u0000";
    for (int length = 0; length < 40; length++) {
      StringBuilder value = new StringBuilder();
      for (int i = 0; i < length; i++) {
        value.append(lookalikes.charAt(i % lookalikes.length()));
      }
      String wire = "data:" + value + lineBreak + lineBreak + "data: x" + lineBreak + lineBreak;

      assertThat(items(wire, 4096, 4096))
          .as("a value of %d bytes", length)
          .containsExactly("event:" + value, "event:x");
    }
  }

  @Test
  void stripsOneSpaceAfterTheColonAndAcceptsNone() throws IOException {
    assertThat(items("data:a\n\ndata: b\n\ndata:  c\n\n", 4096))
        .containsExactly("event:a", "event:b", "event: c");
  }

  @Test
  void joinsMultiLineDataWithNewlines() throws IOException {
    assertThat(items("data: {\"a\":\ndata: 1}\ndata:\n\n", 4096))
        .containsExactly("event:{\"a\":\n1}\n");
  }

  @Test
  void ignoresCommentsAndBlankLinesWithoutData() throws IOException {
    assertThat(items(": keep-alive\n\n\n:\ndata: x\n\n", 4096)).containsExactly("event:x");
  }

  @Test
  void readsEventIdAndRetryFields() throws IOException {
    SseReader reader =
        new SseReader(
            new ByteArrayInputStream(
                "event: error\nid: 42\nretry: 1500\nretry: soon\ndata: x\n\ndata: y\n\n"
                    .getBytes(StandardCharsets.UTF_8)),
            1024,
            64);
    assertThat(reader.next()).isEqualTo(SseReader.Item.EVENT);
    assertThat(reader.type()).isEqualTo("error");
    assertThat(reader.lastEventId()).isEqualTo("42");
    assertThat(reader.retryMillis()).isEqualTo(1500);
    assertThat(reader.next()).isEqualTo(SseReader.Item.EVENT);
    assertThat(reader.type()).as("the event type resets after each event").isNull();
  }

  @Test
  void reportsLinesThatAreNotSseFields() throws IOException {
    assertThat(items("The model: `gpt-4` does not exist\nerror: {\"code\":500}\ndata: x\n\n", 4096))
        .containsExactly(
            "stray:The model: `gpt-4` does not exist", "stray:error: {\"code\":500}", "event:x");
  }

  @Test
  void keepsAMultiByteCharacterSplitAcrossReadsIntact() throws IOException {
    assertThat(items("data: é👋ж\n\n", 1)).containsExactly("event:é👋ж");
  }

  @Test
  @Timeout(value = 20, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
  void readsAOneMegabyteLineArrivingByteByByte() throws IOException {
    String big = "x".repeat(1 << 20);
    List<String> items = items("data: " + big + "\n\n", 1);
    assertThat(items).hasSize(1);
    assertThat(items.get(0)).hasSize("event:".length() + (1 << 20));
  }

  @Test
  void refusesAnEventLargerThanTheLimit() {
    SseReader reader =
        new SseReader(
            new ByteArrayInputStream(
                ("data: " + "x".repeat(600) + "\ndata: " + "y".repeat(600) + "\n\n")
                    .getBytes(StandardCharsets.UTF_8)),
            1024,
            4096);
    assertThatThrownBy(reader::next)
        .isInstanceOf(MalformedStreamException.class)
        .hasMessage("an event is larger than the limit of 1024 bytes");
  }

  @Test
  void refusesALineLargerThanTheLimitWithoutBufferingIt() {
    SseReader reader =
        new SseReader(
            trickle(("data: " + "x".repeat(5000)).getBytes(StandardCharsets.UTF_8), 100),
            1024,
            256);
    assertThatThrownBy(reader::next)
        .isInstanceOf(MalformedStreamException.class)
        .hasMessage("an event is larger than the limit of 1024 bytes");
  }

  @Test
  void anInputEndingInsideAnEventIsMalformed() {
    SseReader reader =
        new SseReader(
            new ByteArrayInputStream("data: {\"a\":1}\n".getBytes(StandardCharsets.UTF_8)),
            1024,
            64);
    assertThatThrownBy(reader::next)
        .isInstanceOf(MalformedStreamException.class)
        .hasMessage("the stream ended inside an event");
  }

  @Test
  void aFinalDoneWithoutItsBlankLineStillEnds() throws IOException {
    assertThat(items("data: a\n\ndata: [DONE]", 4096)).containsExactly("event:a", "event:[DONE]");
    assertThat(items("data: a\n\ndata: [DONE]\n", 4096)).containsExactly("event:a", "event:[DONE]");
  }

  @Test
  void anEmptyInputEndsAtOnce() throws IOException {
    assertThat(items("", 4096)).isEmpty();
  }
}
