package org.example.claude;

import dev.completions.api.ConfigSource;
import dev.completions.api.Usage;
import dev.completions.tck.LoopbackServer;
import dev.completions.tck.WireFormat;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Anthropic's streamed Messages format as api.anthropic.com sends it (recorded shapes, with the
 * {@code event:} line before each {@code data:} line), and providers pointed at a loopback server.
 */
final class AnthropicSse {

  static final String KEY = "sk-ant-api03-test-key";
  static final String MODEL = "claude-sonnet-4-5-20250929";

  static final String PING = event("ping", "{\"type\": \"ping\"}");
  static final String MESSAGE_STOP = event("message_stop", "{\"type\":\"message_stop\"}");

  private AnthropicSse() {}

  /**
   * A provider for {@code {server}/v1}, keyed from {@code ANTHROPIC_API_KEY}, with this many
   * attempts.
   */
  static ClaudeProvider provider(LoopbackServer server, int attempts) {
    return new ClaudeProvider(
        ClaudeProvider.DEFAULTS.withSettings(
            ConfigSource.of(
                Map.of(
                    "claude.url",
                    server.url() + "/v1",
                    "claude.attempts",
                    String.valueOf(attempts)),
                Map.of("ANTHROPIC_API_KEY", KEY))));
  }

  static String event(String type, String json) {
    return "event: " + type + "\ndata: " + json + "\n\n";
  }

  static String messageStart(int inputTokens) {
    return event(
        "message_start",
        "{\"type\":\"message_start\",\"message\":{\"id\":\"msg_01XFDUDYJgAACzvnptvVoYEL\","
            + "\"type\":\"message\",\"role\":\"assistant\",\"content\":[],\"model\":\""
            + MODEL
            + "\",\"stop_reason\":null,"
            + "\"stop_sequence\":null,\"usage\":{\"input_tokens\":"
            + inputTokens
            + ",\"cache_creation_input_tokens\":0,"
            + "\"cache_read_input_tokens\":0,\"output_tokens\":1}}}");
  }

  static String blockStart(int index, String type) {
    String empty =
        type.equals("thinking") ? "\"thinking\":\"\",\"signature\":\"\"" : "\"text\":\"\"";
    return event(
        "content_block_start",
        "{\"type\":\"content_block_start\",\"index\":"
            + index
            + ",\"content_block\":{\"type\":\""
            + type
            + "\","
            + empty
            + "}}");
  }

  static String textDelta(int index, String text) {
    return delta(
        index, "{\"type\":\"text_delta\",\"text\":" + LoopbackServer.jsonString(text) + "}");
  }

  static String thinkingDelta(int index, String text) {
    return delta(
        index,
        "{\"type\":\"thinking_delta\",\"thinking\":" + LoopbackServer.jsonString(text) + "}");
  }

  static String signatureDelta(int index) {
    return delta(
        index,
        "{\"type\":\"signature_delta\",\"signature\":\"EqQBCgIYAhIM1gbcDa9GJwZA2b3hGgxBdjrkzLoky3dl1pkiMOYds\"}");
  }

  private static String delta(int index, String delta) {
    return event(
        "content_block_delta",
        "{\"type\":\"content_block_delta\",\"index\":" + index + ",\"delta\":" + delta + "}");
  }

  static String blockStop(int index) {
    return event("content_block_stop", "{\"type\":\"content_block_stop\",\"index\":" + index + "}");
  }

  static String messageDelta(String stopReason, int outputTokens) {
    return event(
        "message_delta",
        "{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\""
            + stopReason
            + "\",\"stop_sequence\":null},\"usage\":{\"output_tokens\":"
            + outputTokens
            + "}}");
  }

  /** The error event Anthropic sends inside a 200 stream. */
  static String errorEvent(String type, String message) {
    return event("error", errorBody(type, message));
  }

  /** Anthropic's error object, the body of an HTTP error too. */
  static String errorBody(String type, String message) {
    return "{\"type\":\"error\",\"error\":{\"type\":\""
        + type
        + "\",\"message\":"
        + LoopbackServer.jsonString(message)
        + "},\"request_id\":\"req_011CSHoEeqs5C35K2UUqR7Fy\"}";
  }

  /**
   * A whole answer: one text block with these tokens, ended by {@code end_turn} after 15 output
   * tokens.
   */
  static String[] answer(String... tokens) {
    List<String> events = new ArrayList<>(List.of(messageStart(25), blockStart(0, "text"), PING));
    for (String token : tokens) {
      events.add(textDelta(0, token));
    }
    events.addAll(List.of(blockStop(0), messageDelta("end_turn", 15), MESSAGE_STOP));
    return events.toArray(String[]::new);
  }

  /** A 200 {@code text/event-stream} answer, one HTTP chunk per event. */
  static LoopbackServer.Script stream(String... events) {
    return LoopbackServer.streamed("text/event-stream", events);
  }

  /** An HTTP error answer with Anthropic's error body and these extra headers. */
  static LoopbackServer.Script httpError(
      int status, String type, String message, String... headers) {
    return exchange ->
        exchange.respond(status, "application/json", errorBody(type, message), headers);
  }

  /**
   * Anthropic's format for the conformance kit. The kit's hooks cannot know which content block is
   * open, so text and thinking deltas come without their block starts and stops (the provider needs
   * neither): thinking in block 0, text in block 1.
   */
  static WireFormat wireFormat() {
    return new WireFormat() {
      @Override
      public void head(LoopbackServer.Exchange exchange) throws IOException {
        exchange.chunkedHead(200, "Content-Type: text/event-stream; charset=utf-8");
      }

      @Override
      public void preamble(LoopbackServer.Exchange exchange) throws IOException {
        exchange.chunk(messageStart(12) + PING);
      }

      @Override
      public void token(LoopbackServer.Exchange exchange, String token) throws IOException {
        exchange.chunk(textDelta(1, token));
      }

      @Override
      public void reasoning(LoopbackServer.Exchange exchange, String text) throws IOException {
        exchange.chunk(thinkingDelta(0, text));
      }

      @Override
      public void end(LoopbackServer.Exchange exchange) throws IOException {
        exchange.chunk(blockStop(1) + messageDelta("end_turn", 7) + MESSAGE_STOP);
        exchange.endChunks();
      }

      @Override
      public void finish(LoopbackServer.Exchange exchange, String finishReason, Usage usage)
          throws IOException {
        String stopReason =
            switch (finishReason) {
              case "stop" -> "end_turn";
              case "length" -> "max_tokens";
              case "tool_calls" -> "tool_use";
              default -> finishReason;
            };
        exchange.chunk(
            blockStop(1)
                + event(
                    "message_delta",
                    "{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\""
                        + stopReason
                        + "\",\"stop_sequence\":null},\"usage\":{\"input_tokens\":"
                        + usage.promptTokens()
                        + ",\"cache_creation_input_tokens\":0,\"cache_read_input_tokens\":0,\"output_tokens\":"
                        + usage.completionTokens()
                        + "}}")
                + MESSAGE_STOP);
        exchange.endChunks();
      }

      @Override
      public void streamError(LoopbackServer.Exchange exchange, String message) throws IOException {
        exchange.chunk(errorEvent("overloaded_error", message));
        exchange.endChunks();
      }

      @Override
      public void endWithoutMarker(LoopbackServer.Exchange exchange) throws IOException {
        exchange.chunk(blockStop(1) + messageDelta("end_turn", 7));
        exchange.endChunks();
      }

      @Override
      public void nonStreamed(LoopbackServer.Exchange exchange, String text) throws IOException {
        exchange.respond(200, "application/json", wholeMessage(text));
      }

      @Override
      public void error(LoopbackServer.Exchange exchange, int status, String message)
          throws IOException {
        String type =
            switch (status) {
              case 401 -> "authentication_error";
              case 403 -> "permission_error";
              case 404 -> "not_found_error";
              case 413 -> "request_too_large";
              case 429 -> "rate_limit_error";
              case 529 -> "overloaded_error";
              default -> status >= 500 ? "api_error" : "invalid_request_error";
            };
        exchange.respond(status, "application/json", errorBody(type, message));
      }
    };
  }

  /** A non-streamed answer holding this text in one text block. */
  static String wholeMessage(String text) {
    return "{\"id\":\"msg_01\",\"type\":\"message\",\"role\":\"assistant\",\"model\":\""
        + MODEL
        + "\",\"content\":[{\"type\":\"text\",\"text\":"
        + LoopbackServer.jsonString(text)
        + "}],"
        + "\"stop_reason\":\"end_turn\",\"stop_sequence\":null,\"usage\":{\"input_tokens\":12,\"output_tokens\":6}}";
  }
}
