package dev.completions.api;

/**
 * One whole tool call, merged from its {@link CompletionEvent.ToolCallDelta} fragments. Immutable.
 *
 * @param index the call's position in the answer, from 0
 * @param id the provider's call id, or "" when none was sent
 * @param name the tool's name, or "" when none was sent
 * @param arguments the arguments as sent (usually JSON), fragments concatenated in order, or ""
 */
public record ToolCall(int index, String id, String name, String arguments) {

  /**
   * @param index the call's position in the answer, from 0
   * @param id the provider's call id, or "" when none was sent
   * @param name the tool's name, or "" when none was sent
   * @param arguments the arguments as sent, or ""
   * @throws IllegalArgumentException when the index is negative or a part is null ("" when absent)
   */
  public ToolCall {
    if (index < 0 || id == null || name == null || arguments == null) {
      throw new IllegalArgumentException(
          "ToolCall: index must be >= 0 and id, name and arguments non-null (\"\" when absent),"
              + " got index "
              + index);
    }
  }
}
