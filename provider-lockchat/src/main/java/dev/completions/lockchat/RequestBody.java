package dev.completions.lockchat;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import dev.completions.api.CompletionRequest;
import dev.completions.api.Message;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * The JSON body of a chat-completion request, in the seed's field order. The body has a fixed
 * shape, so it is written straight into bytes; Jackson's encoder escapes every string. Called
 * once per request on the caller's thread, so it creates no generator and no parser context.
 */
final class RequestBody {

  private static final JsonStringEncoder STRINGS = JsonStringEncoder.getInstance();

  private RequestBody() {}

  /**
   * Renders the body.
   *
   * @throws IllegalArgumentException naming the message or option whose text is not valid
   *     Unicode (an unpaired surrogate cannot be sent as UTF-8)
   */
  static byte[] render(CompletionRequest request, String model, Map<String, Object> options) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(160);
    ascii(out, "{\"temperature\":");
    ascii(out, Double.toString(request.temperature()));
    ascii(out, ",\"messages\":[");
    List<Message> messages = request.messages();
    for (int i = 0; i < messages.size(); i++) {
      Message message = messages.get(i);
      ascii(out, i == 0 ? "{\"role\":" : ",{\"role\":");
      string(out, message.role().wireName(), null);
      ascii(out, ",\"content\":");
      string(out, message.content(), "messages[" + i + "].content");
      out.write('}');
    }
    ascii(out, "],\"model\":");
    string(out, model, "model");
    ascii(out, request.stream() ? ",\"stream\":true" : ",\"stream\":false");
    for (Map.Entry<String, Object> option : options.entrySet()) {
      out.write(',');
      string(out, option.getKey(), "options");
      out.write(':');
      value(out, option.getValue(), "option '" + option.getKey() + "'");
    }
    out.write('}');
    return out.toByteArray();
  }

  private static void value(ByteArrayOutputStream out, Object value, String field) {
    if (value instanceof List<?> list) {
      out.write('[');
      for (int i = 0; i < list.size(); i++) {
        if (i > 0) {
          out.write(',');
        }
        value(out, list.get(i), field);
      }
      out.write(']');
    } else if (value instanceof Integer || value instanceof Long || value instanceof Boolean) {
      ascii(out, value.toString());
    } else if (value instanceof Number number) {
      ascii(out, Double.toString(number.doubleValue()));
    } else {
      string(out, String.valueOf(value), field);
    }
  }

  private static void string(ByteArrayOutputStream out, String text, String field) {
    out.write('"');
    try {
      out.writeBytes(STRINGS.quoteAsUTF8(text));
    } catch (IllegalArgumentException unpairedSurrogate) {
      throw new IllegalArgumentException(field + ": is not valid Unicode (it has an unpaired surrogate)");
    }
    out.write('"');
  }

  private static void ascii(ByteArrayOutputStream out, String text) {
    out.writeBytes(text.getBytes(StandardCharsets.ISO_8859_1));
  }
}
