package dev.completions.lockchat;

import java.net.URI;
import java.time.Duration;
import java.util.Locale;
import java.util.function.Function;

/**
 * The provider's resolved configuration: builder value, else system property, else environment
 * variable, else default. Immutable. Its {@link #toString()} redacts the auth token.
 */
record Settings(
    URI baseUrl,
    String authToken,
    String userAgent,
    Duration connectTimeout,
    Duration firstByteTimeout,
    Duration idleTimeout,
    int attempts,
    Duration maxRetryWait,
    int maxEventBytes,
    int maxConnections) {

  /** The public token the original module used; the service accepted it from anyone. */
  static final String PUBLIC_TOKEN = "FnMNPlwZEnGFqvEc9470Vw==";

  static final String DEFAULT_URL = "https://super.lockchat.app";

  Settings {
    if (baseUrl == null || !baseUrl.isAbsolute() || baseUrl.getHost() == null
        || !(baseUrl.getScheme().equalsIgnoreCase("http") || baseUrl.getScheme().equalsIgnoreCase("https"))) {
      throw new IllegalArgumentException(
          "lockchat.url: must be an absolute http or https URL such as https://host:8080/prefix, got " + baseUrl);
    }
    if (baseUrl.getRawQuery() != null || baseUrl.getRawFragment() != null) {
      throw new IllegalArgumentException("lockchat.url: must not have a query or fragment, got " + baseUrl);
    }
    requireHeaderSafe("lockchat.auth", authToken, false);
    requireHeaderSafe("lockchat.userAgent", userAgent, true);
    requirePositive("lockchat.connectTimeout", connectTimeout);
    requirePositive("lockchat.firstByteTimeout", firstByteTimeout);
    requirePositive("lockchat.idleTimeout", idleTimeout);
    if (maxRetryWait == null || maxRetryWait.isNegative()) {
      throw new IllegalArgumentException("lockchat.maxRetryWait: must be zero or positive, got " + maxRetryWait);
    }
    if (attempts < 1 || attempts > 100) {
      throw new IllegalArgumentException("lockchat.attempts: must be between 1 and 100, got " + attempts);
    }
    if (maxEventBytes < 1024) {
      throw new IllegalArgumentException("lockchat.maxEventBytes: must be at least 1024, got " + maxEventBytes);
    }
    if (maxConnections < 1) {
      throw new IllegalArgumentException("lockchat.maxConnections: must be at least 1, got " + maxConnections);
    }
  }

  /** The endpoint as logs and messages may show it: the token replaced by {@code ***}. */
  String redactedEndpoint() {
    return endpoint() + (authToken.isEmpty() ? "" : "?auth=***");
  }

  /** The chat-completions endpoint under the base URL, which may carry a path prefix. */
  URI endpoint() {
    String base = baseUrl.toString();
    while (base.endsWith("/")) {
      base = base.substring(0, base.length() - 1);
    }
    return URI.create(base + "/v1/chat/completions");
  }

  @Override
  public String toString() {
    return "Settings[baseUrl=" + baseUrl + ", auth=***, userAgent=" + userAgent
        + ", connectTimeout=" + connectTimeout + ", firstByteTimeout=" + firstByteTimeout
        + ", idleTimeout=" + idleTimeout + ", attempts=" + attempts + ", maxRetryWait=" + maxRetryWait
        + ", maxEventBytes=" + maxEventBytes + ", maxConnections=" + maxConnections + "]";
  }

  /** Looks a setting up as a system property ({@code lockchat.x}), then as an environment variable ({@code LOCKCHAT_X}). */
  static final class Source {
    private final Function<String, String> properties;
    private final Function<String, String> environment;

    Source(Function<String, String> properties, Function<String, String> environment) {
      this.properties = properties;
      this.environment = environment;
    }

    static Source system() {
      return new Source(System::getProperty, System::getenv);
    }

    String string(String key, String fallback) {
      String value = properties.apply("lockchat." + key);
      if (value == null || value.isBlank()) {
        value = environment.apply(environmentName(key));
      }
      return value == null || value.isBlank() ? fallback : value.strip();
    }

    Duration duration(String key, Duration fallback) {
      String value = string(key, null);
      return value == null ? fallback : parseDuration("lockchat." + key, value);
    }

    int integer(String key, int fallback) {
      String value = string(key, null);
      if (value == null) {
        return fallback;
      }
      try {
        return Integer.parseInt(value);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("lockchat." + key + ": must be a whole number, got '" + value + "'");
      }
    }

    static String environmentName(String key) {
      StringBuilder name = new StringBuilder("LOCKCHAT_");
      for (char c : key.toCharArray()) {
        if (Character.isUpperCase(c)) {
          name.append('_');
        }
        name.append(Character.toUpperCase(c));
      }
      return name.toString();
    }
  }

  /** Parses {@code 500ms}, {@code 10s}, {@code 2m}, a bare number of seconds, or ISO-8601 ({@code PT10S}). */
  static Duration parseDuration(String field, String text) {
    String value = text.strip().toLowerCase(Locale.ROOT);
    try {
      if (value.startsWith("pt") || value.startsWith("p")) {
        return Duration.parse(text.strip().toUpperCase(Locale.ROOT));
      }
      if (value.endsWith("ms")) {
        return Duration.ofMillis(Long.parseLong(value.substring(0, value.length() - 2).strip()));
      }
      if (value.endsWith("s")) {
        return Duration.ofMillis(Math.round(Double.parseDouble(value.substring(0, value.length() - 1).strip()) * 1000));
      }
      if (value.endsWith("m")) {
        return Duration.ofSeconds(Long.parseLong(value.substring(0, value.length() - 1).strip()) * 60);
      }
      return Duration.ofMillis(Math.round(Double.parseDouble(value) * 1000));
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(
          field + ": must be a duration such as 500ms, 10s, 2m or PT10S, got '" + text + "'");
    }
  }

  private static void requirePositive(String field, Duration value) {
    if (value == null || value.isZero() || value.isNegative()) {
      throw new IllegalArgumentException(field + ": must be a positive duration, got " + value);
    }
  }

  private static void requireHeaderSafe(String field, String value, boolean mustBeNonBlank) {
    if (value == null || (mustBeNonBlank && value.isBlank())) {
      throw new IllegalArgumentException(field + ": must be set" + (mustBeNonBlank ? " and not blank" : ""));
    }
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c == '\r' || c == '\n' || c == 0) {
        // the value itself is not shown: it may be a secret
        throw new IllegalArgumentException(field + ": must not contain CR, LF or NUL characters");
      }
    }
  }
}
