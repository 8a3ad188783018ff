package dev.completions.lockchat;

import java.util.ArrayList;
import java.util.List;

/** The fields of one decoded answer chunk; reused from chunk to chunk. Not thread-safe. */
final class Chunk {
  String content;
  String reasoning;
  String refusal;
  String finishReason;
  String model;
  long promptTokens;
  long completionTokens;
  long totalTokens;
  boolean hasUsage;
  boolean hasError;
  String errorMessage;
  String errorType;
  String errorCode;
  final List<ToolCallPart> toolCalls = new ArrayList<>(2);
  int toolCallCount;

  void reset() {
    content = null;
    reasoning = null;
    refusal = null;
    finishReason = null;
    model = null;
    hasUsage = false;
    promptTokens = -1;
    completionTokens = -1;
    totalTokens = -1;
    hasError = false;
    errorMessage = null;
    errorType = null;
    errorCode = null;
    toolCallCount = 0;
  }

  ToolCallPart nextToolCall() {
    if (toolCallCount == toolCalls.size()) {
      toolCalls.add(new ToolCallPart());
    }
    ToolCallPart part = toolCalls.get(toolCallCount++);
    part.index = toolCallCount - 1;
    part.id = "";
    part.name = "";
    part.arguments = "";
    return part;
  }

  /** One tool-call fragment of a chunk. */
  static final class ToolCallPart {
    int index;
    String id;
    String name;
    String arguments;
  }
}
