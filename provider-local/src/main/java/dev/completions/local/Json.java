package dev.completions.local;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A small strict JSON reader (RFC 8259) for schemas, so this module needs no JSON library: objects
 * become insertion-ordered {@code Map<String, Object>}, arrays {@code List<Object>}, strings {@code
 * String}, numbers {@link Num}, {@code true}/{@code false} {@code Boolean}, and {@code null} {@link
 * #NULL}. A name that appears twice in one object is refused (a schema would be ambiguous). Also
 * writes values back as JSON text.
 */
final class Json {

  /** JSON's {@code null}. */
  static final Object NULL =
      new Object() {
        @Override
        public String toString() {
          return "null";
        }
      };

  /** The most nesting accepted, so a hostile text cannot exhaust the stack. */
  static final int MAX_DEPTH = 128;

  /** A number: its text as written and its value. */
  record Num(String text, BigDecimal value) {
    boolean isIntegral() {
      return value.signum() == 0 || value.stripTrailingZeros().scale() <= 0;
    }
  }

  private final String text;
  private final boolean repeatedNames;
  private int at;

  private Json(String text, boolean repeatedNames) {
    this.text = text;
    this.repeatedNames = repeatedNames;
  }

  /**
   * Reads one JSON value that fills the whole text (surrounding white space allowed).
   *
   * @throws IllegalArgumentException saying what is wrong and where (a character offset)
   */
  static Object parse(String text) {
    return parse(text, false);
  }

  private static Object parse(String text, boolean repeatedNames) {
    Json reader = new Json(text, repeatedNames);
    reader.skipSpace();
    Object value = reader.value(0);
    reader.skipSpace();
    if (reader.at < text.length()) {
      throw reader.error("unexpected text after the value");
    }
    return value;
  }

  /**
   * Whether the text is one JSON value; a name repeated in an object is allowed (RFC 8259 only says
   * names should be unique), nesting deeper than {@link #MAX_DEPTH} is not looked into.
   */
  static boolean isJson(String text) {
    try {
      parse(text, true);
      return true;
    } catch (TooDeep e) {
      return true;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  private static final class TooDeep extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    TooDeep(String message) {
      super(message);
    }
  }

  private Object value(int depth) {
    if (depth > MAX_DEPTH) {
      throw new TooDeep("nested deeper than " + MAX_DEPTH + " levels at offset " + at);
    }
    if (at >= text.length()) {
      throw error("unexpected end of text");
    }
    char c = text.charAt(at);
    switch (c) {
      case '{':
        return object(depth);
      case '[':
        return array(depth);
      case '"':
        return string();
      case 't':
        return word("true", Boolean.TRUE);
      case 'f':
        return word("false", Boolean.FALSE);
      case 'n':
        return word("null", NULL);
      default:
        if (c == '-' || (c >= '0' && c <= '9')) {
          return number();
        }
        throw error("unexpected character '" + c + "'");
    }
  }

  private Map<String, Object> object(int depth) {
    at++; // {
    Map<String, Object> members = new LinkedHashMap<>();
    skipSpace();
    if (peek() == '}') {
      at++;
      return Collections.unmodifiableMap(members);
    }
    while (true) {
      skipSpace();
      if (peek() != '"') {
        throw error("expected a member name in double quotes");
      }
      int keyAt = at;
      String key = string();
      skipSpace();
      expect(':');
      skipSpace();
      if (!repeatedNames && members.containsKey(key)) {
        at = keyAt;
        throw error("the member name \"" + key + "\" appears twice");
      }
      members.put(key, value(depth + 1));
      skipSpace();
      if (peek() == ',') {
        at++;
      } else if (peek() == '}') {
        at++;
        return Collections.unmodifiableMap(members);
      } else {
        throw error("expected ',' or '}'");
      }
    }
  }

  private List<Object> array(int depth) {
    at++; // [
    List<Object> items = new ArrayList<>();
    skipSpace();
    if (peek() == ']') {
      at++;
      return Collections.unmodifiableList(items);
    }
    while (true) {
      skipSpace();
      items.add(value(depth + 1));
      skipSpace();
      if (peek() == ',') {
        at++;
      } else if (peek() == ']') {
        at++;
        return Collections.unmodifiableList(items);
      } else {
        throw error("expected ',' or ']'");
      }
    }
  }

  private String string() {
    at++; // "
    StringBuilder out = new StringBuilder();
    while (true) {
      if (at >= text.length()) {
        throw error("unterminated string");
      }
      char c = text.charAt(at++);
      if (c == '"') {
        return out.toString();
      }
      if (c < 0x20) {
        at--;
        throw error("control character in a string");
      }
      if (c != '\\') {
        out.append(c);
        continue;
      }
      if (at >= text.length()) {
        throw error("unterminated string");
      }
      char e = text.charAt(at++);
      switch (e) {
        case '"', '\\', '/' -> out.append(e);
        case 'b' -> out.append('\b');
        case 'f' -> out.append('\f');
        case 'n' -> out.append('\n');
        case 'r' -> out.append('\r');
        case 't' -> out.append('\t');
        case 'u' -> {
          if (at + 4 > text.length()) {
            throw error("incomplete \\u escape");
          }
          int code = 0;
          for (int i = 0; i < 4; i++) {
            int digit = Character.digit(text.charAt(at + i), 16);
            if (digit < 0) {
              throw error("invalid \\u escape");
            }
            code = code * 16 + digit;
          }
          at += 4;
          out.append((char) code);
        }
        default -> {
          at--;
          throw error("invalid escape '\\" + e + "'");
        }
      }
    }
  }

  private Num number() {
    int start = at;
    if (peek() == '-') {
      at++;
    }
    if (peek() == '0') {
      at++;
    } else if (peek() >= '1' && peek() <= '9') {
      digits();
    } else {
      throw error("invalid number");
    }
    if (peek() == '.') {
      at++;
      if (!(peek() >= '0' && peek() <= '9')) {
        throw error("invalid number: digits expected after '.'");
      }
      digits();
    }
    if (peek() == 'e' || peek() == 'E') {
      at++;
      if (peek() == '+' || peek() == '-') {
        at++;
      }
      if (!(peek() >= '0' && peek() <= '9')) {
        throw error("invalid number: digits expected in the exponent");
      }
      digits();
    }
    String written = text.substring(start, at);
    try {
      return new Num(written, new BigDecimal(written));
    } catch (NumberFormatException | ArithmeticException e) {
      at = start;
      throw error("number out of range");
    }
  }

  private void digits() {
    while (peek() >= '0' && peek() <= '9') {
      at++;
    }
  }

  private Object word(String word, Object value) {
    if (!text.startsWith(word, at)) {
      throw error("unexpected word");
    }
    at += word.length();
    return value;
  }

  private void expect(char c) {
    if (peek() != c) {
      throw error("expected '" + c + "'");
    }
    at++;
  }

  private char peek() {
    return at < text.length() ? text.charAt(at) : '\0';
  }

  private void skipSpace() {
    while (at < text.length()) {
      char c = text.charAt(at);
      if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
        return;
      }
      at++;
    }
  }

  private IllegalArgumentException error(String message) {
    return new IllegalArgumentException(message + " at offset " + at);
  }

  /** The value as compact JSON text; numbers as they were written. */
  static String write(Object value) {
    StringBuilder out = new StringBuilder();
    write(value, out);
    return out.toString();
  }

  private static void write(Object value, StringBuilder out) {
    if (value instanceof String s) {
      quote(s, out);
    } else if (value instanceof Num n) {
      out.append(n.text());
    } else if (value instanceof Boolean || value == NULL) {
      out.append(value);
    } else if (value instanceof Map<?, ?> map) {
      out.append('{');
      boolean first = true;
      for (Map.Entry<?, ?> member : map.entrySet()) {
        if (!first) {
          out.append(',');
        }
        first = false;
        quote((String) member.getKey(), out);
        out.append(':');
        write(member.getValue(), out);
      }
      out.append('}');
    } else if (value instanceof List<?> list) {
      out.append('[');
      for (int i = 0; i < list.size(); i++) {
        if (i > 0) {
          out.append(',');
        }
        write(list.get(i), out);
      }
      out.append(']');
    } else {
      throw new IllegalArgumentException("not a JSON value: " + value);
    }
  }

  /** A JSON string literal: quotes, backslashes and control characters escaped, the rest as is. */
  static String quote(String s) {
    StringBuilder out = new StringBuilder(s.length() + 2);
    quote(s, out);
    return out.toString();
  }

  private static void quote(String s, StringBuilder out) {
    out.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        case '\b' -> out.append("\\b");
        case '\f' -> out.append("\\f");
        default -> {
          if (c < 0x20 || c == 0x7f) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    out.append('"');
  }

  /** A short description of a value's JSON type, for messages. */
  static String typeOf(Object value) {
    if (value instanceof String) {
      return "a string";
    } else if (value instanceof Num) {
      return "a number";
    } else if (value instanceof Boolean) {
      return "a boolean";
    } else if (value instanceof Map) {
      return "an object";
    } else if (value instanceof List) {
      return "an array";
    }
    return "null";
  }
}
