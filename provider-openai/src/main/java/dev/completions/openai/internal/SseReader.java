package dev.completions.openai.internal;

import dev.completions.openai.ServerSentEvent;
import java.io.IOException;
import java.io.InputStream;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A server-sent-events reader over raw bytes, following the WHATWG rules: LF, CRLF and CR line
 * endings (also split across reads), {@code data:} with or without the space, multi-line data,
 * comments, and the {@code event}, {@code id} and {@code retry} fields. Lines are scanned in place
 * and data is gathered into one reused buffer, so an event costs no allocation and a long line
 * costs linear time. Lines naming any other field (a plain-text error, llama.cpp's {@code error:
 * {...}}) are reported as stray lines instead of being silently dropped. Not thread-safe.
 */
final class SseReader implements ServerSentEvent {

  /** What {@link #next()} found. */
  enum Item {
    /** A complete event: see {@link #data()}, {@link #dataLength()}, {@link #type()}. */
    EVENT,
    /** A line that is not a known SSE field: see {@link #strayLine()}. */
    STRAY_LINE,
    /** The input ended after a complete event (or with nothing pending). */
    END
  }

  /** A line may exceed the event limit by its field name, so a maximal {@code data:} line fits. */
  private static final int FIELD_NAME_ALLOWANCE = 64;

  private static final byte[] BOM = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};
  private static final byte CR = '\r';
  private static final byte LF = '\n';

  /** Eight bytes at a time for the line-break search (SWAR: SIMD within a register). */
  private static final VarHandle LONGS =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

  private static final long ONES = 0x0101010101010101L;
  private static final long HIGHS = 0x8080808080808080L;
  private static final long LFS = LF * ONES;
  private static final long CRS = CR * ONES;

  private final InputStream in;
  private final int maxEventBytes;
  private final byte[] buffer;
  private int position;
  private int limit;
  private boolean skipLeadingLf;

  /** Bytes of a leading byte-order mark seen so far; -1 once the start of the stream is past. */
  private int bomMatched;

  private byte[] pendingLine = new byte[0]; // most events arrive whole: allocated when one does not
  private int pendingLineLength;

  private byte[] data = new byte[512];
  private int dataLength;
  private boolean hasData;
  private String eventType;
  private String strayLine;
  private boolean dispatched;
  private String lastEventId = "";
  private long retryMillis = -1;

  SseReader(InputStream in, int maxEventBytes, int bufferSize) {
    this.in = in;
    this.maxEventBytes = maxEventBytes;
    this.buffer = new byte[bufferSize];
  }

  /**
   * Reads up to the next complete event or stray line.
   *
   * @throws MalformedStreamException when an event or line exceeds the size limit, or the input
   *     ends inside an event
   * @throws IOException when reading fails
   */
  Item next() throws IOException {
    if (dispatched) {
      dispatched = false;
      eventType = null;
    }
    while (true) {
      if (position == limit && !fill()) {
        return endOfInput();
      }
      if (bomMatched >= 0 && skipByteOrderMark()) {
        continue;
      }
      if (skipLeadingLf) {
        skipLeadingLf = false;
        if (buffer[position] == LF) {
          position++;
          continue;
        }
      }
      int start = position;
      int end = indexOfLineBreak(start);
      Item item;
      if (end < 0) {
        appendPending(start, limit - start);
        position = limit;
        continue;
      }
      position = end + 1;
      if (buffer[end] == CR) {
        if (position < limit) {
          if (buffer[position] == LF) {
            position++;
          }
        } else {
          skipLeadingLf = true;
        }
      }
      if (pendingLineLength > 0) {
        appendPending(start, end - start);
        item = line(pendingLine, 0, pendingLineLength);
        pendingLineLength = 0;
      } else {
        item = line(buffer, start, end - start);
      }
      if (item != null) {
        return item;
      }
    }
  }

  /** The data of the last event; valid until the next call of {@link #next()}. */
  @Override
  public byte[] data() {
    return data;
  }

  @Override
  public int dataLength() {
    return dataLength;
  }

  @Override
  public boolean dataEquals(String s) {
    if (s.length() != dataLength) {
      return false;
    }
    for (int i = 0; i < dataLength; i++) {
      if (data[i] != s.charAt(i)) {
        return false;
      }
    }
    return true;
  }

  @Override
  public String type() {
    return eventType;
  }

  @Override
  public String dataText() {
    return new String(data, 0, dataLength, StandardCharsets.UTF_8);
  }

  /** The last stray line, decoded as UTF-8. */
  String strayLine() {
    return strayLine;
  }

  /** The last {@code id} field seen, "" when none. */
  String lastEventId() {
    return lastEventId;
  }

  /** The last valid {@code retry} field in milliseconds, -1 when none. */
  long retryMillis() {
    return retryMillis;
  }

  /**
   * Skips a UTF-8 byte-order mark at the very start of the stream (WHATWG), also when it arrives
   * split across reads; true when the buffer was used up doing so.
   */
  private boolean skipByteOrderMark() {
    while (position < limit && bomMatched < BOM.length && buffer[position] == BOM[bomMatched]) {
      position++;
      bomMatched++;
    }
    if (bomMatched == BOM.length || position < limit) {
      bomMatched = -1;
    }
    return position == limit;
  }

  private boolean fill() throws IOException {
    int n;
    do {
      n = in.read(buffer, 0, buffer.length);
    } while (n == 0);
    if (n < 0) {
      return false;
    }
    position = 0;
    limit = n;
    return true;
  }

  private int indexOfLineBreak(int from) {
    byte[] b = buffer;
    int i = from;
    for (int end = limit - Long.BYTES; i <= end; i += Long.BYTES) {
      long word = (long) LONGS.get(b, i);
      long lf = word ^ LFS;
      long cr = word ^ CRS;
      // a byte of lf or cr is zero where the word has that line break; (x - 0x01..) & ~x sets the
      // high bit of the lowest zero byte exactly (higher ones may be false positives, never lower)
      long found = ((lf - ONES) & ~lf | (cr - ONES) & ~cr) & HIGHS;
      if (found != 0) {
        return i + (Long.numberOfTrailingZeros(found) >>> 3);
      }
    }
    for (int end = limit; i < end; i++) {
      byte c = b[i];
      if (c == LF || c == CR) {
        return i;
      }
    }
    return -1;
  }

  private Item endOfInput() throws MalformedStreamException {
    if (pendingLineLength > 0) {
      // a last line without its line break: accept only "data: [DONE]", which some servers send so
      Item item = line(pendingLine, 0, pendingLineLength);
      pendingLineLength = 0;
      if (item == Item.STRAY_LINE) {
        return item;
      }
    }
    if (hasData) {
      if (dataEquals("[DONE]")) {
        hasData = false;
        return Item.EVENT;
      }
      throw new MalformedStreamException("the stream ended inside an event");
    }
    return Item.END;
  }

  /** Handles one line; returns the item to report, or null to read on. */
  private Item line(byte[] b, int off, int len) throws MalformedStreamException {
    if (len == 0) {
      if (!hasData) {
        eventType = null;
        return null;
      }
      hasData = false;
      dispatched = true;
      return Item.EVENT;
    }
    if (b[off] == ':') {
      return null;
    }
    int colon = -1;
    for (int i = off, end = off + len; i < end; i++) {
      if (b[i] == ':') {
        colon = i;
        break;
      }
    }
    int nameLength = (colon < 0 ? off + len : colon) - off;
    int valueStart = colon < 0 ? off + len : colon + 1;
    if (valueStart < off + len && b[valueStart] == ' ') {
      valueStart++;
    }
    int valueLength = off + len - valueStart;
    if (is(b, off, nameLength, "data")) {
      appendData(b, valueStart, valueLength);
    } else if (is(b, off, nameLength, "event")) {
      eventType =
          valueLength == 0
              ? null
              : is(b, valueStart, valueLength, "error")
                  ? "error"
                  : new String(b, valueStart, valueLength, StandardCharsets.UTF_8);
    } else if (is(b, off, nameLength, "id")) {
      lastEventId = new String(b, valueStart, valueLength, StandardCharsets.UTF_8);
    } else if (is(b, off, nameLength, "retry")) {
      retryMillis = digits(b, valueStart, valueLength, retryMillis);
    } else {
      strayLine = new String(b, off, len, StandardCharsets.UTF_8);
      return Item.STRAY_LINE;
    }
    return null;
  }

  private void appendData(byte[] b, int off, int len) throws MalformedStreamException {
    int needed = dataLength(len);
    if (needed > data.length) {
      data = Arrays.copyOf(data, Math.min(Math.max(needed, data.length * 2), maxEventBytes));
    }
    if (hasData) {
      data[dataLength++] = LF;
    } else {
      dataLength = 0;
      hasData = true;
    }
    System.arraycopy(b, off, data, dataLength, len);
    dataLength += len;
  }

  private int dataLength(int appended) throws MalformedStreamException {
    long needed = (hasData ? dataLength + 1L : 0L) + appended;
    if (needed > maxEventBytes) {
      throw new MalformedStreamException(
          "an event is larger than the limit of " + maxEventBytes + " bytes");
    }
    return (int) needed;
  }

  private void appendPending(int off, int len) throws MalformedStreamException {
    long needed = (long) pendingLineLength + len;
    long maxLine = maxEventBytes + (long) FIELD_NAME_ALLOWANCE;
    if (needed > maxLine) {
      throw new MalformedStreamException(
          "an event is larger than the limit of " + maxEventBytes + " bytes");
    }
    if (needed > pendingLine.length) {
      pendingLine =
          Arrays.copyOf(
              pendingLine,
              (int) Math.min(Math.max(needed, Math.max(128, pendingLine.length * 2L)), maxLine));
    }
    System.arraycopy(buffer, off, pendingLine, pendingLineLength, len);
    pendingLineLength += len;
  }

  private static boolean is(byte[] b, int off, int len, String ascii) {
    if (len != ascii.length()) {
      return false;
    }
    for (int i = 0; i < len; i++) {
      if (b[off + i] != ascii.charAt(i)) {
        return false;
      }
    }
    return true;
  }

  private static long digits(byte[] b, int off, int len, long otherwise) {
    if (len == 0 || len > 18) {
      return otherwise;
    }
    long value = 0;
    for (int i = off; i < off + len; i++) {
      if (b[i] < '0' || b[i] > '9') {
        return otherwise;
      }
      value = value * 10 + (b[i] - '0');
    }
    return value;
  }
}
