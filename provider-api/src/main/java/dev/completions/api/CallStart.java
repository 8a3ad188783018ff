package dev.completions.api;

import java.net.URI;
import java.time.Instant;

/**
 * The start of one call, as a {@link CallListener} sees it. Immutable.
 *
 * @param callId unique within the process, shared with the call's {@link CallRecord}
 * @param provider the name of the provider asked (for a fallback chain, its name, the links' names
 *     joined by {@code " > "})
 * @param model the model asked for: the request's, else the provider's default (for a chain, the
 *     first link's)
 * @param request the request as the caller made it
 * @param endpoint where the provider's requests go, or null for an in-process provider (see {@link
 *     CompletionProvider#endpoint()}; for a chain, the first link's)
 * @param started when {@code complete} was called
 */
public record CallStart(
    String callId,
    String provider,
    String model,
    CompletionRequest request,
    URI endpoint,
    Instant started) {

  /**
   * @param callId unique within the process, shared with the call's {@link CallRecord}
   * @param provider the name of the provider asked
   * @param model the model asked for
   * @param request the request as the caller made it
   * @param endpoint where the provider's requests go, or null for an in-process provider
   * @param started when {@code complete} was called
   * @throws IllegalArgumentException when anything but the endpoint is null
   */
  public CallStart {
    if (callId == null || provider == null || model == null || request == null || started == null) {
      throw new IllegalArgumentException(
          "CallStart: callId, provider, model, request and started must not be null");
    }
  }
}
