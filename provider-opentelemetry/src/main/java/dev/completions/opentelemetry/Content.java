package dev.completions.opentelemetry;

import dev.completions.api.CompletionRequest;
import dev.completions.api.ContentPart;
import dev.completions.api.Message;
import dev.completions.api.ToolCall;

/**
 * The opt-in content attributes, {@code gen_ai.input.messages} and {@code gen_ai.output.messages},
 * as the conventions' JSON: messages of {@code role} and {@code parts} ({@code text}, {@code
 * tool_call}, {@code tool_call_response}, {@code uri} for an image given by URL; an inline image's
 * bytes are left out).
 */
final class Content {

  private Content() {}

  static String inputMessages(CompletionRequest request) {
    StringBuilder json = new StringBuilder("[");
    for (Message message : request.messages()) {
      if (json.length() > 1) {
        json.append(',');
      }
      json.append("{\"role\":");
      string(json, message.role().wireName());
      json.append(",\"parts\":[");
      int parts = 0;
      for (ContentPart part : message.parts()) {
        if (parts++ > 0) {
          json.append(',');
        }
        if (message.toolCallId() != null && part instanceof ContentPart.Text text) {
          json.append("{\"type\":\"tool_call_response\",\"id\":");
          string(json, message.toolCallId());
          json.append(",\"response\":");
          string(json, text.text());
          json.append('}');
        } else if (part instanceof ContentPart.Text text) {
          json.append("{\"type\":\"text\",\"content\":");
          string(json, text.text());
          json.append('}');
        } else if (part instanceof ContentPart.Image image && image.url() != null) {
          json.append("{\"type\":\"uri\",\"modality\":\"image\",\"uri\":");
          string(json, image.url().toString());
          json.append('}');
        } else {
          json.append("{\"type\":\"blob\",\"modality\":\"image\"}");
        }
      }
      for (ToolCall call : message.toolCalls()) {
        if (parts++ > 0) {
          json.append(',');
        }
        json.append("{\"type\":\"tool_call\",\"id\":");
        string(json, call.id());
        json.append(",\"name\":");
        string(json, call.name());
        json.append(",\"arguments\":");
        string(json, call.arguments());
        json.append('}');
      }
      json.append("]}");
    }
    return json.append(']').toString();
  }

  static String outputMessages(String text, String finishReason) {
    StringBuilder json = new StringBuilder("[{\"role\":\"assistant\",\"parts\":[");
    json.append("{\"type\":\"text\",\"content\":");
    string(json, text);
    json.append("}],\"finish_reason\":");
    string(json, finishReason == null ? "other" : finishReason);
    return json.append("}]").toString();
  }

  /** A JSON string: quotes, backslashes and control characters escaped. */
  private static void string(StringBuilder json, String text) {
    json.append('"');
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '"' -> json.append("\\\"");
        case '\\' -> json.append("\\\\");
        case '\n' -> json.append("\\n");
        case '\r' -> json.append("\\r");
        case '\t' -> json.append("\\t");
        default -> {
          if (c < 0x20) {
            json.append(String.format("\\u%04x", (int) c));
          } else {
            json.append(c);
          }
        }
      }
    }
    json.append('"');
  }
}
