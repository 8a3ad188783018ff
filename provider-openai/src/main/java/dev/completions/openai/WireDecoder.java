package dev.completions.openai;

import dev.completions.api.ProviderException;

/**
 * A provider's wire format, for providers whose answers are not OpenAI's: the hooks the exchange
 * calls as the answer arrives. The exchange owns everything else (the HTTP request and its
 * timeouts, cancellation, retries with {@code Retry-After}, the SSE reader, size caps, redaction).
 * A new decoder is made per request; it is used by the reading thread only. Hooks report failures
 * by throwing {@link ProviderException}s (see {@link EventSink#malformed}).
 */
public interface WireDecoder {

  /**
   * Decodes events that arrive before the answer's content, such as Anthropic's {@code
   * message_start}, and every event after them.
   *
   * @param event the event, valid only during this call (see {@link ServerSentEvent})
   * @param sink where decoded events go, and the provider's name and rules for errors
   * @return true when this event ends the answer (an end marker such as {@code [DONE]}); the rest
   *     of the body is then drained without being read as events
   * @throws ProviderException when the event is an error or breaks the format
   */
  boolean onEvent(ServerSentEvent event, EventSink sink);

  /**
   * Decodes a whole non-streamed answer (a body of type {@code application/json}). By default it is
   * an error: the request asked for a stream.
   *
   * @param body the body's bytes; at most {@link ProviderConfig#maxEventBytes()} of them (a larger
   *     body fails before this call)
   * @param length the number of bytes of {@code body} that are the answer's
   * @param sink where decoded events go, and the provider's name and rules for errors
   * @throws ProviderException when the body is an error or breaks the format
   */
  default void onBody(byte[] body, int length, EventSink sink) {
    throw sink.malformed("expected text/event-stream, got a JSON body");
  }

  /**
   * A line outside the SSE grammar (a plain-text error, or one JSON document per line for formats
   * such as NDJSON), after the provider's {@link ErrorRules} found no rule for it. Ignored by
   * default.
   *
   * @param line the line decoded as UTF-8, without its line break; never empty
   * @param sink where decoded events go, and the provider's name and rules for errors
   * @throws ProviderException when the line reports an error
   */
  default void onStrayLine(String line, EventSink sink) {}

  /**
   * The body ended cleanly without an event that returned true from {@link #onEvent}. By default
   * the answer was cut short ({@link EventSink#truncated()}); a format whose answers may end so
   * returns normally when the answer was complete.
   *
   * @param sink where decoded events go (a last event may still be emitted), and the provider's
   *     name and rules for errors
   * @throws ProviderException when the answer is incomplete
   */
  default void onEnd(EventSink sink) {
    throw sink.truncated();
  }

  /**
   * The error for an HTTP status of 400 or more. By default the provider's {@link ErrorRules}
   * decide on the body's text.
   *
   * @param status the status
   * @param body the start of the body (up to 64 KiB), secrets already redacted
   * @param sink the provider's name and rules
   * @return the error, without attempts (the exchange adds them and the {@code Retry-After} wait)
   */
  default ProviderException.Builder onErrorStatus(int status, String body, EventSink sink) {
    return sink.rules().forStatus(sink.provider(), status, ErrorRules.excerpt(body), body);
  }
}
