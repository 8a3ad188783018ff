package dev.completions.tck;

import dev.completions.api.Usage;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Assumptions;

/**
 * How a provider's server speaks, written by the provider's author for {@link
 * ProviderConformanceTest}: the kit scripts answers (tokens, an HTTP error, a cut connection) and
 * this adapter renders them in the provider's own wire format.
 *
 * <p>The four abstract methods are what every format has. The default methods are optional: a
 * format that has no such thing keeps the default, and the kit's tests that need it are skipped
 * (reported as aborted, naming the hook), never passed. Before scripting an answer with an optional
 * hook, the kit calls it once on a throw-away exchange on the test's own thread to learn whether
 * the format provides it, so hooks must not count their calls.
 */
public interface WireFormat {

  /**
   * Writes the head of a successful streamed answer (status line and headers).
   *
   * @param exchange the exchange to write to
   * @throws IOException when the client has gone
   */
  void head(LoopbackServer.Exchange exchange) throws IOException;

  /**
   * Writes one token, as the server sends it while streaming.
   *
   * @param exchange the exchange to write to
   * @param token the token
   * @throws IOException when the client has gone
   */
  void token(LoopbackServer.Exchange exchange, String token) throws IOException;

  /**
   * Ends a successful answer normally (finish marker, end of body).
   *
   * @param exchange the exchange to write to
   * @throws IOException when the client has gone
   */
  void end(LoopbackServer.Exchange exchange) throws IOException;

  /**
   * Writes a complete error answer with this HTTP status and message. Headers the kit adds with
   * {@link LoopbackServer.Exchange#addHeader} (such as {@code Retry-After}) must reach the client,
   * which they do when the answer is written with {@link LoopbackServer.Exchange#respond}.
   *
   * @param exchange the exchange to write to
   * @param status the HTTP status
   * @param message the error's message
   * @throws IOException when the client has gone
   */
  void error(LoopbackServer.Exchange exchange, int status, String message) throws IOException;

  /**
   * Writes what the format sends after the head and before any text, such as Anthropic's {@code
   * message_start} or OpenAI's role-only first chunk. The kit calls it in every streamed answer.
   * Default: nothing.
   *
   * @param exchange the exchange to write to
   * @throws IOException when the client has gone
   */
  default void preamble(LoopbackServer.Exchange exchange) throws IOException {}

  /**
   * Writes an error reported inside a successful stream after some text, as the format reports a
   * failure of the server (OpenAI: an {@code error} object of type {@code server_error}); the kit
   * expects a {@link dev.completions.api.ProviderException.ServerError} carrying {@code message}.
   * Default: the tests that need it are skipped.
   *
   * @param exchange the exchange to write to
   * @param message the error's message
   * @throws IOException when the client has gone
   */
  default void streamError(LoopbackServer.Exchange exchange, String message) throws IOException {
    notProvided("streamError");
  }

  /**
   * Ends the body cleanly (no reset, a proper end of the HTTP body) without the format's end
   * marker, as a proxy or a crashed worker does. Default: the tests that need it are skipped; keep
   * it for a format that has no end marker, whose answers may end anywhere.
   *
   * @param exchange the exchange to write to
   * @throws IOException when the client has gone
   */
  default void endWithoutMarker(LoopbackServer.Exchange exchange) throws IOException {
    notProvided("endWithoutMarker");
  }

  /**
   * Ends a successful answer normally, saying why generation stopped and how many tokens it used,
   * where the format says so (OpenAI: a chunk with {@code finish_reason} and one with {@code
   * usage}, then {@code [DONE]}). Default: the tests that need it are skipped.
   *
   * @param exchange the exchange to write to
   * @param finishReason why generation stopped, such as {@code stop}
   * @param usage the token counts
   * @throws IOException when the client has gone
   */
  default void finish(LoopbackServer.Exchange exchange, String finishReason, Usage usage)
      throws IOException {
    notProvided("finish");
  }

  /**
   * Writes one piece of the model's reasoning ("thinking"), which must not be mixed into the text.
   * Default: the tests that need it are skipped.
   *
   * @param exchange the exchange to write to
   * @param text the piece of reasoning
   * @throws IOException when the client has gone
   */
  default void reasoning(LoopbackServer.Exchange exchange, String text) throws IOException {
    notProvided("reasoning");
  }

  /**
   * Writes a complete non-streamed answer holding this text, head included, as the server answers a
   * request that asked for no stream. Default: the tests that need it are skipped.
   *
   * @param exchange the exchange to write to
   * @param text the answer's text
   * @throws IOException when the client has gone
   */
  default void nonStreamed(LoopbackServer.Exchange exchange, String text) throws IOException {
    notProvided("nonStreamed");
  }

  /**
   * Writes an answer that is one tool call and nothing else, split across events as a server
   * streams it (OpenAI: {@code delta.tool_calls} fragments of index 0, the first with the id and
   * the name, then one per piece of the arguments), then ends the answer as the format ends a turn
   * that calls a tool (OpenAI: {@code finish_reason} {@code "tool_calls"}, then {@code [DONE]}).
   * The kit calls it after the head and the preamble, on a request that offers the tool, and
   * expects {@link dev.completions.api.CompletionStream#toolCalls()} to hold exactly this call,
   * whole, at index 0, and {@link dev.completions.api.CompletionStream#finishReason()} to be {@code
   * tool_calls} (so a format that says {@code stop} after a call, as Ollama does, needs a provider
   * that reports {@code tool_calls} when the answer called a tool). A format that only ever sends a
   * call whole writes it in one event, the fragments joined; one without call ids cannot pass, and
   * keeps the default. Used only for providers that declare {@link
   * dev.completions.api.Capability#TOOLS}. Default: the tests that need it are skipped.
   *
   * @param exchange the exchange to write to
   * @param id the call's id, such as {@code call_kit_1}
   * @param name the tool's name
   * @param argumentFragments the arguments (JSON text) in pieces, in order, one event each; only
   *     their concatenation is JSON, a piece may end inside a string
   * @throws IOException when the client has gone
   */
  default void toolCall(
      LoopbackServer.Exchange exchange, String id, String name, List<String> argumentFragments)
      throws IOException {
    notProvided("toolCall");
  }

  private static void notProvided(String hook) {
    Assumptions.abort("the wire format does not provide WireFormat." + hook);
  }
}
