package dev.completions.api;

/**
 * Token counts as the provider reported them. Immutable.
 *
 * @param promptTokens tokens in the request, or -1 when not reported
 * @param completionTokens tokens generated, or -1 when not reported
 * @param totalTokens both together, or -1 when not reported and not derivable
 * @param cachedPromptTokens prompt tokens read from the provider's prompt cache, or -1 when not
 *     reported
 * @param cacheCreationTokens prompt tokens written to the provider's prompt cache, or -1 when not
 *     reported
 * @param reasoningTokens completion tokens spent reasoning, or -1 when not reported
 */
public record Usage(
    long promptTokens,
    long completionTokens,
    long totalTokens,
    long cachedPromptTokens,
    long cacheCreationTokens,
    long reasoningTokens) {

  /**
   * Derives {@code totalTokens} when it is -1 and both parts are known.
   *
   * @param promptTokens tokens in the request, or -1 when not reported
   * @param completionTokens tokens generated, or -1 when not reported
   * @param totalTokens both together, or -1 when not reported and not derivable
   * @param cachedPromptTokens prompt tokens read from the provider's prompt cache, or -1 when not
   *     reported
   * @param cacheCreationTokens prompt tokens written to the provider's prompt cache, or -1 when not
   *     reported
   * @param reasoningTokens completion tokens spent reasoning, or -1 when not reported
   */
  public Usage {
    if (totalTokens < 0 && promptTokens >= 0 && completionTokens >= 0) {
      totalTokens = promptTokens + completionTokens;
    }
  }

  /**
   * Counts without cache or reasoning details (reported as -1).
   *
   * @param promptTokens tokens of the prompt
   * @param completionTokens tokens of the answer
   * @param totalTokens both together
   */
  public Usage(long promptTokens, long completionTokens, long totalTokens) {
    this(promptTokens, completionTokens, totalTokens, -1, -1, -1);
  }
}
