package org.example.claude;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.completions.api.CompletionEvent;
import dev.completions.api.ProviderException;
import dev.completions.api.Usage;
import dev.completions.openai.ErrorRules;
import dev.completions.openai.EventSink;
import dev.completions.openai.ServerSentEvent;
import dev.completions.openai.WireDecoder;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * Anthropic's Messages answers, streamed or whole: {@code message_start} names the model and input
 * tokens; {@code text_delta} and {@code thinking_delta} are text and reasoning; {@code
 * message_delta} gives the finish reason in OpenAI's words ({@code end_turn} is {@code stop},
 * {@code max_tokens} {@code length}, {@code tool_use} {@code tool_calls}) and the output tokens;
 * without {@code message_stop} the answer was cut short. Pings and new event types are skipped.
 * Errors map by their Anthropic type as its HTTP status would ({@code overloaded_error}: a
 * retryable server error, as HTTP 529). One instance per answer; not thread-safe.
 */
final class ClaudeDecoder implements WireDecoder {

  static final JsonFactory JSON = JsonFactory.builder().build();

  private static final Map<String, String> FINISH =
      Map.of(
          "end_turn",
          "stop",
          "stop_sequence",
          "stop",
          "max_tokens",
          "length",
          "tool_use",
          "tool_calls",
          "refusal",
          "content_filter");

  private static final Map<String, Integer> STATUS =
      Map.of(
          "invalid_request_error",
          400,
          "authentication_error",
          401,
          "billing_error",
          402,
          "permission_error",
          403,
          "not_found_error",
          404,
          "request_too_large",
          413,
          "rate_limit_error",
          429,
          "api_error",
          500,
          "timeout_error",
          504,
          "overloaded_error",
          529);

  private long promptTokens = -1;

  @Override
  public boolean onEvent(ServerSentEvent event, EventSink sink) {
    Map<String, String> f = fields(event.data(), event.dataLength(), sink);
    switch (f.getOrDefault("type", "")) {
      case "message_start" -> {
        emit(
            f.get("message.model"),
            model -> new CompletionEvent.Answered(sink.provider(), model),
            sink);
        promptTokens = Long.parseLong(f.getOrDefault("message.usage.input_tokens", "-1"));
      }
      case "content_block_delta" -> content(f, "delta.", sink);
      case "message_delta" -> // newer versions of the API repeat the input tokens here
          end(
              f,
              "delta.",
              Long.parseLong(f.getOrDefault("usage.input_tokens", String.valueOf(promptTokens))),
              sink);
      case "message_stop" -> {
        return true;
      }
      case "error" -> throw error(f, sink);
      default -> {} // ping, content_block_start/stop, and types Anthropic may add
    }
    return false;
  }

  @Override
  public void onBody(byte[] body, int length, EventSink sink) {
    Map<String, String> f = fields(body, length, sink);
    emit(f.get("model"), model -> new CompletionEvent.Answered(sink.provider(), model), sink);
    for (int i = 0; f.containsKey("content." + i + ".type"); i++) {
      content(f, "content." + i + ".", sink);
    }
    end(f, "", Long.parseLong(f.getOrDefault("usage.input_tokens", "-1")), sink);
  }

  @Override
  public ProviderException.Builder onErrorStatus(int status, String body, EventSink sink) {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    Map<String, String> f =
        Objects.requireNonNullElse(flatten(bytes, bytes.length), Map.of()); // a proxy's page, say
    String message = f.get("error.message");
    return message == null
        ? sink.rules().forStatus(sink.provider(), status, ErrorRules.excerpt(body), body)
        : sink.rules()
            .forStatus(
                sink.provider(), status, message, f.getOrDefault("error.type", "") + " " + message);
  }

  /** A content block of the whole message, or a delta of one streamed. */
  private static void content(Map<String, String> f, String prefix, EventSink sink) {
    switch (f.getOrDefault(prefix + "type", "")) {
      case "text", "text_delta" -> emit(f.get(prefix + "text"), CompletionEvent.Text::new, sink);
      case "thinking", "thinking_delta" ->
          emit(f.get(prefix + "thinking"), CompletionEvent.Reasoning::new, sink);
      default -> {} // signatures, tool calls, citations: nothing the caller asked for or can show
    }
  }

  /** Delivers the event made of this value when the answer sent one; empty text is no token. */
  private static void emit(String value, Function<String, CompletionEvent> event, EventSink sink) {
    if (value != null && !value.isEmpty()) {
      sink.emit(event.apply(value));
    }
  }

  /** The finish reason found under this prefix, then the token counts. */
  private static void end(Map<String, String> f, String prefix, long promptTokens, EventSink sink) {
    emit(
        f.get(prefix + "stop_reason"),
        reason -> new CompletionEvent.Finish(FINISH.getOrDefault(reason, reason)),
        sink);
    emit(
        f.get("usage.output_tokens"),
        output ->
            new CompletionEvent.UsageReport(new Usage(promptTokens, Long.parseLong(output), -1)),
        sink);
  }

  private static ProviderException error(Map<String, String> f, EventSink sink) {
    String type = f.getOrDefault("error.type", "");
    return sink.rules()
        .forEvent(
            sink.provider(),
            f.getOrDefault("error.message", type),
            type,
            STATUS.getOrDefault(type, -1))
        .build();
  }

  private static Map<String, String> fields(byte[] data, int length, EventSink sink) {
    Map<String, String> fields = flatten(data, length);
    if (fields == null) {
      throw sink.malformed(
          "not a JSON object: "
              + ErrorRules.excerpt(new String(data, 0, length, StandardCharsets.UTF_8)));
    }
    return fields;
  }

  /**
   * The values as text by path ({@code message.model}, {@code content.0.text}), nulls left out;
   * null if no object.
   */
  private static Map<String, String> flatten(byte[] data, int length) {
    Map<String, String> fields = new HashMap<>();
    try (JsonParser json = JSON.createParser(data, 0, length)) {
      if (json.nextToken() == JsonToken.START_OBJECT) {
        walk(json, "", fields);
        return fields;
      }
    } catch (IOException notJson) {
      // reported by the caller
    }
    return null;
  }

  private static void walk(JsonParser json, String prefix, Map<String, String> fields)
      throws IOException {
    boolean array = json.currentToken() == JsonToken.START_ARRAY;
    int i = 0;
    // never null: Jackson throws on an end inside an object or array
    for (JsonToken token = json.nextToken(); !token.isStructEnd(); token = json.nextToken()) {
      String key = prefix + (array ? String.valueOf(i++) : json.currentName());
      token = array ? token : json.nextToken();
      if (token.isStructStart()) {
        walk(json, key + ".", fields);
      } else if (token != JsonToken.VALUE_NULL) {
        fields.put(key, json.getText());
      }
    }
  }
}
