package dev.completions.api;

/**
 * One typed piece of an answer, as read from {@link CompletionStream#events()}. Only {@link Text}
 * is answer text; the other kinds are never mixed into it.
 */
public sealed interface CompletionEvent {

  /** A piece of answer text (a token). {@code text} is never null or empty. */
  record Text(String text) implements CompletionEvent {}

  /** A piece of the model's reasoning ("thinking"), kept apart from the answer text. */
  record Reasoning(String text) implements CompletionEvent {}

  /** A piece of a refusal message: the model declined to answer. */
  record Refusal(String text) implements CompletionEvent {}

  /**
   * A fragment of a tool call. Fragments with the same index belong to one call: the first usually
   * carries the id and name, later ones pieces of the arguments. Absent parts are "".
   */
  record ToolCallDelta(int index, String id, String name, String arguments) implements CompletionEvent {}

  /** Token counts, usually sent once near the end. */
  record UsageReport(Usage usage) implements CompletionEvent {}

  /** Why generation stopped, as the provider said it (e.g. {@code stop}, {@code length}, {@code eos}). */
  record Finish(String reason) implements CompletionEvent {}

  /**
   * Who actually answered: the provider and the model it names, which may differ from the ones
   * asked (a fallback chain moved on, or the server runs another model version).
   */
  record Answered(String provider, String model) implements CompletionEvent {}
}
