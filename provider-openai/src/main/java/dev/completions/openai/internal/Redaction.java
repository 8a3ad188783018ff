package dev.completions.openai.internal;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/**
 * Keeps the auth token out of messages and exception chains: as it is, URL-encoded, and in the
 * escaped forms a server's echo of it may take in a body that is shown raw: JSON escapes ({@code
 * \/}, {@code \u002d}), HTML character references ({@code &#47;}, {@code &#x2F;}, {@code &amp;})
 * and percent-escapes, one character at a time, in any mix.
 */
public final class Redaction {

  private static final Pattern AUTH_PARAMETER = Pattern.compile("(?i)(auth=)[^&\\s\"']*");
  private static final String HIDDEN = "***";

  private Redaction() {}

  /**
   * The text with the token (plain, URL-encoded or escaped) and every {@code auth=} value replaced
   * by {@code ***}.
   */
  public static String redact(String text, String token) {
    if (text == null) {
      return null;
    }
    String redacted = text;
    if (!token.isEmpty()) {
      redacted =
          redacted
              .replace(token, HIDDEN)
              .replace(URLEncoder.encode(token, StandardCharsets.UTF_8), HIDDEN);
      redacted = redactEscaped(redacted, token);
    }
    return AUTH_PARAMETER.matcher(redacted).replaceAll("$1" + HIDDEN);
  }

  /**
   * The exception itself when no message in its chain shows the token, else a redacted stand-in.
   */
  public static Throwable scrub(Throwable error, String token) {
    boolean leaks = false;
    for (Throwable t = error; t != null && !leaks; t = t.getCause() == t ? null : t.getCause()) {
      String message = t.getMessage();
      leaks = message != null && !message.equals(redact(message, token));
    }
    if (!leaks) {
      return error;
    }
    IOException standIn = new IOException(redact(error.toString(), token));
    standIn.setStackTrace(error.getStackTrace());
    return standIn;
  }

  /** Replaces every stretch of the text that reads as the token once its escapes are decoded. */
  private static String redactEscaped(String text, String token) {
    if (text.indexOf('\\') < 0 && text.indexOf('&') < 0 && text.indexOf('%') < 0) {
      return text;
    }
    StringBuilder out = null;
    int copied = 0;
    int i = 0;
    while (i < text.length()) {
      int end = matchAt(text, i, token);
      if (end < 0) {
        i++;
        continue;
      }
      if (out == null) {
        out = new StringBuilder(text.length());
      }
      out.append(text, copied, i).append(HIDDEN);
      copied = end;
      i = end;
    }
    return out == null ? text : out.append(text, copied, text.length()).toString();
  }

  /** Where the token read from {@code start} ends, or -1 when it is not there. */
  private static int matchAt(String text, int start, String token) {
    int at = start;
    for (int k = 0; k < token.length(); k++) {
      at = matchChar(text, at, token.charAt(k));
      if (at < 0) {
        return -1;
      }
    }
    return at;
  }

  /**
   * Where one character {@code c}, written as it is or escaped, read from {@code at} ends, or -1.
   */
  private static int matchChar(String text, int at, char c) {
    if (at >= text.length()) {
      return -1;
    }
    char first = text.charAt(at);
    if (first == c) {
      return at + 1;
    }
    if (first == '\\' && at + 1 < text.length()) {
      char kind = text.charAt(at + 1);
      if (kind == 'u' && at + 6 <= text.length()) {
        int value = hex(text, at + 2, at + 6);
        return value == c ? at + 6 : -1;
      }
      char escaped =
          switch (kind) {
            case '/', '"', '\\', '\'' -> kind;
            case 'b' -> '\b';
            case 'f' -> '\f';
            case 'n' -> '\n';
            case 'r' -> '\r';
            case 't' -> '\t';
            default -> 0;
          };
      return escaped != 0 && escaped == c ? at + 2 : -1;
    }
    if (first == '%' && at + 3 <= text.length() && c < 0x80) {
      return hex(text, at + 1, at + 3) == c ? at + 3 : -1;
    }
    if (first == '&') {
      int semicolon = text.indexOf(';', at);
      if (semicolon < 0 || semicolon - at > 10) {
        return -1;
      }
      String entity = text.substring(at + 1, semicolon);
      int value =
          switch (entity) {
            case "amp" -> '&';
            case "lt" -> '<';
            case "gt" -> '>';
            case "quot" -> '"';
            case "apos" -> '\'';
            default ->
                entity.startsWith("#x") || entity.startsWith("#X")
                    ? hex(entity, 2, entity.length())
                    : entity.startsWith("#") ? decimal(entity, 1, entity.length()) : -1;
          };
      return value == c ? semicolon + 1 : -1;
    }
    return -1;
  }

  private static int hex(String text, int from, int to) {
    if (from >= to) {
      return -1;
    }
    int value = 0;
    for (int i = from; i < to; i++) {
      int digit = Character.digit(text.charAt(i), 16);
      if (digit < 0 || value > 0x10FFFF) {
        return -1;
      }
      value = value * 16 + digit;
    }
    return value;
  }

  private static int decimal(String text, int from, int to) {
    if (from >= to) {
      return -1;
    }
    int value = 0;
    for (int i = from; i < to; i++) {
      char d = text.charAt(i);
      if (d < '0' || d > '9' || value > 0x10FFFF) {
        return -1;
      }
      value = value * 10 + (d - '0');
    }
    return value;
  }
}
