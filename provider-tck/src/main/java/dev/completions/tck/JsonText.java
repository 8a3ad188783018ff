package dev.completions.tck;

import java.util.regex.Pattern;

/**
 * Regular expressions over JSON text, so the kit can check a request body without a JSON library.
 * They look at the text, not the structure: see {@link ExpectedRequest} for what that leaves out.
 */
final class JsonText {

  private static final String SPACE = "[ \\t\\r\\n]*";

  private JsonText() {}

  /**
   * A regex matching every JSON string literal, quotes included, that decodes to {@code text}:
   * each character written as itself (where JSON allows it), as its short escape ({@code \n},
   * {@code \"}, {@code \/}), or as {@code \\uXXXX} in either case, surrogate pairs included.
   */
  static String string(String text) {
    StringBuilder regex = new StringBuilder("\"");
    text.codePoints().forEach(codePoint -> {
      regex.append("(?:");
      if (codePoint >= 0x20 && codePoint != '"' && codePoint != '\\') {
        regex.append(String.format("\\x{%x}|", codePoint));
      }
      String shortEscape = switch (codePoint) {
        case '"' -> "\\\\\"";
        case '\\' -> "\\\\\\\\";
        case '/' -> "\\\\/";
        case '\b' -> "\\\\b";
        case '\f' -> "\\\\f";
        case '\n' -> "\\\\n";
        case '\r' -> "\\\\r";
        case '\t' -> "\\\\t";
        default -> null;
      };
      if (shortEscape != null) {
        regex.append(shortEscape).append('|');
      }
      for (char unit : Character.toChars(codePoint)) {
        regex.append(unicodeEscape(unit));
      }
      regex.append(')');
    });
    return regex.append('"').toString();
  }

  /** A regex matching {@code "name": value}, with any JSON whitespace around the colon. */
  static Pattern field(String name, String valueRegex) {
    return Pattern.compile(string(name) + SPACE + ":" + SPACE + valueRegex);
  }

  /** A regex matching {@code "name": [}, the start of an array field. */
  static Pattern arrayStart(String name) {
    return field(name, "\\[");
  }

  private static String unicodeEscape(char unit) {
    StringBuilder regex = new StringBuilder("\\\\u");
    for (char digit : String.format("%04x", (int) unit).toCharArray()) {
      regex.append(Character.isDigit(digit) ? String.valueOf(digit)
          : "[" + digit + Character.toUpperCase(digit) + "]");
    }
    return regex.toString();
  }
}
