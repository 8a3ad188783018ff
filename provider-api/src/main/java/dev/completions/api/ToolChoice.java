package dev.completions.api;

/**
 * Whether and which tool the model must call: {@code auto} (it decides), {@code none}, {@code
 * required} (at least one), or one named tool. Immutable and thread-safe.
 */
public sealed interface ToolChoice {

  /** {@return the choice where the model decides (the default when tools are offered)} */
  static ToolChoice auto() {
    return Mode.AUTO;
  }

  /** {@return the choice where the model must not call a tool} */
  static ToolChoice none() {
    return Mode.NONE;
  }

  /** {@return the choice where the model must call at least one tool} */
  static ToolChoice required() {
    return Mode.REQUIRED;
  }

  /**
   * The model must call this tool.
   *
   * @param name the tool's name
   * @return the choice
   */
  static ToolChoice tool(String name) {
    return new Named(name);
  }

  /**
   * Parses {@code auto}, {@code none}, {@code required} or a tool's name.
   *
   * @throws IllegalArgumentException when the text is null or blank
   * @param text the text to parse
   * @return the choice
   */
  static ToolChoice parse(String text) {
    if (text == null || text.isBlank()) {
      throw new IllegalArgumentException(
          "tool_choice: must be auto, none, required or a tool's name");
    }
    for (Mode mode : Mode.values()) {
      if (mode.wireName().equals(text.strip())) {
        return mode;
      }
    }
    return new Named(text.strip());
  }

  /** {@code auto}, {@code none} or {@code required}. */
  enum Mode implements ToolChoice {
    /** The model decides. */
    AUTO,
    /** No tool. */
    NONE,
    /** At least one tool. */
    REQUIRED;

    /** {@return the lower-case name chat APIs use} */
    public String wireName() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  /**
   * One named tool, which the request must offer.
   *
   * @param name the tool's name
   */
  record Named(String name) implements ToolChoice {
    /**
     * @param name the tool's name
     * @throws IllegalArgumentException when the name is null or blank
     */
    public Named {
      if (name == null || name.isBlank()) {
        throw new IllegalArgumentException("tool_choice: a tool's name must not be blank");
      }
    }
  }
}
