package dev.completions.api;

/**
 * What a provider implements to feed a {@link CompletionStream}: a pull source of typed events.
 * Used by one reading thread at a time, except {@link #close()}, which may be called from any
 * thread to abort a read in progress.
 */
public interface EventFeed extends AutoCloseable {

  /**
   * Blocks until the next event is available.
   *
   * @return the next event, or null when the answer ended normally
   * @throws ProviderException on any failure; the stream adds the partial text delivered so far
   */
  CompletionEvent next();

  /**
   * Aborts the work underneath (the connection, the generation) without draining it. Idempotent;
   * never throws.
   */
  @Override
  void close();
}
