package dev.completions.openai;

/**
 * One server-sent event as the reader hands it to a {@link WireDecoder}: a view over the reader's
 * reused buffer, valid only during the call that receives it. Not thread-safe.
 */
public interface ServerSentEvent {

  /**
   * {@return the {@code event:} field, or null when the event had none or an empty one (the default
   * type, "message")}
   */
  String type();

  /**
   * {@return the data lines joined with LF, as UTF-8 bytes; only the first {@link #dataLength()}
   * bytes are the event's} The array is the reader's own, reused for the next event: copy what must
   * outlive the call, and do not change it.
   */
  byte[] data();

  /** {@return the number of data bytes at the start of {@link #data()}; 0 for an empty event} */
  int dataLength();

  /**
   * Compares the data with a text without decoding it.
   *
   * @param ascii the text, not null, such as {@code [DONE]}; only ASCII text compares reliably
   * @return whether the data are exactly this text's bytes
   */
  boolean dataEquals(String ascii);

  /**
   * {@return the data decoded as UTF-8, malformed bytes replaced by U+FFFD (a new String each
   * call)}
   */
  String dataText();
}
