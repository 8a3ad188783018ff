package dev.completions.cli;

import dev.completions.api.CallListener;
import dev.completions.api.CallObserver;
import dev.completions.api.CallRecord;
import dev.completions.api.CallStart;
import dev.completions.api.Usage;
import java.time.Duration;
import java.util.Locale;

/**
 * The record of the command's call, for {@code --stats} and the JSON Lines {@code done} event.
 * Thread-safe: the record may arrive on the thread that closes the stream.
 */
final class CallStats implements CallListener {

  private volatile CallRecord last;

  @Override
  public CallObserver onStart(CallStart start) {
    return record -> last = record;
  }

  /** {@return the record of the latest call that ended, or null} */
  CallRecord last() {
    return last;
  }

  /**
   * The {@code --stats} line: provider, model, attempts, time to the first token, total time,
   * tokens in and out, and output tokens per second of generation (after the first token); {@code
   * ?} where a figure is unknown.
   */
  static String line(CallRecord record) {
    Usage usage = record.usage();
    return String.format(
        Locale.ROOT,
        "provider-cli: stats: provider %s, model %s, %d attempt%s, first token %s, total %s,"
            + " tokens in %s, out %s, %s tokens/s",
        record.provider(),
        record.model(),
        record.attempts(),
        record.attempts() == 1 ? "" : "s",
        record.timeToFirstToken().map(CallStats::millis).orElse("?"),
        millis(record.duration()),
        usage == null || usage.promptTokens() < 0 ? "?" : usage.promptTokens(),
        usage == null || usage.completionTokens() < 0 ? "?" : usage.completionTokens(),
        tokensPerSecond(record) == null
            ? "?"
            : String.format(Locale.ROOT, "%.1f", tokensPerSecond(record)));
  }

  /**
   * Output tokens per second from the first token to the end, or null when the output tokens or the
   * first token are unknown, or no time passed.
   */
  static Double tokensPerSecond(CallRecord record) {
    Usage usage = record.usage();
    if (usage == null || usage.completionTokens() < 0 || record.firstToken() == null) {
      return null;
    }
    long nanos = Duration.between(record.firstToken(), record.ended()).toNanos();
    return nanos <= 0 ? null : usage.completionTokens() / (nanos / 1e9);
  }

  /** Milliseconds with one decimal, as a JSON number. */
  static double milliseconds(Duration duration) {
    return Math.round(duration.toNanos() / 1e5) / 10.0;
  }

  private static String millis(Duration duration) {
    return String.format(Locale.ROOT, "%.1f ms", milliseconds(duration));
  }
}
