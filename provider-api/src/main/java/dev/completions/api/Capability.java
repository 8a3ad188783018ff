package dev.completions.api;

import java.util.Locale;

/**
 * What a provider can do beyond plain text in and out. A request that needs a capability its
 * provider lacks is refused before any I/O.
 */
public enum Capability {
  /** Offering tools, forcing one, and sending tool calls and results back. */
  TOOLS,
  /** Images in user messages. */
  IMAGE_INPUT,
  /** Output constrained to a JSON object. */
  JSON_OUTPUT,
  /** Output constrained to a JSON Schema. */
  JSON_SCHEMA_OUTPUT,
  /** Reasoning ("thinking") reported apart from the answer. */
  REASONING_OUTPUT;

  /**
   * {@return the lower-case name used in messages and on the command line, such as {@code
   * image_input}}
   */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
