package dev.completions.openai.internal;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import dev.completions.api.CompletionRequest;
import dev.completions.api.ContentPart;
import dev.completions.api.Message;
import dev.completions.api.ResponseFormat;
import dev.completions.api.Tool;
import dev.completions.api.ToolCall;
import dev.completions.api.ToolChoice;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * The JSON body of a chat-completion request, in the field order of the original Lockchat module.
 * The body has a fixed shape, so it is written straight into bytes: strings of printable ASCII
 * without quotes or backslashes (most prompts, every model id and option name) are copied as they
 * are, every other string is escaped by Jackson's encoder. Called once per request on the caller's
 * thread, so it creates no generator, no stream and no String beyond the temperature's. Not
 * thread-safe (one instance per request).
 */
public final class RequestBody {

  private static final JsonStringEncoder STRINGS = JsonStringEncoder.getInstance();

  private byte[] bytes;
  private int length;

  private RequestBody(int capacity) {
    bytes = new byte[capacity];
  }

  /**
   * Renders the body.
   *
   * @throws IllegalArgumentException naming the message or option whose text is not valid Unicode
   *     (an unpaired surrogate cannot be sent as UTF-8)
   */
  public static byte[] render(
      CompletionRequest request, String model, String maxTokensField, Map<String, Object> options) {
    List<Message> messages = request.messages();
    int capacity = 96 + model.length();
    for (Message message : messages) {
      capacity += 32 + message.content().length();
    }
    RequestBody out = new RequestBody(capacity);
    if (request.temperature() != null) {
      out.ascii("{\"temperature\":");
      out.ascii(Double.toString(request.temperature()));
      out.ascii(",\"messages\":[");
    } else {
      out.ascii("{\"messages\":[");
    }
    for (int i = 0; i < messages.size(); i++) {
      Message message = messages.get(i);
      out.ascii(i == 0 ? "{\"role\":\"" : ",{\"role\":\"");
      out.ascii(message.role().wireName());
      out.ascii("\",\"content\":");
      if (message.isPlainText()) {
        out.text(message.content(), "messages[" + i + "].content");
      } else {
        out.richMessage(message, i);
      }
      out.write('}');
    }
    out.ascii("],\"model\":");
    out.text(model, "model");
    out.ascii(request.stream() ? ",\"stream\":true" : ",\"stream\":false");
    if (!request.tools().isEmpty()) {
      out.tools(request.tools());
    }
    if (request.toolChoice() != null) {
      out.toolChoice(request.toolChoice());
    }
    if (request.responseFormat() != null) {
      out.responseFormat(request.responseFormat());
    }
    if (request.maxTokens() != null) {
      out.write(',');
      out.write('"');
      out.ascii(maxTokensField); // checked by ProviderConfig: letters, digits and _
      out.ascii("\":");
      out.ascii(request.maxTokens().toString());
    }
    if (!request.stop().isEmpty()) {
      out.ascii(",\"stop\":");
      out.value(request.stop(), "stop");
    }
    for (Map.Entry<String, Object> option : options.entrySet()) {
      out.write(',');
      out.text(option.getKey(), "options");
      out.write(':');
      out.value(option.getValue(), option.getKey());
    }
    out.write('}');
    return out.length == out.bytes.length ? out.bytes : Arrays.copyOf(out.bytes, out.length);
  }

  /**
   * The rest of a message that is more than one text: its content as an array of {@code text} and
   * {@code image_url} parts (inline images as {@code data:} URIs; null for an assistant message of
   * tool calls only), then its {@code tool_calls} or {@code tool_call_id}.
   */
  private void richMessage(Message message, int index) {
    String field = "messages[" + index + "]";
    if (message.parts().isEmpty()) {
      ascii("null");
    } else if (message.images().isEmpty()) {
      text(message.content(), field + ".content");
    } else {
      write('[');
      List<ContentPart> parts = message.parts();
      for (int p = 0; p < parts.size(); p++) {
        ascii(p == 0 ? "{\"type\":" : ",{\"type\":");
        if (parts.get(p) instanceof ContentPart.Text part) {
          ascii("\"text\",\"text\":");
          text(part.text(), field + ".content[" + p + "]");
        } else {
          ContentPart.Image image = (ContentPart.Image) parts.get(p);
          ascii("\"image_url\",\"image_url\":{\"url\":");
          if (image.url() != null) {
            text(image.url().toString(), field + ".content[" + p + "].url");
          } else {
            ascii("\"data:");
            ascii(image.mediaType());
            ascii(";base64,");
            ascii(Base64.getEncoder().encodeToString(image.data()));
            write('"');
          }
          if (image.detail() != ContentPart.Detail.AUTO) {
            ascii(",\"detail\":\"");
            ascii(image.detail().wireName());
            write('"');
          }
          write('}');
        }
        write('}');
      }
      write(']');
    }
    if (!message.toolCalls().isEmpty()) {
      ascii(",\"tool_calls\":[");
      for (int c = 0; c < message.toolCalls().size(); c++) {
        ToolCall call = message.toolCalls().get(c);
        ascii(c == 0 ? "{\"id\":" : ",{\"id\":");
        text(call.id(), field + ".tool_calls[" + c + "].id");
        ascii(",\"type\":\"function\",\"function\":{\"name\":");
        text(call.name(), field + ".tool_calls[" + c + "].name");
        ascii(",\"arguments\":");
        text(call.arguments(), field + ".tool_calls[" + c + "].arguments");
        ascii("}}");
      }
      write(']');
    }
    if (message.toolCallId() != null) {
      ascii(",\"tool_call_id\":");
      text(message.toolCallId(), field + ".tool_call_id");
    }
  }

  /**
   * OpenAI's {@code tools}: one {@code function} object each, its schema written as given
   * (validated JSON).
   */
  private void tools(List<Tool> tools) {
    ascii(",\"tools\":[");
    for (int t = 0; t < tools.size(); t++) {
      Tool tool = tools.get(t);
      ascii(
          t == 0
              ? "{\"type\":\"function\",\"function\":{\"name\":"
              : ",{\"type\":\"function\",\"function\":{\"name\":");
      ascii('"' + tool.name() + '"');
      ascii(",\"description\":");
      text(tool.description(), "tools[" + tool.name() + "].description");
      ascii(",\"parameters\":");
      raw(tool.parameters(), "tools[" + tool.name() + "].parameters");
      ascii("}}");
    }
    write(']');
  }

  private void toolChoice(ToolChoice choice) {
    ascii(",\"tool_choice\":");
    if (choice instanceof ToolChoice.Mode mode) {
      ascii('"' + mode.wireName() + '"');
    } else {
      ascii("{\"type\":\"function\",\"function\":{\"name\":");
      text(((ToolChoice.Named) choice).name(), "tool_choice");
      ascii("}}");
    }
  }

  private void responseFormat(ResponseFormat format) {
    ascii(",\"response_format\":");
    if (format instanceof ResponseFormat.JsonSchema schema) {
      ascii("{\"type\":\"json_schema\",\"json_schema\":{\"name\":\"");
      ascii(schema.name());
      ascii("\",\"schema\":");
      raw(schema.schema(), "response_format.schema");
      ascii(schema.strict() ? ",\"strict\":true}}" : ",\"strict\":false}}");
    } else {
      ascii(
          format instanceof ResponseFormat.JsonObject
              ? "{\"type\":\"json_object\"}"
              : "{\"type\":\"text\"}");
    }
  }

  /** Appends a string as a JSON string. */
  private void text(String value, String field) {
    if (!string(value)) {
      throw notUnicode(field);
    }
  }

  /** Appends JSON text (already validated) as it is, as UTF-8. */
  private void raw(String json, String field) {
    ByteBuffer encoded;
    try {
      encoded =
          StandardCharsets.UTF_8
              .newEncoder()
              .encode(CharBuffer.wrap(json)); // refuses unpaired surrogates
    } catch (CharacterCodingException e) {
      throw notUnicode(field);
    }
    int n = encoded.remaining();
    ensure(n);
    encoded.get(bytes, length, n);
    length += n;
  }

  private void value(Object value, String option) {
    if (value instanceof List<?> list) {
      write('[');
      for (int i = 0; i < list.size(); i++) {
        if (i > 0) {
          write(',');
        }
        value(list.get(i), option);
      }
      write(']');
    } else if (value instanceof Map<?, ?> map) {
      write('{');
      boolean first = true;
      for (Map.Entry<?, ?> field : map.entrySet()) {
        if (!first) {
          write(',');
        }
        first = false;
        value(String.valueOf(field.getKey()), option);
        write(':');
        value(field.getValue(), option);
      }
      write('}');
    } else if (value == null) {
      ascii("null");
    } else if (value instanceof Integer || value instanceof Long || value instanceof Boolean) {
      ascii(value.toString());
    } else if (value instanceof Number number) {
      ascii(Double.toString(number.doubleValue()));
    } else if (!string(String.valueOf(value))) {
      throw notUnicode("option '" + option + "'");
    }
  }

  /** Appends {@code text} as a JSON string; false when it has an unpaired surrogate. */
  private boolean string(String text) {
    int start = length;
    write('"');
    int n = text.length();
    ensure(n + 1);
    for (int i = 0; i < n; i++) {
      char c = text.charAt(i);
      if (c < 0x20 || c >= 0x7F || c == '"' || c == '\\') {
        length = start;
        return escaped(text);
      }
      bytes[length++] = (byte) c;
    }
    bytes[length++] = '"';
    return true;
  }

  private boolean escaped(String text) {
    byte[] encoded;
    try {
      encoded = STRINGS.quoteAsUTF8(text);
    } catch (IllegalArgumentException unpairedSurrogate) {
      return false;
    }
    ensure(encoded.length + 2);
    bytes[length++] = '"';
    System.arraycopy(encoded, 0, bytes, length, encoded.length);
    length += encoded.length;
    bytes[length++] = '"';
    return true;
  }

  /** Appends text known to be ASCII. */
  private void ascii(String text) {
    int n = text.length();
    ensure(n);
    for (int i = 0; i < n; i++) {
      bytes[length++] = (byte) text.charAt(i);
    }
  }

  private void write(char c) {
    ensure(1);
    bytes[length++] = (byte) c;
  }

  private void ensure(int more) {
    if (length + more > bytes.length) {
      bytes = Arrays.copyOf(bytes, Math.max(length + more, bytes.length * 2));
    }
  }

  private static IllegalArgumentException notUnicode(String field) {
    return new IllegalArgumentException(
        field + ": is not valid Unicode (it has an unpaired surrogate)");
  }
}
