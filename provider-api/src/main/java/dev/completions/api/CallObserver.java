package dev.completions.api;

import java.time.Instant;

/**
 * Observes one call, from its first token to its end. Made by a {@link CallListener} for each call.
 *
 * <p>{@link #onFirstToken} and {@link #onEvent} run on the thread reading the stream. {@link
 * #onEnd} runs once, on the reading thread, or on the thread that closed the stream when it was
 * closed before its end while no read was in progress; it happens-after every earlier callback. A
 * stream that is neither read to its end nor closed has no end and no record.
 */
public interface CallObserver {

  /**
   * The first piece of the answer arrived (text, reasoning, a refusal or a tool-call fragment). The
   * default does nothing.
   *
   * @param at when it arrived, on the same clock as {@link CallStart#started()}
   */
  default void onFirstToken(Instant at) {}

  /**
   * An event as the caller's stream reads it, before the caller sees it: the answer's pieces and
   * the informational {@link CompletionEvent.Answered}, {@link CompletionEvent.Retrying} and {@link
   * CompletionEvent.FellBack}. For observers that record content when asked to; the default does
   * nothing.
   *
   * @param event never null
   */
  default void onEvent(CompletionEvent event) {}

  /**
   * The call ended: completed, failed, or closed by the caller before its end.
   *
   * @param record what happened, never null
   */
  void onEnd(CallRecord record);
}
