package dev.completions.api;

/**
 * One whole tool call, merged from its {@link CompletionEvent.ToolCallDelta} fragments. Immutable.
 *
 * @param index the call's position in the answer
 * @param id the provider's call id, or "" when none was sent
 * @param name the tool's name, or "" when none was sent
 * @param arguments the arguments as sent (usually JSON), fragments concatenated in order
 */
public record ToolCall(int index, String id, String name, String arguments) {}
