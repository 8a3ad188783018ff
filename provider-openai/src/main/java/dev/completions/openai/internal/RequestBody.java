package dev.completions.openai.internal;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import dev.completions.api.CompletionRequest;
import dev.completions.api.Message;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The JSON body of a chat-completion request, in the field order of the original Lockchat module. The body has a fixed
 * shape, so it is written straight into bytes: strings of printable ASCII without quotes or
 * backslashes (most prompts, every model id and option name) are copied as they are, every other
 * string is escaped by Jackson's encoder. Called once per request on the caller's thread, so it
 * creates no generator, no stream and no String beyond the temperature's. Not thread-safe (one
 * instance per request).
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
   * @throws IllegalArgumentException naming the message or option whose text is not valid
   *     Unicode (an unpaired surrogate cannot be sent as UTF-8)
   */
  public static byte[] render(CompletionRequest request, String model, Map<String, Object> options) {
    List<Message> messages = request.messages();
    int capacity = 96 + model.length();
    for (Message message : messages) {
      capacity += 32 + message.content().length();
    }
    RequestBody out = new RequestBody(capacity);
    out.ascii("{\"temperature\":");
    out.ascii(Double.toString(request.temperature()));
    out.ascii(",\"messages\":[");
    for (int i = 0; i < messages.size(); i++) {
      Message message = messages.get(i);
      out.ascii(i == 0 ? "{\"role\":\"" : ",{\"role\":\"");
      out.ascii(message.role().wireName());
      out.ascii("\",\"content\":");
      if (!out.string(message.content())) {
        throw notUnicode("messages[" + i + "].content");
      }
      out.write('}');
    }
    out.ascii("],\"model\":");
    if (!out.string(model)) {
      throw notUnicode("model");
    }
    out.ascii(request.stream() ? ",\"stream\":true" : ",\"stream\":false");
    for (Map.Entry<String, Object> option : options.entrySet()) {
      out.write(',');
      if (!out.string(option.getKey())) {
        throw notUnicode("options");
      }
      out.write(':');
      out.value(option.getValue(), option.getKey());
    }
    out.write('}');
    return out.length == out.bytes.length ? out.bytes : Arrays.copyOf(out.bytes, out.length);
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
    return new IllegalArgumentException(field + ": is not valid Unicode (it has an unpaired surrogate)");
  }
}
