package dev.completions.openai.internal;

import dev.completions.api.CompletionEvent;
import dev.completions.api.ProviderException;
import dev.completions.api.Usage;
import dev.completions.openai.EventSink;
import dev.completions.openai.ServerSentEvent;
import dev.completions.openai.WireDecoder;
import java.nio.charset.StandardCharsets;

/**
 * OpenAI's chat-completion answers: {@code chat.completion.chunk} events ended by {@code [DONE]},
 * or one {@code chat.completion} body; error objects in either; llama.cpp's {@code error: {...}}
 * lines. A stream that ends after a {@code finish_reason} but without {@code [DONE]} is complete;
 * one that ends with neither was cut short. One instance per answer; not thread-safe.
 */
public final class OpenAiDecoder implements WireDecoder {

  private final ChunkDecoder decoder = new ChunkDecoder();
  private final DecodedChunk chunk = new DecodedChunk();
  private boolean finished;

  @Override
  public boolean onEvent(ServerSentEvent event, EventSink sink) {
    if ("error".equals(event.type())) {
      throw errorObject(event.data(), event.dataLength(), sink);
    }
    if (event.dataEquals("[DONE]")) {
      return true;
    }
    decode(event.data(), event.dataLength(), sink);
    return false;
  }

  @Override
  public void onBody(byte[] body, int length, EventSink sink) {
    decode(body, length, sink);
  }

  @Override
  public void onStrayLine(String line, EventSink sink) {
    if (line.startsWith("error:") || line.startsWith("error :")) {
      byte[] json = line.substring(line.indexOf(':') + 1).strip().getBytes(StandardCharsets.UTF_8);
      throw errorObject(json, json.length, sink);
    }
  }

  @Override
  public void onEnd(EventSink sink) {
    if (!finished) {
      throw sink.truncated();
    }
  }

  @Override
  public ProviderException.Builder onErrorStatus(int status, String body, EventSink sink) {
    DecodedChunk error = null;
    if (body.stripLeading().startsWith("{")) {
      byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
      try {
        decoder.decode(bytes, 0, bytes.length, chunk);
        error = chunk.hasError || chunk.errorMessage != null ? chunk : null;
      } catch (MalformedStreamException notJson) {
        error = null;
      }
    }
    if (error == null) {
      return sink.rules()
          .forStatus(
              sink.provider(), status, dev.completions.openai.ErrorRules.excerpt(body), body);
    }
    String detail = error.errorText();
    return sink.rules()
        .forStatus(
            sink.provider(),
            status,
            detail,
            detail + " " + error.errorType + " " + error.errorCode);
  }

  private void decode(byte[] data, int length, EventSink sink) {
    try {
      decoder.decode(data, 0, length, chunk);
    } catch (MalformedStreamException e) {
      String raw = new String(data, 0, Math.min(length, 4096), StandardCharsets.UTF_8);
      ProviderException.Builder own = sink.rules().forStrayLine(sink.provider(), raw);
      throw own != null ? own.build() : sink.malformed(e.getMessage());
    }
    if (chunk.hasError) {
      throw errorOf(chunk, sink);
    }
    if (chunk.model != null && !chunk.model.isEmpty()) {
      sink.emit(new CompletionEvent.Answered(sink.provider(), chunk.model));
    }
    if (chunk.reasoning != null && !chunk.reasoning.isEmpty()) {
      sink.emit(new CompletionEvent.Reasoning(chunk.reasoning));
    }
    if (chunk.refusal != null && !chunk.refusal.isEmpty()) {
      sink.emit(new CompletionEvent.Refusal(chunk.refusal));
    }
    if (chunk.content != null && !chunk.content.isEmpty()) {
      sink.emit(new CompletionEvent.Text(chunk.content));
    }
    for (int i = 0; i < chunk.toolCallCount; i++) {
      DecodedChunk.ToolCallPart part = chunk.toolCalls.get(i);
      sink.emit(new CompletionEvent.ToolCallDelta(part.index, part.id, part.name, part.arguments));
    }
    if (chunk.finishReason != null) {
      finished = true;
      if (!chunk.finishReason.isEmpty()) {
        sink.emit(new CompletionEvent.Finish(chunk.finishReason));
      }
    }
    if (chunk.hasUsage) {
      sink.emit(
          new CompletionEvent.UsageReport(
              new Usage(
                  chunk.promptTokens,
                  chunk.completionTokens,
                  chunk.totalTokens,
                  chunk.cachedTokens,
                  -1,
                  chunk.reasoningTokens)));
    }
  }

  private ProviderException errorObject(byte[] data, int length, EventSink sink) {
    try {
      decoder.decode(data, 0, length, chunk);
    } catch (MalformedStreamException notJson) {
      String raw = new String(data, 0, length, StandardCharsets.UTF_8).strip();
      return sink.rules()
          .forEvent(sink.provider(), dev.completions.openai.ErrorRules.excerpt(raw), raw, -1)
          .build();
    }
    return errorOf(chunk, sink);
  }

  private static ProviderException errorOf(DecodedChunk error, EventSink sink) {
    String detail = error.errorText();
    return sink.rules()
        .forEvent(
            sink.provider(), detail, error.errorType + " " + error.errorCode, error.httpLikeCode())
        .build();
  }
}
