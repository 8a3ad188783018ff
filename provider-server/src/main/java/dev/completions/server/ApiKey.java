package dev.completions.server;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Locale;

/**
 * The server's key, checked in constant time: both sides are hashed to SHA-256 first, so neither
 * the comparison nor the key's length shows in the time taken. Never shown: {@link #toString()}
 * hides it. Immutable and thread-safe.
 */
final class ApiKey {

  /** How a request presented its key. */
  enum Verdict {
    /** The key matched, or the server needs none. */
    ACCEPTED,
    /** No key was presented: 401. */
    MISSING,
    /** A key was presented and it is not the server's: 403. */
    WRONG
  }

  private final byte[] digest;

  private ApiKey(String key) {
    this.digest = key == null ? null : sha256(key);
  }

  /** The server's key; null or blank means none is needed. */
  static ApiKey of(String key) {
    return new ApiKey(key == null || key.isBlank() ? null : key);
  }

  boolean required() {
    return digest != null;
  }

  /**
   * Checks the {@code Authorization: Bearer} header, else {@code x-api-key}.
   *
   * @param authorization the {@code Authorization} header, or null
   * @param apiKeyHeader the {@code x-api-key} header, or null
   */
  Verdict check(String authorization, String apiKeyHeader) {
    if (digest == null) {
      return Verdict.ACCEPTED;
    }
    String presented = null;
    if (authorization != null
        && authorization.length() > 7
        && authorization.substring(0, 7).toLowerCase(Locale.ROOT).equals("bearer ")) {
      presented = authorization.substring(7).strip();
    } else if (apiKeyHeader != null) {
      presented = apiKeyHeader.strip();
    }
    if (presented == null || presented.isEmpty()) {
      return Verdict.MISSING;
    }
    return MessageDigest.isEqual(digest, sha256(presented)) ? Verdict.ACCEPTED : Verdict.WRONG;
  }

  private static byte[] sha256(String text) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }

  @Override
  public String toString() {
    return digest == null ? "none" : "***";
  }
}
