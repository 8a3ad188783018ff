package dev.completions.openai.internal;

import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;

/**
 * When to try again, as openai-java does it: exponential backoff from 0.5 s capped at 8 s with up
 * to 25% jitter, unless the server said how long to wait ({@code Retry-After-Ms}, {@code
 * Retry-After} in seconds or as an HTTP date). Immutable and thread-safe.
 */
public final class RetryPolicy {

  /** Sleeps; replaced in tests so no test really sleeps. */
  public interface Sleeper {
    /** Waits this long, or throws when interrupted. */
    void sleep(Duration duration) throws InterruptedException;
  }

  static final Duration INITIAL_BACKOFF = Duration.ofMillis(500);
  static final Duration MAX_BACKOFF = Duration.ofSeconds(8);

  private final int attempts;
  private final Duration maxRetryWait;
  private final Sleeper sleeper;
  private final DoubleSupplier random;

  /** A policy with this sleeper and jitter source (tests fix both). */
  public RetryPolicy(int attempts, Duration maxRetryWait, Sleeper sleeper, DoubleSupplier random) {
    this.attempts = attempts;
    this.maxRetryWait = maxRetryWait;
    this.sleeper = sleeper;
    this.random = random;
  }

  /** The policy with real sleeps and random jitter. */
  public static RetryPolicy standard(int attempts, Duration maxRetryWait) {
    return new RetryPolicy(
        attempts,
        maxRetryWait,
        duration -> Thread.sleep(duration.toMillis()),
        () -> ThreadLocalRandom.current().nextDouble());
  }

  /** Attempts in all, including the first. */
  public int attempts() {
    return attempts;
  }

  /** The longest server-requested wait that is honoured; longer ones fail at once. */
  public Duration maxRetryWait() {
    return maxRetryWait;
  }

  /** The wait before the next attempt after {@code failedAttempts} failures (at least 1). */
  public Duration backoff(int failedAttempts) {
    double seconds =
        Math.min(
            INITIAL_BACKOFF.toMillis() / 1000.0 * Math.pow(2, failedAttempts - 1),
            MAX_BACKOFF.toMillis() / 1000.0);
    double jitter = 1.0 - 0.25 * random.getAsDouble();
    return Duration.ofMillis(Math.round(seconds * jitter * 1000));
  }

  public void sleep(Duration duration) throws InterruptedException {
    if (!duration.isZero() && !duration.isNegative()) {
      sleeper.sleep(duration);
    }
  }

  /**
   * The wait the server asked for, or null when it gave none that parses.
   *
   * @param retryAfterMs the {@code Retry-After-Ms} header value, or null
   * @param retryAfter the {@code Retry-After} header value, or null
   */
  public static Duration requestedWait(String retryAfterMs, String retryAfter, Instant now) {
    if (retryAfterMs != null) {
      try {
        double millis = Double.parseDouble(retryAfterMs.strip());
        if (millis >= 0 && Double.isFinite(millis)) {
          return Duration.ofMillis(Math.round(millis));
        }
      } catch (NumberFormatException e) {
        // fall through to Retry-After
      }
    }
    if (retryAfter != null) {
      String value = retryAfter.strip();
      try {
        double seconds = Double.parseDouble(value);
        if (seconds >= 0 && Double.isFinite(seconds)) {
          return Duration.ofMillis(Math.round(seconds * 1000));
        }
      } catch (NumberFormatException e) {
        try {
          Instant at = ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
          Duration wait = Duration.between(now, at);
          return wait.isNegative() ? Duration.ZERO : wait;
        } catch (DateTimeParseException notADate) {
          return null;
        }
      }
    }
    return null;
  }
}
