package dev.completions.api;

/**
 * One typed piece of an answer, as read from {@link CompletionStream#events()}. Only {@link Text}
 * is answer text; the other kinds are never mixed into it. Every event checks its contract when it
 * is made: a provider that breaks it fails inside its {@link EventFeed#next()}, and the caller gets
 * a {@link ProviderException} of kind {@code protocol}, never a raw exception.
 */
public sealed interface CompletionEvent {

  /**
   * A piece of answer text (a token).
   *
   * @param text never null or empty
   */
  record Text(String text) implements CompletionEvent {
    /**
     * @param text never null or empty
     * @throws IllegalArgumentException when the text is null or empty
     */
    public Text {
      requireText("Text", text);
    }
  }

  /**
   * A piece of the model's reasoning ("thinking"), kept apart from the answer text.
   *
   * @param text never null or empty
   */
  record Reasoning(String text) implements CompletionEvent {
    /**
     * @param text never null or empty
     * @throws IllegalArgumentException when the text is null or empty
     */
    public Reasoning {
      requireText("Reasoning", text);
    }
  }

  /**
   * A piece of a refusal message: the model declined to answer.
   *
   * @param text never null or empty
   */
  record Refusal(String text) implements CompletionEvent {
    /**
     * @param text never null or empty
     * @throws IllegalArgumentException when the text is null or empty
     */
    public Refusal {
      requireText("Refusal", text);
    }
  }

  /**
   * A fragment of a tool call. Fragments with the same index belong to one call: the first usually
   * carries the id and name, later ones pieces of the arguments. Absent parts are "".
   */
  record ToolCallDelta(int index, String id, String name, String arguments)
      implements CompletionEvent {
    /**
     * @param index the call's index in the answer, from 0
     * @param id the call's id, or ""
     * @param name the tool's name, or ""
     * @param arguments a piece of the arguments' JSON text, or ""
     * @throws IllegalArgumentException when the index is negative or a part is null (absent parts
     *     are "")
     */
    public ToolCallDelta {
      if (index < 0 || id == null || name == null || arguments == null) {
        throw new IllegalArgumentException(
            "ToolCallDelta: index must be >= 0 and id, name and arguments non-null"
                + " (\"\" when absent), got index "
                + index);
      }
    }
  }

  /**
   * Token counts, usually sent once near the end.
   *
   * @param usage never null
   */
  record UsageReport(Usage usage) implements CompletionEvent {
    /**
     * @param usage never null
     * @throws IllegalArgumentException when the usage is null
     */
    public UsageReport {
      if (usage == null) {
        throw new IllegalArgumentException("UsageReport: usage must not be null");
      }
    }
  }

  /**
   * Why generation stopped, as the provider said it (e.g. {@code stop}, {@code length}, {@code
   * eos}).
   *
   * @param reason never null or empty
   */
  record Finish(String reason) implements CompletionEvent {
    /**
     * @param reason never null or empty
     * @throws IllegalArgumentException when the reason is null or empty
     */
    public Finish {
      requireText("Finish", reason);
    }
  }

  /**
   * Who actually answered: the provider and the model it names, which may differ from the ones
   * asked (a fallback chain moved on, or the server runs another model version).
   */
  record Answered(String provider, String model) implements CompletionEvent {
    /**
     * @param provider the name of the provider that answered
     * @param model the model it names
     * @throws IllegalArgumentException when the provider or model is null or empty
     */
    public Answered {
      requireText("Answered provider", provider);
      requireText("Answered model", model);
    }
  }

  private static void requireText(String event, String text) {
    if (text == null || text.isEmpty()) {
      throw new IllegalArgumentException(event + ": must not be null or empty");
    }
  }
}
