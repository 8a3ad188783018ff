package dev.completions.openai.internal;

import java.io.IOException;

/** The answer broke the wire format: an oversized event, a cut event, invalid JSON. */
final class MalformedStreamException extends IOException {
  private static final long serialVersionUID = 1L;

  MalformedStreamException(String message) {
    super(message);
  }

  MalformedStreamException(String message, Throwable cause) {
    super(message, cause);
  }
}
