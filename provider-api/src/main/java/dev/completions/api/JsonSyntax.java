package dev.completions.api;

/**
 * A strict check that a text is one JSON value (RFC 8259), without building anything: the API
 * carries JSON as text (tool schemas, tool-call arguments) and needs no JSON library to refuse what
 * is not JSON before any I/O. Nesting is bounded. Stateless.
 */
final class JsonSyntax {

  private static final int MAX_DEPTH = 512;

  private final String text;
  private int at;

  private JsonSyntax(String text) {
    this.text = text;
  }

  /**
   * Whether the text is exactly one JSON value, surrounded by whitespace at most.
   *
   * @param text the text, or null
   * @return true when it is
   */
  static boolean isValue(String text) {
    return text != null && new JsonSyntax(text).document();
  }

  /**
   * Whether the text is exactly one JSON object, surrounded by whitespace at most.
   *
   * @param text the text, or null
   * @return true when it is
   */
  static boolean isObject(String text) {
    return isValue(text) && text.strip().startsWith("{");
  }

  private boolean document() {
    try {
      value(0);
      space();
      return at == text.length();
    } catch (IndexOutOfBoundsException | IllegalStateException e) {
      return false;
    }
  }

  private void value(int depth) {
    if (depth > MAX_DEPTH) {
      throw new IllegalStateException("too deep");
    }
    space();
    char c = text.charAt(at);
    switch (c) {
      case '{' -> members(depth);
      case '[' -> elements(depth);
      case '"' -> string();
      case 't' -> literal("true");
      case 'f' -> literal("false");
      case 'n' -> literal("null");
      default -> number();
    }
  }

  private void members(int depth) {
    at++;
    space();
    if (text.charAt(at) == '}') {
      at++;
      return;
    }
    do {
      space();
      string();
      space();
      expect(':');
      value(depth + 1);
      space();
    } while (next() == ',');
    require(text.charAt(at - 1) == '}');
  }

  private void elements(int depth) {
    at++;
    space();
    if (text.charAt(at) == ']') {
      at++;
      return;
    }
    do {
      value(depth + 1);
      space();
    } while (next() == ',');
    require(text.charAt(at - 1) == ']');
  }

  private void string() {
    expect('"');
    while (true) {
      char c = text.charAt(at++);
      if (c == '"') {
        return;
      }
      require(c >= 0x20);
      if (c == '\\') {
        char escaped = text.charAt(at++);
        if (escaped == 'u') {
          for (int i = 0; i < 4; i++) {
            require(Character.digit(text.charAt(at++), 16) >= 0);
          }
        } else {
          require("\"\\/bfnrt".indexOf(escaped) >= 0);
        }
      }
    }
  }

  private void number() {
    int start = at;
    if (text.charAt(at) == '-') {
      at++;
    }
    if (text.charAt(at) == '0') {
      at++;
    } else {
      digits();
    }
    if (at < text.length() && text.charAt(at) == '.') {
      at++;
      digits();
    }
    if (at < text.length() && (text.charAt(at) == 'e' || text.charAt(at) == 'E')) {
      at++;
      if (text.charAt(at) == '+' || text.charAt(at) == '-') {
        at++;
      }
      digits();
    }
    require(at > start);
  }

  private void digits() {
    int start = at;
    while (at < text.length() && text.charAt(at) >= '0' && text.charAt(at) <= '9') {
      at++;
    }
    require(at > start);
  }

  private void literal(String word) {
    require(text.startsWith(word, at));
    at += word.length();
  }

  private void space() {
    while (at < text.length() && " \t\r\n".indexOf(text.charAt(at)) >= 0) {
      at++;
    }
  }

  private char next() {
    return text.charAt(at++);
  }

  private void expect(char c) {
    require(text.charAt(at++) == c);
  }

  private static void require(boolean condition) {
    if (!condition) {
      throw new IllegalStateException("not JSON");
    }
  }
}
