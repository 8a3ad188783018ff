package dev.completions.api;

/**
 * Token counts as the provider reported them. Immutable.
 *
 * @param promptTokens tokens in the request, or -1 when not reported
 * @param completionTokens tokens generated, or -1 when not reported
 * @param totalTokens both together, or -1 when not reported and not derivable
 */
public record Usage(long promptTokens, long completionTokens, long totalTokens) {

  /** Derives {@code totalTokens} when it is -1 and both parts are known. */
  public Usage {
    if (totalTokens < 0 && promptTokens >= 0 && completionTokens >= 0) {
      totalTokens = promptTokens + completionTokens;
    }
  }
}
