package dev.completions.tck;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Regular expressions over JSON text, so the kit can check a request body without a JSON library.
 * They look at the text, not the structure: see {@link ExpectedRequest} for what that leaves out.
 */
final class JsonText {

  private static final String SPACE = "[ \\t\\r\\n]*";

  private JsonText() {}

  /**
   * A regex matching every JSON string literal, quotes included, that decodes to {@code text}: each
   * character written as itself (where JSON allows it), as its short escape ({@code \n}, {@code
   * \"}, {@code \/}), or as {@code \\uXXXX} in either case, surrogate pairs included.
   */
  static String string(String text) {
    StringBuilder regex = new StringBuilder("\"");
    text.codePoints()
        .forEach(
            codePoint -> {
              regex.append("(?:");
              if (codePoint >= 0x20 && codePoint != '"' && codePoint != '\\') {
                regex.append(String.format("\\x{%x}|", codePoint));
              }
              String shortEscape =
                  switch (codePoint) {
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

  /**
   * The names of the members of every object in this JSON text, at any depth, decoded, each once,
   * in the order they first appear; strings that are values are left out. The text is assumed to be
   * valid JSON (it is not checked).
   */
  static List<String> memberNames(String json) {
    Set<String> names = new LinkedHashSet<>();
    int i = 0;
    while (i < json.length()) {
      if (json.charAt(i) != '"') {
        i++;
        continue;
      }
      StringBuilder decoded = new StringBuilder();
      i++;
      while (i < json.length() && json.charAt(i) != '"') {
        char c = json.charAt(i++);
        if (c != '\\' || i >= json.length()) {
          decoded.append(c);
          continue;
        }
        char escape = json.charAt(i++);
        switch (escape) {
          case 'b' -> decoded.append('\b');
          case 'f' -> decoded.append('\f');
          case 'n' -> decoded.append('\n');
          case 'r' -> decoded.append('\r');
          case 't' -> decoded.append('\t');
          case 'u' -> {
            decoded.append(
                (char) Integer.parseInt(json.substring(i, Math.min(i + 4, json.length())), 16));
            i += 4;
          }
          default -> decoded.append(escape); // " \ /
        }
      }
      i++; // the closing quote
      int next = i;
      while (next < json.length() && " \t\r\n".indexOf(json.charAt(next)) >= 0) {
        next++;
      }
      if (next < json.length() && json.charAt(next) == ':') {
        names.add(decoded.toString());
      }
    }
    return new ArrayList<>(names);
  }

  private static String unicodeEscape(char unit) {
    StringBuilder regex = new StringBuilder("\\\\u");
    for (char digit : String.format("%04x", (int) unit).toCharArray()) {
      regex.append(
          Character.isDigit(digit)
              ? String.valueOf(digit)
              : "[" + digit + Character.toUpperCase(digit) + "]");
    }
    return regex.toString();
  }
}
