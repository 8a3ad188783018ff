package org.example.ollama;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.completions.api.CompletionEvent;
import dev.completions.api.ProviderException;
import dev.completions.api.Usage;
import dev.completions.openai.EventSink;
import dev.completions.openai.ServerSentEvent;
import dev.completions.openai.WireDecoder;
import java.io.IOException;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;

/**
 * Ollama's answers from {@code /api/chat}: one JSON object per line (which the exchange's reader
 * hands over as lines outside the SSE grammar) until one says {@code "done": true}, or one such
 * object as a whole non-streamed body. {@code message.content} is text, {@code message.thinking}
 * reasoning, {@code message.tool_calls} whole calls (one {@link CompletionEvent.ToolCallDelta}
 * each; the finish reason is then {@code tool_calls}); the last object carries the finish reason
 * and the token counts. An {@code error} object, or a body that ends before {@code "done": true},
 * fails the answer. One instance per answer; not thread-safe.
 */
final class OllamaDecoder implements WireDecoder {

  private static final JsonFactory JSON = JsonFactory.builder().build();

  private boolean answered;
  private boolean done;
  private int toolCalls;

  @Override
  public boolean onEvent(ServerSentEvent event, EventSink sink) {
    throw sink.malformed(
        "expected one JSON object per line, got a server-sent event (is the URL Ollama's?)");
  }

  @Override
  public void onStrayLine(String line, EventSink sink) {
    try (JsonParser json = JSON.createParser(line)) {
      decode(json, sink);
    } catch (IOException e) {
      throw sink.malformed("invalid JSON line: " + e.getMessage());
    }
  }

  @Override
  public void onBody(byte[] body, int length, EventSink sink) {
    try (JsonParser json = JSON.createParser(body, 0, length)) {
      decode(json, sink);
    } catch (IOException e) {
      throw sink.malformed("invalid JSON: " + e.getMessage());
    }
    onEnd(sink);
  }

  @Override
  public void onEnd(EventSink sink) {
    if (!done) {
      throw sink.truncated();
    }
  }

  @Override
  public ProviderException.Builder onErrorStatus(int status, String body, EventSink sink) {
    String error = null;
    try (JsonParser json = JSON.createParser(body)) {
      if (json.nextToken() == JsonToken.START_OBJECT) {
        while (error == null && json.nextToken() == JsonToken.FIELD_NAME) {
          String field = json.currentName();
          json.nextToken();
          if (field.equals("error")) {
            error = json.getValueAsString();
          } else {
            json.skipChildren();
          }
        }
      }
    } catch (IOException notJson) {
      error = null; // a proxy's page, say: the rules excerpt it
    }
    return error == null
        ? WireDecoder.super.onErrorStatus(status, body, sink)
        : sink.rules().forStatus(sink.provider(), status, error, error);
  }

  private void decode(JsonParser json, EventSink sink) throws IOException {
    if (json.nextToken() != JsonToken.START_OBJECT) {
      throw sink.malformed("expected a JSON object per line");
    }
    String model = null;
    String content = null;
    String thinking = null;
    String doneReason = null;
    boolean last = false;
    long promptTokens = -1;
    long completionTokens = -1;
    List<CompletionEvent.ToolCallDelta> calls = new ArrayList<>();
    while (json.nextToken() == JsonToken.FIELD_NAME) {
      String field = json.currentName();
      JsonToken value = json.nextToken();
      switch (field) {
        case "model" -> model = json.getValueAsString();
        case "message" -> {
          while (value == JsonToken.START_OBJECT && json.nextToken() == JsonToken.FIELD_NAME) {
            String part = json.currentName();
            json.nextToken();
            switch (part) {
              case "content" -> content = json.getValueAsString();
              case "thinking" -> thinking = json.getValueAsString();
              case "tool_calls" -> {
                while (json.currentToken() != JsonToken.VALUE_NULL
                    && json.nextToken() != JsonToken.END_ARRAY) {
                  calls.add(toolCall(json, sink));
                }
              }
              default -> json.skipChildren();
            }
          }
          json.skipChildren(); // a message that is not an object
        }
        case "done" -> last = value == JsonToken.VALUE_TRUE;
        case "done_reason" -> doneReason = json.getValueAsString();
        case "prompt_eval_count" -> promptTokens = json.getValueAsLong(-1);
        case "eval_count" -> completionTokens = json.getValueAsLong(-1);
        case "error" ->
            throw sink.rules().forEvent(sink.provider(), json.getValueAsString(), "", -1).build();
        default -> json.skipChildren();
      }
    }
    if (model != null && !model.isEmpty() && !answered) {
      answered = true;
      sink.emit(new CompletionEvent.Answered(sink.provider(), model));
    }
    if (thinking != null && !thinking.isEmpty()) {
      sink.emit(new CompletionEvent.Reasoning(thinking));
    }
    if (content != null && !content.isEmpty()) {
      sink.emit(new CompletionEvent.Text(content));
    }
    calls.forEach(sink::emit);
    if (last) {
      done = true;
      boolean stopped = doneReason == null || doneReason.isEmpty() || doneReason.equals("stop");
      sink.emit(
          new CompletionEvent.Finish(
              stopped ? (toolCalls > 0 ? "tool_calls" : "stop") : doneReason));
      if (promptTokens >= 0 || completionTokens >= 0) {
        sink.emit(new CompletionEvent.UsageReport(new Usage(promptTokens, completionTokens, -1)));
      }
    }
  }

  /**
   * One whole call, {@code {"function":{"name":...,"arguments":{...}}}}: the arguments object
   * becomes JSON text; the id is the one sent, else {@code call_<index>}, numbered across the
   * answer.
   */
  private CompletionEvent.ToolCallDelta toolCall(JsonParser json, EventSink sink)
      throws IOException {
    if (json.currentToken() != JsonToken.START_OBJECT) {
      throw sink.malformed("message.tool_calls: expected objects, got " + json.currentToken());
    }
    String id = "";
    String name = "";
    String arguments = "{}";
    while (json.nextToken() == JsonToken.FIELD_NAME) {
      String field = json.currentName();
      JsonToken value = json.nextToken();
      if (field.equals("id")) {
        id = json.getValueAsString("");
      } else if (field.equals("function") && value == JsonToken.START_OBJECT) {
        while (json.nextToken() == JsonToken.FIELD_NAME) {
          String part = json.currentName();
          if (json.nextToken() == JsonToken.VALUE_STRING || !part.equals("arguments")) {
            name = part.equals("name") ? json.getValueAsString("") : name;
            arguments = part.equals("arguments") ? json.getText() : arguments;
            json.skipChildren();
          } else {
            StringWriter text = new StringWriter();
            try (JsonGenerator copy = JSON.createGenerator(text)) {
              copy.copyCurrentStructureExact(json);
            }
            arguments = text.toString();
          }
        }
      } else {
        json.skipChildren();
      }
    }
    if (name.isEmpty()) {
      throw sink.malformed("message.tool_calls: a call without a function name");
    }
    int index = toolCalls++;
    return new CompletionEvent.ToolCallDelta(
        index, id.isEmpty() ? "call_" + index : id, name, arguments);
  }
}
