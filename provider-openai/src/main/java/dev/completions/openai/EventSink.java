package dev.completions.openai;

import dev.completions.api.CompletionEvent;
import dev.completions.api.ProviderException;
import dev.completions.api.ProviderException.Kind;

/**
 * Where a {@link WireDecoder} delivers what it decoded, and where it gets what it needs to report
 * errors. Provided by the exchange, one per request; used by its reading thread only.
 */
public interface EventSink {

  /**
   * Delivers an event to the caller's stream, in order.
   *
   * @param event the decoded event, not null
   * @throws NullPointerException when the event is null
   */
  void emit(CompletionEvent event);

  /** {@return the provider's name, for errors} */
  String provider();

  /**
   * {@return the provider's error rules ({@link ProviderConfig#errorRules()}), for errors reported
   * inside the answer}
   */
  ErrorRules rules();

  /**
   * An error for an answer that broke the wire format (invalid JSON, a missing field); not retried.
   * Messages are redacted by the exchange before they reach the caller.
   *
   * @param message what was wrong, such as {@code expected a JSON object per line}
   * @return a {@link Kind#PROTOCOL} error, not retryable, with the message {@code malformed answer:
   *     <message>}; for the decoder to throw
   */
  default ProviderException malformed(String message) {
    return ProviderException.builder(Kind.PROTOCOL, provider())
        .message("malformed answer: " + message)
        .retryable(false)
        .build();
  }

  /**
   * An error for a stream that ended before its end marker: the connection was cut short. Retried
   * only while nothing was delivered; the caller's stream keeps the partial text.
   *
   * @return a {@link Kind#CONNECTION} error, retryable; for the decoder to throw
   */
  default ProviderException truncated() {
    return ProviderException.builder(Kind.CONNECTION, provider())
        .message("the answer ended before its end marker; it was cut short")
        .retryable(true)
        .build();
  }
}
