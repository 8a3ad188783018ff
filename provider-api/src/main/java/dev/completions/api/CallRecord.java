package dev.completions.api;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * What happened in one call, given to {@link CallObserver#onEnd} once at its end, whether it
 * completed, failed or was closed early. Immutable.
 *
 * @param callId the id its {@link CallStart} had
 * @param askedProvider the provider asked (for a fallback chain, the chain's name)
 * @param askedModel the model asked for
 * @param provider the provider that answered; when the call failed, the last one tried
 * @param model the model that answered as the provider reported it, else the model asked of that
 *     provider
 * @param links every provider tried, in order, each with its model and its failure (null for the
 *     one that answered); one entry unless a fallback chain moved on, none when every link of a
 *     chain was skipped (cooling down, or lacking what the request needs)
 * @param attempts requests made in all, across the links, counting retries
 * @param retries attempts made again after a retryable failure (a chain moving on is not a retry)
 * @param started when the call started
 * @param firstToken when the first piece of the answer arrived, or null when none did
 * @param ended when the call ended
 * @param usage token counts as the provider reported them, or null when it did not
 * @param finishReason why generation stopped, in {@link CompletionStream#finishReason()}'s closed
 *     set, or null when the provider did not say
 * @param error why the call failed, or null when it completed or was closed early
 * @param closedEarly whether the caller closed the stream before its end
 */
public record CallRecord(
    String callId,
    String askedProvider,
    String askedModel,
    String provider,
    String model,
    List<Link> links,
    int attempts,
    int retries,
    Instant started,
    Instant firstToken,
    Instant ended,
    Usage usage,
    String finishReason,
    ProviderException error,
    boolean closedEarly) {

  /**
   * One provider a call tried.
   *
   * @param provider its name
   * @param model the model it was asked for
   * @param error why it failed, or null when it answered (or was still answering when the caller
   *     closed the stream)
   */
  public record Link(String provider, String model, ProviderException error) {
    /**
     * @param provider its name
     * @param model the model it was asked for
     * @param error why it failed, or null
     * @throws IllegalArgumentException when the provider or model is null
     */
    public Link {
      if (provider == null || model == null) {
        throw new IllegalArgumentException("Link: provider and model must not be null");
      }
    }
  }

  /**
   * @param callId the id its {@link CallStart} had
   * @param askedProvider the provider asked
   * @param askedModel the model asked for
   * @param provider the provider that answered, or the last one tried
   * @param model the model that answered, or the model asked of that provider
   * @param links every provider tried, in order, each with its failure
   * @param attempts requests made in all, counting retries
   * @param retries attempts made again after a retryable failure
   * @param started when the call started
   * @param firstToken when the first piece of the answer arrived, or null
   * @param ended when the call ended
   * @param usage token counts, or null
   * @param finishReason why generation stopped, or null
   * @param error why the call failed, or null
   * @param closedEarly whether the caller closed the stream before its end
   * @throws IllegalArgumentException when an identity, a time or the links are null, or the counts
   *     negative
   */
  public CallRecord {
    if (callId == null
        || askedProvider == null
        || askedModel == null
        || provider == null
        || model == null
        || links == null
        || started == null
        || ended == null) {
      throw new IllegalArgumentException(
          "CallRecord: ids, names, models, links, started and ended must not be null");
    }
    links = List.copyOf(links);
    if (attempts < 0 || retries < 0) {
      throw new IllegalArgumentException(
          "CallRecord: counts must not be negative, got "
              + attempts
              + " attempts, "
              + retries
              + " retries");
    }
  }

  /** {@return whether the call completed: no error and not closed early} */
  public boolean completed() {
    return error == null && !closedEarly;
  }

  /** {@return the error's kind, when the call failed} */
  public Optional<ProviderException.Kind> errorKind() {
    return error == null ? Optional.empty() : Optional.of(error.kind());
  }

  /** {@return from the start to the first piece of the answer, when one arrived} */
  public Optional<Duration> timeToFirstToken() {
    return firstToken == null
        ? Optional.empty()
        : Optional.of(Duration.between(started, firstToken));
  }

  /** {@return from the start to the end} */
  public Duration duration() {
    return Duration.between(started, ended);
  }
}
