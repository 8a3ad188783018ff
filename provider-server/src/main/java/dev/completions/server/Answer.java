package dev.completions.server;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.io.JsonStringEncoder;
import dev.completions.api.CompletionEvent;
import dev.completions.api.CompletionStream;
import dev.completions.api.ProviderException;
import dev.completions.api.ToolCall;
import dev.completions.api.Usage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.UUID;
import java.util.concurrent.Executor;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Response;

/**
 * Writes one answer in OpenAI's shapes: a {@code text/event-stream} of {@code
 * chat.completion.chunk}s ending with {@code data: [DONE]}, or one {@code chat.completion}. The
 * status is decided at the answer's first event (text, reasoning, refusal or a tool-call fragment)
 * or at its end (a finish alone may still end as an empty answer, which gets its 502): a failure
 * before it is thrown as an {@link HttpError} with its real status; a failure after it is one
 * in-band {@code data: {"error":...}} event, then {@code [DONE]}. Events of kinds it does not
 * translate are skipped. Chunks are written behind the reading ({@link WriteBehind}): the first at
 * once, those that arrive while a write is in flight together once it completes, the reading
 * waiting only while a slow client leaves too many unwritten. A write that fails (the client went
 * away) closes the stream at once, which aborts the upstream call. One per request; its methods run
 * on one thread.
 */
final class Answer {

  private static final byte[] DONE = "data: [DONE]\n\n".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] CHOICES =
      "\"choices\":[{\"index\":0,\"delta\":".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] CONTENT = "{\"content\":\"".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] CONTENT_END =
      "\"},\"finish_reason\":null}]}\n\n".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] ROLE = "{\"role\":\"assistant\"}".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] NO_DELTA = "{}".getBytes(StandardCharsets.US_ASCII);

  /**
   * An event read within this time of asking came from bytes already received: reading one from the
   * socket means a wake-up, which takes longer.
   */
  private static final long BURST_NANOS = 10_000;

  private static final byte[] NOT_FINISHED =
      ",\"finish_reason\":null}]}\n\n".getBytes(StandardCharsets.US_ASCII);

  private final Response response;
  private final CompletionStream stream;
  private final WriteBehind out;
  private final String id = "chatcmpl-" + UUID.randomUUID().toString().replace("-", "");
  private final long created = System.currentTimeMillis() / 1000;
  private final JsonStringEncoder encoder = JsonStringEncoder.getInstance();
  private String model;
  private String provider;
  private byte[] prefix;
  private byte[] buffer = new byte[512];
  private int length;

  /**
   * @param executor writes the chunks of a burst while this thread reads on
   */
  Answer(Response response, Executor executor, CompletionStream stream, String model) {
    this.response = response;
    this.stream = stream;
    this.model = model;
    this.out = new WriteBehind(response, executor, stream::close);
  }

  /**
   * Streams the answer as server-sent events.
   *
   * @param includeUsage whether a last chunk carries the usage ({@code stream_options})
   * @throws HttpError when the answer fails before its first event
   * @throws IOException when the client went away (the stream is closed by then)
   */
  void stream(boolean includeUsage) throws IOException {
    try {
      long asked = System.nanoTime();
      for (CompletionEvent event : stream.events()) {
        if (event instanceof CompletionEvent.Answered answered) {
          provider = answered.provider();
          model = answered.model();
          continue;
        }
        if (!isAnswer(event)) {
          continue; // the finish is written at the end, once: usage may still follow it
        }
        // an event that came at once was sent with others, and more are likely to be read before
        // the upstream makes this thread wait: it is written behind, on another thread, and those
        // that follow while that write is in flight go out with the next one
        boolean burst = System.nanoTime() - asked < BURST_NANOS;
        boolean first = prefix == null;
        if (first) {
          commit(); // the role chunk, written with the first answer chunk
        }
        if (event instanceof CompletionEvent.Text text) {
          text(text.text());
        } else if (event instanceof CompletionEvent.Reasoning reasoning) {
          delta(Catalog.json(json -> json.writeStringField("reasoning_content", reasoning.text())));
        } else if (event instanceof CompletionEvent.Refusal refusal) {
          delta(Catalog.json(json -> json.writeStringField("refusal", refusal.text())));
        } else if (event instanceof CompletionEvent.ToolCallDelta call) {
          delta(Catalog.json(json -> toolCall(json, call)));
        }
        out.flush(first || !burst); // the first chunk at once, for the time to the first token
        asked = System.nanoTime();
      }
    } catch (ProviderException e) {
      if (prefix == null) {
        throw HttpError.of(e);
      }
      error(HttpError.of(e));
      return;
    }
    if (prefix == null) {
      commit();
    }
    start();
    append(prefix);
    append(NO_DELTA);
    append(
        (",\"finish_reason\":\"" + stream.finishReason().orElse("stop") + "\"}]}\n\n")
            .getBytes(StandardCharsets.US_ASCII));
    emit();
    if (stream.usage().isPresent()) {
      start();
      if (includeUsage) {
        // OpenAI's last chunk: no choices, the usage
        append(prefix, 0, prefix.length - CHOICES.length);
        append("\"choices\":[],".getBytes(StandardCharsets.US_ASCII));
      } else {
        // not asked for: still a last chunk of its own (openai-java's accumulator takes a chunk
        // with usage for the end and ignores its choices), with an empty choice for clients that
        // read choices[0] of every chunk (as vLLM and Groq add usage to chunks); so our own engine
        // gets the usage back without asking
        append(prefix);
        append("{},\"finish_reason\":null}],".getBytes(StandardCharsets.US_ASCII));
      }
      append(Catalog.json(json -> usage(json, stream.usage().get())), 1, -1);
      append("}\n\n".getBytes(StandardCharsets.US_ASCII));
      emit();
    }
    out.finish(DONE);
  }

  /**
   * Reads the whole answer and writes one {@code chat.completion}.
   *
   * @throws HttpError when the answer fails
   * @throws IOException when the client went away
   */
  void whole() throws IOException {
    StringBuilder text = new StringBuilder();
    StringBuilder reasoning = new StringBuilder();
    StringBuilder refusal = new StringBuilder();
    try {
      for (CompletionEvent event : stream.events()) {
        if (event instanceof CompletionEvent.Text piece) {
          text.append(piece.text());
        } else if (event instanceof CompletionEvent.Reasoning piece) {
          reasoning.append(piece.text());
        } else if (event instanceof CompletionEvent.Refusal piece) {
          refusal.append(piece.text());
        }
      }
    } catch (ProviderException e) {
      throw HttpError.of(e);
    }
    model = stream.model();
    provider = stream.provider();
    byte[] body =
        Catalog.json(
            json -> {
              json.writeStringField("id", id);
              json.writeStringField("object", "chat.completion");
              json.writeNumberField("created", created);
              json.writeStringField("model", model);
              json.writeArrayFieldStart("choices");
              json.writeStartObject();
              json.writeNumberField("index", 0);
              json.writeObjectFieldStart("message");
              json.writeStringField("role", "assistant");
              if (text.length() == 0 && !stream.toolCalls().isEmpty()) {
                json.writeNullField("content");
              } else {
                json.writeStringField("content", text.toString());
              }
              if (reasoning.length() > 0) {
                json.writeStringField("reasoning_content", reasoning.toString());
              }
              if (refusal.length() > 0) {
                json.writeStringField("refusal", refusal.toString());
              }
              if (!stream.toolCalls().isEmpty()) {
                json.writeArrayFieldStart("tool_calls");
                for (ToolCall call : stream.toolCalls()) {
                  json.writeStartObject();
                  json.writeStringField("id", call.id());
                  json.writeStringField("type", "function");
                  json.writeObjectFieldStart("function");
                  json.writeStringField("name", call.name());
                  json.writeStringField("arguments", call.arguments());
                  json.writeEndObject();
                  json.writeEndObject();
                }
                json.writeEndArray();
              }
              json.writeEndObject();
              json.writeStringField("finish_reason", stream.finishReason().orElse("stop"));
              json.writeEndObject();
              json.writeEndArray();
              if (stream.usage().isPresent()) {
                usage(json, stream.usage().get());
              }
            });
    response.setStatus(200);
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
    providerHeader();
    out.finish(body);
  }

  private static boolean isAnswer(CompletionEvent event) {
    return event instanceof CompletionEvent.Text
        || event instanceof CompletionEvent.Reasoning
        || event instanceof CompletionEvent.Refusal
        || event instanceof CompletionEvent.ToolCallDelta;
  }

  /**
   * 200, the event-stream headers and the role chunk, written with the next chunk; from here on
   * errors are in-band.
   */
  private void commit() throws IOException {
    prefix =
        ("data: {\"id\":\""
                + id
                + "\",\"object\":\"chat.completion.chunk\",\"created\":"
                + created
                + ",\"model\":\""
                + new String(encoder.quoteAsString(model))
                + "\",\"choices\":[{\"index\":0,\"delta\":")
            .getBytes(StandardCharsets.UTF_8);
    response.setStatus(200);
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/event-stream; charset=utf-8");
    response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-cache");
    response.getHeaders().put("X-Accel-Buffering", "no"); // proxies such as nginx: do not buffer
    providerHeader();
    delta(ROLE);
  }

  private void providerHeader() {
    if (provider != null) {
      response.getHeaders().put("X-Completions-Provider", provider);
    }
  }

  /** The common chunk, without a JSON generator: the prefix, the escaped text, the suffix. */
  private void text(String text) throws IOException {
    start();
    append(prefix);
    append(CONTENT);
    append(encoder.quoteAsUTF8(text));
    append(CONTENT_END);
    emit();
  }

  /** A chunk of this delta object, not finished. */
  private void delta(byte[] delta) throws IOException {
    start();
    append(prefix);
    append(delta);
    append(NOT_FINISHED);
    emit();
  }

  private static void toolCall(JsonGenerator json, CompletionEvent.ToolCallDelta call)
      throws IOException {
    json.writeArrayFieldStart("tool_calls");
    json.writeStartObject();
    json.writeNumberField("index", call.index());
    if (!call.id().isEmpty()) {
      json.writeStringField("id", call.id());
      json.writeStringField("type", "function");
    }
    json.writeObjectFieldStart("function");
    if (!call.name().isEmpty()) {
      json.writeStringField("name", call.name());
    }
    json.writeStringField("arguments", call.arguments());
    json.writeEndObject();
    json.writeEndObject();
    json.writeEndArray();
  }

  private static void usage(JsonGenerator json, Usage usage) throws IOException {
    json.writeObjectFieldStart("usage");
    json.writeNumberField("prompt_tokens", Math.max(0, usage.promptTokens()));
    json.writeNumberField("completion_tokens", Math.max(0, usage.completionTokens()));
    json.writeNumberField("total_tokens", Math.max(0, usage.totalTokens()));
    json.writeEndObject();
  }

  /** The in-band error after the status was sent, then the end marker. */
  private void error(HttpError error) throws IOException {
    start();
    append("data: ".getBytes(StandardCharsets.US_ASCII));
    append(Gateway.errorBody(error));
    append("\n\n".getBytes(StandardCharsets.US_ASCII));
    emit();
    out.finish(DONE);
  }

  private void start() {
    length = 0;
  }

  private void append(byte[] bytes) {
    append(bytes, 0, bytes.length);
  }

  /** Appends bytes[from, to); a negative {@code to} counts from the end. */
  private void append(byte[] bytes, int from, int to) {
    int end = to < 0 ? bytes.length + to : to;
    int count = end - from;
    if (length + count > buffer.length) {
      buffer = Arrays.copyOf(buffer, Math.max(buffer.length * 2, length + count));
    }
    System.arraycopy(bytes, from, buffer, length, count);
    length += count;
  }

  /** Hands the chunk built to the writer, which writes it at the next flush or finish. */
  private void emit() throws IOException {
    out.add(buffer, 0, length);
  }
}
