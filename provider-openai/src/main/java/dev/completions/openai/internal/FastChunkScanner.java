package dev.completions.openai.internal;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The hot path for the common chunk: one strict pass over the bytes that validates the whole JSON
 * object and takes only {@code choices[0].delta|message} text fields, {@code finish_reason} and
 * {@code model} and {@code usage}, creating no object but the Strings it takes. It declines
 * (returns false) whenever the chunk holds anything it does not handle itself (vendor usage, tool
 * calls, errors, escaped field names, non-ASCII that is not valid UTF-8, unusual numbers, deep
 * nesting, invalid JSON), and {@link ChunkDecoder} then decodes the chunk again with Jackson. A
 * differential fuzz test checks that whatever it accepts, Jackson decodes to the same fields.
 *
 * <p>A stream's chunks usually differ only in their content string, so after a chunk whose only
 * taken field is its content, the bytes before and after that string are kept as the stream's
 * <em>shape</em>. A next chunk with the same bytes before and after (two vectorised compares) needs
 * only its content string scanned: replacing one string token by another valid string token changes
 * neither the JSON's validity nor any other field, so the result is the one the full pass would
 * give. Not thread-safe.
 *
 * <p>What it buys is throughput, not latency: chunks per second and bytes allocated per chunk in
 * the {@code benchmarks} module ((a), (c) and (d) in its {@code RESULTS.md}); a chunk costs
 * microseconds either way, far below a network's time to first token. It can be turned off with
 * {@code -Dcompletions.openai.fastPath=false} (read once; see {@link ChunkDecoder#FAST_PATH}), and
 * then every chunk goes through Jackson. Delete it when the benchmark run with it off no longer
 * shows a throughput gain worth its size, or when it would need a change that the differential fuzz
 * target ({@code SseFuzzTest#fastPathAgreesWithJackson}) cannot cover.
 */
final class FastChunkScanner {

  private static final int MAX_DEPTH = 32;

  /**
   * Far below Jackson's own limits (numbers of 1000 digits, names of 50,000 bytes), so both agree.
   */
  private static final int MAX_NUMBER = 100;

  private static final int MAX_NAME = 1000;

  private char[] chars = new char[256];

  /**
   * The last shape: its prefix (through the content's opening quote), then its suffix (from the
   * closing quote).
   */
  private byte[] shape = new byte[256];

  private int shapePrefix = -1;
  private int shapeSuffix;
  private boolean shapeTookModel;

  /**
   * Where the string last taken as the content starts and stops (its quotes excluded); -1 for none.
   */
  private int contentStart;

  private int contentStop;
  private int stringStart;
  private int stringStop;

  private byte[] b;
  private int pos;
  private int end;
  private int nameEnd;

  private DecodedChunk out;

  /**
   * Scans one chunk into {@code into}, which must have been reset; returns whether the chunk was
   * taken. After false, {@code into} may hold part of the chunk: decode the chunk again from a
   * reset.
   *
   * @param wantModel whether the model field is still wanted
   */
  boolean scan(byte[] bytes, int offset, int length, boolean wantModel, DecodedChunk into) {
    b = bytes;
    pos = offset;
    end = offset + length;
    out = into;
    contentStart = -1;
    try {
      if (sameShape(offset, wantModel)) {
        return true;
      }
      pos = offset;
      skipWhitespace();
      if (!root(wantModel)) {
        return false;
      }
      skipWhitespace();
      if (pos != end) {
        return false;
      }
      rememberShape(offset);
    } catch (Decline decline) {
      return false;
    } finally {
      b = null;
      out = null;
    }
    return true;
  }

  /**
   * Whether the chunk has the last shape around a valid content string; if so, takes that string.
   */
  private boolean sameShape(int offset, boolean wantModel) {
    int prefix = shapePrefix;
    int suffix = shapeSuffix;
    if (prefix < 0
        || end - offset < prefix + suffix
        || (wantModel && shapeTookModel)
        || !Arrays.equals(b, offset, offset + prefix, shape, 0, prefix)
        || !Arrays.equals(b, end - suffix, end, shape, prefix, prefix + suffix)) {
      return false;
    }
    pos = offset + prefix - 1;
    try {
      String text = string(true);
      if (stringStop != end - suffix) {
        return false; // the string closed early or ran into the suffix: not one string token
      }
      out.content = text;
      return true;
    } catch (Decline decline) {
      return false;
    }
  }

  private void rememberShape(int offset) {
    if (contentStart < 0
        || out.reasoning != null
        || out.refusal != null
        || out.finishReason != null
        || out.hasUsage) {
      return;
    }
    int prefix = contentStart - offset;
    int suffix = end - contentStop;
    if (shape.length < prefix + suffix) {
      shape = new byte[prefix + suffix];
    }
    System.arraycopy(b, offset, shape, 0, prefix);
    System.arraycopy(b, contentStop, shape, prefix, suffix);
    shapePrefix = prefix;
    shapeSuffix = suffix;
    shapeTookModel = out.model != null;
  }

  /** Thrown (preallocated, no stack trace) to abandon the fast path. */
  private static final class Decline extends RuntimeException {
    private static final long serialVersionUID = 1L;
    static final Decline INSTANCE = new Decline();

    private Decline() {
      super(null, null, false, false);
    }
  }

  private static Decline decline() {
    return Decline.INSTANCE;
  }

  private boolean root(boolean wantModel) {
    if (next() != '{') {
      return false;
    }
    boolean modelWanted = wantModel;
    if (objectIsEmpty()) {
      return true;
    }
    do {
      int name = fieldName();
      if (nameIs(name, "choices")) {
        choices();
      } else if (nameIs(name, "model")) {
        skipWhitespace();
        if (modelWanted && peek() == '"') {
          out.model = string(true);
          modelWanted = false;
        } else {
          skipValue(1);
        }
      } else if (nameIs(name, "usage")) {
        usage();
      } else if (nameIs(name, "x_groq")
          || nameIs(name, "error")
          || nameIs(name, "message")
          || nameIs(name, "type")
          || nameIs(name, "code")) {
        throw decline();
      } else {
        skipValue(1);
      }
    } while (commaOrEnd('}'));
    return true;
  }

  /**
   * The usage object: its token counts, as the Jackson path reads them (-1 for a value that is not
   * an integer).
   */
  private void usage() {
    skipWhitespace();
    if (peek() != '{') {
      skipValue(1);
      return;
    }
    pos++;
    out.hasUsage = true;
    if (objectIsEmpty()) {
      return;
    }
    do {
      int name = fieldName();
      if (nameIs(name, "prompt_tokens")) {
        out.promptTokens = count();
      } else if (nameIs(name, "completion_tokens")) {
        out.completionTokens = count();
      } else if (nameIs(name, "total_tokens")) {
        out.totalTokens = count();
      } else if (nameIs(name, "prompt_tokens_details")
          || nameIs(name, "completion_tokens_details")) {
        throw decline(); // cached and reasoning tokens: the complete decoder reads them
      } else {
        skipValue(2);
      }
    } while (commaOrEnd('}'));
  }

  /**
   * An integer of at most 18 digits; -1 for any value that is not a number; other numbers decline.
   */
  private long count() {
    skipWhitespace();
    int c = peek();
    if (c != '-' && (c < '0' || c > '9')) {
      skipValue(2);
      return -1;
    }
    int start = pos;
    number();
    boolean negative = b[start] == '-';
    int digitsStart = negative ? start + 1 : start;
    if (pos - digitsStart > 18) {
      throw decline();
    }
    long value = 0;
    for (int i = digitsStart; i < pos; i++) {
      if (!isDigit(b[i])) {
        throw decline(); // a fraction or an exponent: Jackson's float, left to it
      }
      value = value * 10 + (b[i] - '0');
    }
    return negative ? -value : value;
  }

  private void choices() {
    skipWhitespace();
    if (peek() != '[') {
      skipValue(1);
      return;
    }
    pos++;
    skipWhitespace();
    if (peek() == ']') {
      pos++;
      return;
    }
    boolean first = true;
    do {
      skipWhitespace();
      if (first && peek() == '{') {
        pos++;
        choice();
      } else {
        skipValue(2);
      }
      first = false;
    } while (commaOrEnd(']'));
  }

  private void choice() {
    if (objectIsEmpty()) {
      return;
    }
    do {
      int name = fieldName();
      if (nameIs(name, "delta") || nameIs(name, "message")) {
        skipWhitespace();
        if (peek() == '{') {
          pos++;
          delta();
        } else {
          skipValue(3);
        }
      } else if (nameIs(name, "finish_reason")) {
        out.finishReason = stringOrNull();
      } else {
        skipValue(3);
      }
    } while (commaOrEnd('}'));
  }

  private void delta() {
    if (objectIsEmpty()) {
      return;
    }
    do {
      int name = fieldName();
      if (nameIs(name, "content")) {
        out.content = stringOrNull();
        contentStart = out.content == null ? -1 : stringStart;
        contentStop = stringStop;
      } else if (nameIs(name, "reasoning_content") || nameIs(name, "reasoning")) {
        out.reasoning = stringOrNull();
      } else if (nameIs(name, "refusal")) {
        out.refusal = stringOrNull();
      } else if (nameIs(name, "tool_calls")) {
        throw decline();
      } else {
        skipValue(4);
      }
    } while (commaOrEnd('}'));
  }

  /** A string value, or null (after skipping it) for any other value, as the Jackson path does. */
  private String stringOrNull() {
    skipWhitespace();
    if (peek() == '"') {
      return string(true);
    }
    skipValue(5);
    return null;
  }

  /** After '{': true (consuming '}') when the object is empty. */
  private boolean objectIsEmpty() {
    skipWhitespace();
    if (peek() == '}') {
      pos++;
      return true;
    }
    return false;
  }

  /**
   * Reads {@code "name":} and returns the position of the name's first byte; names with escapes
   * decline.
   */
  private int fieldName() {
    skipWhitespace();
    if (next() != '"') {
      throw decline();
    }
    int start = pos;
    while (true) {
      int c = next();
      if (c == '"') {
        break;
      }
      if (c == '\\' || c < 0x20 || c >= 0x80) {
        throw decline();
      }
    }
    nameEnd = pos - 1;
    if (nameEnd - start > MAX_NAME) {
      throw decline();
    }
    skipWhitespace();
    if (next() != ':') {
      throw decline();
    }
    return start;
  }

  private boolean nameIs(int start, String ascii) {
    if (nameEnd - start != ascii.length()) {
      return false;
    }
    for (int i = 0; i < ascii.length(); i++) {
      if (b[start + i] != ascii.charAt(i)) {
        return false;
      }
    }
    return true;
  }

  /** After a member or element: true after a comma, false after the closing bracket. */
  private boolean commaOrEnd(char close) {
    skipWhitespace();
    int c = next();
    if (c == ',') {
      return true;
    }
    if (c == close) {
      return false;
    }
    throw decline();
  }

  private void skipValue(int depth) {
    if (depth > MAX_DEPTH) {
      throw decline();
    }
    skipWhitespace();
    int c = peek();
    switch (c) {
      case '"' -> string(false);
      case '{' -> {
        pos++;
        if (objectIsEmpty()) {
          return;
        }
        do {
          fieldName();
          skipValue(depth + 1);
        } while (commaOrEnd('}'));
      }
      case '[' -> {
        pos++;
        skipWhitespace();
        if (peek() == ']') {
          pos++;
          return;
        }
        do {
          skipValue(depth + 1);
        } while (commaOrEnd(']'));
      }
      case 't' -> literal("true");
      case 'f' -> literal("false");
      case 'n' -> literal("null");
      default -> number();
    }
  }

  private void literal(String word) {
    for (int i = 0; i < word.length(); i++) {
      if (next() != word.charAt(i)) {
        throw decline();
      }
    }
    if (pos < end && isIdentifierPart(b[pos])) {
      throw decline();
    }
  }

  /** JSON's number grammar, strictly: -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)? */
  private void number() {
    int start = pos;
    if (peek() == '-') {
      pos++;
    }
    int c = next();
    if (c == '0') {
      if (pos < end && isDigit(b[pos])) {
        throw decline();
      }
    } else if (c >= '1' && c <= '9') {
      while (pos < end && isDigit(b[pos])) {
        pos++;
      }
    } else {
      throw decline();
    }
    if (pos < end && b[pos] == '.') {
      pos++;
      digits();
    }
    if (pos < end && (b[pos] == 'e' || b[pos] == 'E')) {
      pos++;
      if (pos < end && (b[pos] == '+' || b[pos] == '-')) {
        pos++;
      }
      digits();
    }
    if ((pos < end && isIdentifierPart(b[pos])) || pos - start > MAX_NUMBER) {
      throw decline();
    }
  }

  private void digits() {
    if (pos >= end || !isDigit(b[pos])) {
      throw decline();
    }
    while (pos < end && isDigit(b[pos])) {
      pos++;
    }
  }

  /** Reads a string after its opening quote is next; returns it when {@code keep}, else null. */
  private String string(boolean keep) {
    pos++;
    int start = pos;
    boolean ascii = true;
    boolean escaped = false;
    while (true) {
      if (pos >= end) {
        throw decline();
      }
      int c = b[pos] & 0xff;
      if (c == '"') {
        break;
      }
      if (c < 0x20) {
        throw decline();
      }
      if (c == '\\') {
        escaped = true;
        pos++;
        if (pos >= end) {
          throw decline();
        }
        int e = b[pos];
        if (e == 'u') {
          for (int i = 0; i < 4; i++) {
            pos++;
            if (pos >= end || hex(b[pos]) < 0) {
              throw decline();
            }
          }
        } else if ("\"\\/bfnrt".indexOf(e) < 0) {
          throw decline();
        }
      } else if (c >= 0x80) {
        ascii = false;
      }
      pos++;
    }
    int stop = pos;
    pos++;
    stringStart = start;
    stringStop = stop;
    if (ascii && !escaped) {
      return keep ? new String(b, start, stop - start, StandardCharsets.ISO_8859_1) : null;
    }
    if (!keep && ascii) {
      return null;
    }
    int length = decode(start, stop); // also validates the UTF-8 of strings that are skipped
    return keep ? new String(chars, 0, length) : null;
  }

  /**
   * Decodes a string's bytes, whose escapes {@link #string} checked, into the reused char buffer
   * and returns the number of chars. UTF-8 is decoded strictly (RFC 3629: no overlong forms, no
   * surrogates, nothing above U+10FFFF); malformed input declines, so the Jackson path decides.
   */
  private int decode(int from, int to) {
    if (chars.length < to - from) {
      chars = new char[Math.max(to - from, chars.length * 2)];
    }
    int n = 0;
    int i = from;
    while (i < to) {
      int c = b[i] & 0xff;
      if (c == '\\') {
        int e = b[i + 1];
        chars[n++] =
            switch (e) {
              case 'b' -> '\b';
              case 'f' -> '\f';
              case 'n' -> '\n';
              case 'r' -> '\r';
              case 't' -> '\t';
              case 'u' ->
                  (char)
                      ((hex(b[i + 2]) << 12)
                          | (hex(b[i + 3]) << 8)
                          | (hex(b[i + 4]) << 4)
                          | hex(b[i + 5]));
              default -> (char) e;
            };
        i += e == 'u' ? 6 : 2;
      } else if (c < 0x80) {
        chars[n++] = (char) c;
        i++;
      } else if (c >= 0xC2 && c <= 0xDF) {
        chars[n++] = (char) (((c & 0x1F) << 6) | continuation(i + 1, to, 0x80, 0xBF));
        i += 2;
      } else if (c >= 0xE0 && c <= 0xEF) {
        int low = c == 0xE0 ? 0xA0 : 0x80;
        int high = c == 0xED ? 0x9F : 0xBF;
        chars[n++] =
            (char)
                (((c & 0x0F) << 12)
                    | (continuation(i + 1, to, low, high) << 6)
                    | continuation(i + 2, to, 0x80, 0xBF));
        i += 3;
      } else if (c >= 0xF0 && c <= 0xF4) {
        int low = c == 0xF0 ? 0x90 : 0x80;
        int high = c == 0xF4 ? 0x8F : 0xBF;
        int codePoint =
            ((c & 0x07) << 18)
                | (continuation(i + 1, to, low, high) << 12)
                | (continuation(i + 2, to, 0x80, 0xBF) << 6)
                | continuation(i + 3, to, 0x80, 0xBF);
        chars[n++] = Character.highSurrogate(codePoint);
        chars[n++] = Character.lowSurrogate(codePoint);
        i += 4;
      } else {
        throw decline();
      }
    }
    return n;
  }

  /** The payload bits of the continuation byte at {@code at}, which must lie in [low, high]. */
  private int continuation(int at, int to, int low, int high) {
    if (at >= to) {
      throw decline();
    }
    int c = b[at] & 0xff;
    if (c < low || c > high) {
      throw decline();
    }
    return c & 0x3F;
  }

  private void skipWhitespace() {
    while (pos < end) {
      byte c = b[pos];
      if (c != ' ' && c != '\n' && c != '\r' && c != '\t') {
        return;
      }
      pos++;
    }
  }

  private int peek() {
    if (pos >= end) {
      throw decline();
    }
    return b[pos];
  }

  private int next() {
    if (pos >= end) {
      throw decline();
    }
    return b[pos++];
  }

  private static boolean isDigit(byte c) {
    return c >= '0' && c <= '9';
  }

  private static boolean isIdentifierPart(byte c) {
    return Character.isLetterOrDigit(c) || c == '_' || c == '$' || c == '.' || c == '+' || c == '-';
  }

  private static int hex(byte c) {
    if (c >= '0' && c <= '9') {
      return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
      return c - 'a' + 10;
    }
    if (c >= 'A' && c <= 'F') {
      return c - 'A' + 10;
    }
    return -1;
  }
}
