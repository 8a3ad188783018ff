package dev.completions.api;

import java.time.Duration;

/**
 * One typed piece of an answer, as read from {@link CompletionStream#events()}. Only {@link Text}
 * is answer text; the other kinds are never mixed into it. Every event checks its contract when it
 * is made: a provider that breaks it fails inside its {@link EventFeed#next()}, and the caller gets
 * a {@link ProviderException} of kind {@code protocol}, never a raw exception.
 */
public sealed interface CompletionEvent {

  /**
   * Whether this event is part of the answer. {@link Answered}, {@link Retrying} and {@link
   * FellBack} are not: they tell about the call (who answers, a retry, a fallback), are never text,
   * and do not count as delivered where a retry or a fallback chain decides whether it may still
   * start over.
   *
   * @return true for every kind but {@link Answered}, {@link Retrying} and {@link FellBack}
   */
  default boolean isAnswerPart() {
    return true;
  }

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

    /** {@return false: it tells who answers} */
    @Override
    public boolean isAnswerPart() {
      return false;
    }
  }

  /**
   * An attempt failed before anything was delivered and the provider tries again after {@code
   * delay}. Sent before the wait; the next event comes from the new attempt.
   *
   * @param provider the name of the provider that retries
   * @param attempt the number of the attempt that failed, from 1
   * @param failure why it failed
   * @param delay the wait before the next attempt, zero or positive
   */
  record Retrying(String provider, int attempt, ProviderException failure, Duration delay)
      implements CompletionEvent {
    /**
     * @param provider the name of the provider that retries
     * @param attempt the number of the attempt that failed, from 1
     * @param failure why it failed
     * @param delay the wait before the next attempt, zero or positive
     * @throws IllegalArgumentException when the provider is null or empty, the attempt below 1, the
     *     failure null or the delay null or negative
     */
    public Retrying {
      requireText("Retrying provider", provider);
      if (attempt < 1 || failure == null || delay == null || delay.isNegative()) {
        throw new IllegalArgumentException(
            "Retrying: attempt must be >= 1, failure non-null and delay zero or positive, got"
                + " attempt "
                + attempt
                + ", delay "
                + delay);
      }
    }

    /** {@return false: it tells about the call} */
    @Override
    public boolean isAnswerPart() {
      return false;
    }
  }

  /**
   * A fallback chain left a provider that failed before delivering anything; the next provider of
   * the chain is tried, if any is left.
   *
   * @param provider the name of the provider left
   * @param model the model it was asked for
   * @param failure why it failed
   */
  record FellBack(String provider, String model, ProviderException failure)
      implements CompletionEvent {
    /**
     * @param provider the name of the provider left
     * @param model the model it was asked for
     * @param failure why it failed
     * @throws IllegalArgumentException when the provider or model is null or empty, or the failure
     *     null
     */
    public FellBack {
      requireText("FellBack provider", provider);
      requireText("FellBack model", model);
      if (failure == null) {
        throw new IllegalArgumentException("FellBack: failure must not be null");
      }
    }

    /** {@return false: it tells about the call} */
    @Override
    public boolean isAnswerPart() {
      return false;
    }
  }

  private static void requireText(String event, String text) {
    if (text == null || text.isEmpty()) {
      throw new IllegalArgumentException(event + ": must not be null or empty");
    }
  }
}
