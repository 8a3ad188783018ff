package dev.completions.openai;

/**
 * One server-sent event as the reader hands it to a {@link WireDecoder}: a view over the reader's
 * reused buffer, valid only during the call that receives it. Not thread-safe.
 */
public interface ServerSentEvent {

  /** The {@code event:} field, or null when the event had none (the default type, "message"). */
  String type();

  /** The data lines joined with LF; only the first {@link #dataLength()} bytes are the event's. */
  byte[] data();

  /** The number of data bytes. */
  int dataLength();

  /** Whether the data equals this ASCII text, such as {@code [DONE]}. */
  boolean dataEquals(String ascii);

  /** The data decoded as UTF-8 (a new String each call). */
  String dataText();
}
