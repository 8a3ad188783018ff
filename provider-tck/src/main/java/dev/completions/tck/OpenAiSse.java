package dev.completions.tck;

import dev.completions.api.Usage;
import java.io.IOException;
import java.util.List;

/**
 * OpenAI's streamed chat-completion wire format, for tests of OpenAI-compatible providers: the
 * events a server sends ({@code chat.completion.chunk} objects, then {@code data: [DONE]}) and a
 * {@link WireFormat} for {@link ProviderConformanceTest}. Stateless; thread-safe.
 */
public final class OpenAiSse {

  /** The event that opens an answer: the assistant role and no text. */
  public static final String ROLE = delta("{\"role\":\"assistant\"}", null);

  /** The event that ends the text: an empty delta with {@code finish_reason: "stop"}. */
  public static final String STOP = delta("{}", "stop");

  /**
   * The event that ends an answer that calls tools: an empty delta with {@code finish_reason:
   * "tool_calls"}.
   */
  public static final String TOOL_CALLS = delta("{}", "tool_calls");

  /** The end marker. */
  public static final String DONE = "data: [DONE]\n\n";

  private OpenAiSse() {}

  /**
   * One event carrying a content delta, as OpenAI sends it (with an id, object and model).
   *
   * @param text the delta's content
   * @return the event, as its bytes go on the wire
   */
  public static String content(String text) {
    return "data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"model\":\"gpt-3.5-turbo-0613\","
        + "\"choices\":[{\"index\":0,\"delta\":{\"content\":"
        + LoopbackServer.jsonString(text)
        + "},\"finish_reason\":null}]}\n\n";
  }

  /**
   * One event with this delta object and finish reason.
   *
   * @param deltaJson the {@code delta} object as JSON
   * @param finishReason the finish reason, or null
   * @return the event, as its bytes go on the wire
   */
  public static String delta(String deltaJson, String finishReason) {
    return "data: {\"choices\":[{\"index\":0,\"delta\":"
        + deltaJson
        + ",\"finish_reason\":"
        + (finishReason == null ? "null" : LoopbackServer.jsonString(finishReason))
        + "}]}\n\n";
  }

  /**
   * One event holding an error object, as OpenAI-compatible servers send it inside a 200 stream.
   *
   * @param message the error's {@code message}
   * @param type the error's {@code type}
   * @param code the error's {@code code}: a String is sent as a JSON string, anything else as is
   * @return the event, as its bytes go on the wire
   */
  public static String error(String message, String type, Object code) {
    return "data: {\"error\":{\"message\":"
        + LoopbackServer.jsonString(message)
        + ",\"type\":"
        + LoopbackServer.jsonString(type)
        + ",\"code\":"
        + (code instanceof String s ? LoopbackServer.jsonString(s) : String.valueOf(code))
        + "}}\n\n";
  }

  /**
   * One event carrying a piece of reasoning ({@code reasoning_content}, as DeepSeek and Groq send
   * it).
   *
   * @param text the piece of reasoning
   * @return the event, as its bytes go on the wire
   */
  public static String reasoning(String text) {
    return delta("{\"reasoning_content\":" + LoopbackServer.jsonString(text) + "}", null);
  }

  /**
   * The event that opens a tool call, as OpenAI streams it: a {@code delta.tool_calls} entry with
   * the index, the call's id, {@code "type":"function"}, the tool's name and empty arguments.
   *
   * @param index the call's index in the answer
   * @param id the call's id
   * @param name the tool's name
   * @return the event, as its bytes go on the wire
   */
  public static String toolCallStart(int index, String id, String name) {
    return delta(
        "{\"tool_calls\":[{\"index\":"
            + index
            + ",\"id\":"
            + LoopbackServer.jsonString(id)
            + ",\"type\":\"function\",\"function\":{\"name\":"
            + LoopbackServer.jsonString(name)
            + ",\"arguments\":\"\"}}]}",
        null);
  }

  /**
   * One event carrying a piece of a tool call's arguments, as OpenAI streams them after {@link
   * #toolCallStart}: a {@code delta.tool_calls} entry with only the index and {@code
   * function.arguments}.
   *
   * @param index the call's index, as in its {@link #toolCallStart}
   * @param fragment the piece of the arguments' JSON text
   * @return the event, as its bytes go on the wire
   */
  public static String toolCallArguments(int index, String fragment) {
    return delta(
        "{\"tool_calls\":[{\"index\":"
            + index
            + ",\"function\":{\"arguments\":"
            + LoopbackServer.jsonString(fragment)
            + "}}]}",
        null);
  }

  /**
   * One event carrying token counts and no choices, as OpenAI sends it last when asked to.
   *
   * @param usage the token counts
   * @return the event, as its bytes go on the wire
   */
  public static String usage(Usage usage) {
    return "data: {\"choices\":[],\"usage\":{\"prompt_tokens\":"
        + usage.promptTokens()
        + ",\"completion_tokens\":"
        + usage.completionTokens()
        + ",\"total_tokens\":"
        + usage.totalTokens()
        + "}}\n\n";
  }

  /**
   * A whole non-streamed answer: one {@code chat.completion} object holding this text.
   *
   * @param text the answer's content
   * @return the response body
   */
  public static String completion(String text) {
    return "{\"id\":\"c1\",\"object\":\"chat.completion\",\"model\":\"gpt-3.5-turbo-0613\",\"choices\":[{\"index\":0,"
        + "\"message\":{\"role\":\"assistant\",\"content\":"
        + LoopbackServer.jsonString(text)
        + "},"
        + "\"finish_reason\":\"stop\"}]}";
  }

  /**
   * A complete answer: the role, one content event per token, the stop event and the end marker.
   *
   * @param tokens the tokens, in order
   * @return the events, in order
   */
  public static String[] answer(List<String> tokens) {
    String[] events = new String[tokens.size() + 3];
    events[0] = ROLE;
    for (int i = 0; i < tokens.size(); i++) {
      events[i + 1] = content(tokens.get(i));
    }
    events[events.length - 2] = STOP;
    events[events.length - 1] = DONE;
    return events;
  }

  /**
   * A 200 {@code text/event-stream} answer, one HTTP chunk per event, then the end of the body.
   *
   * @param events the events, in order
   * @return the script that serves them
   */
  public static LoopbackServer.Script stream(String... events) {
    return LoopbackServer.streamed("text/event-stream", events);
  }

  /**
   * OpenAI's format for {@link ProviderConformanceTest}, every optional hook included: the role
   * event as preamble, errors as {@code {"error":{"message":...}}} (in a stream, of type {@code
   * server_error}), {@code finish_reason} and {@code usage} chunks before {@code [DONE]}, {@code
   * reasoning_content} deltas, {@code chat.completion} bodies for non-streamed answers, and tool
   * calls as {@code delta.tool_calls} fragments ({@link #toolCallStart}, one {@link
   * #toolCallArguments} per piece) ended by {@link #TOOL_CALLS} and {@code [DONE]}.
   *
   * @return the wire format
   */
  public static WireFormat wireFormat() {
    return new WireFormat() {
      @Override
      public void head(LoopbackServer.Exchange exchange) throws IOException {
        exchange.chunkedHead(200, "Content-Type: text/event-stream");
      }

      @Override
      public void preamble(LoopbackServer.Exchange exchange) throws IOException {
        exchange.chunk(ROLE);
      }

      @Override
      public void token(LoopbackServer.Exchange exchange, String token) throws IOException {
        exchange.chunk(content(token));
      }

      @Override
      public void end(LoopbackServer.Exchange exchange) throws IOException {
        exchange.chunk(STOP + DONE);
        exchange.endChunks();
      }

      @Override
      public void error(LoopbackServer.Exchange exchange, int status, String message)
          throws IOException {
        exchange.respond(
            status,
            "application/json",
            "{\"error\":{\"message\":" + LoopbackServer.jsonString(message) + "}}");
      }

      @Override
      public void streamError(LoopbackServer.Exchange exchange, String message) throws IOException {
        exchange.chunk(OpenAiSse.error(message, "server_error", null));
        exchange.endChunks();
      }

      @Override
      public void endWithoutMarker(LoopbackServer.Exchange exchange) throws IOException {
        // neither a finish_reason nor [DONE]: after a finish_reason, OpenAI's answer is complete
        exchange.endChunks();
      }

      @Override
      public void finish(LoopbackServer.Exchange exchange, String finishReason, Usage usage)
          throws IOException {
        exchange.chunk(delta("{}", finishReason) + usage(usage) + DONE);
        exchange.endChunks();
      }

      @Override
      public void reasoning(LoopbackServer.Exchange exchange, String text) throws IOException {
        exchange.chunk(OpenAiSse.reasoning(text));
      }

      @Override
      public void toolCall(
          LoopbackServer.Exchange exchange, String id, String name, List<String> argumentFragments)
          throws IOException {
        exchange.chunk(toolCallStart(0, id, name));
        for (String fragment : argumentFragments) {
          exchange.chunk(toolCallArguments(0, fragment));
        }
        exchange.chunk(TOOL_CALLS + DONE);
        exchange.endChunks();
      }

      @Override
      public void nonStreamed(LoopbackServer.Exchange exchange, String text) throws IOException {
        exchange.respond(200, "application/json", completion(text));
      }
    };
  }
}
