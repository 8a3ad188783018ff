package dev.completions.openai.internal;

import java.util.ArrayList;
import java.util.List;

/**
 * The fields of one decoded answer chunk, reused from chunk to chunk (a mutable holder, not a
 * value). Not thread-safe.
 */
final class DecodedChunk {
  String content;
  String reasoning;
  String refusal;
  String finishReason;
  String model;
  long promptTokens;
  long completionTokens;
  long totalTokens;
  long cachedTokens;
  long reasoningTokens;
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
    cachedTokens = -1;
    reasoningTokens = -1;
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

  /** The readable text of the decoded error: its message, type and code. */
  String errorText() {
    StringBuilder text =
        new StringBuilder(errorMessage == null ? "unspecified error" : errorMessage);
    if (errorType != null) {
      text.append(" (type ").append(errorType).append(')');
    }
    if (errorCode != null) {
      text.append(" (code ").append(errorCode).append(')');
    }
    return text.toString();
  }

  /** The error's code when it is an HTTP status (llama.cpp's {@code "code": 400}), else -1. */
  int httpLikeCode() {
    if (errorCode == null || errorCode.length() != 3) {
      return -1;
    }
    try {
      int code = Integer.parseInt(errorCode);
      return code >= 400 && code <= 599 ? code : -1;
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  /** One tool-call fragment of a chunk. */
  static final class ToolCallPart {
    int index;
    String id;
    String name;
    String arguments;
  }
}
