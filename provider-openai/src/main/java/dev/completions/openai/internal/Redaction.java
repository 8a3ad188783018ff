package dev.completions.openai.internal;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/** Keeps the auth token out of messages and exception chains. */
public final class Redaction {

  private static final Pattern AUTH_PARAMETER = Pattern.compile("(?i)(auth=)[^&\\s\"']*");

  private Redaction() {}

  /** The text with the token (plain or URL-encoded) and every {@code auth=} value replaced by {@code ***}. */
  public static String redact(String text, String token) {
    if (text == null) {
      return null;
    }
    String redacted = text;
    if (!token.isEmpty()) {
      redacted = redacted.replace(token, "***")
          .replace(URLEncoder.encode(token, StandardCharsets.UTF_8), "***");
    }
    return AUTH_PARAMETER.matcher(redacted).replaceAll("$1***");
  }

  /** The exception itself when no message in its chain shows the token, else a redacted stand-in. */
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
}
