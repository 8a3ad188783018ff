package dev.completions.api;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.TreeMap;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * The answer to one request, read as it arrives: tokens in a for-each loop, a {@link #stream()},
 * one {@link #text()}, or typed {@link #events()}. After the end it tells the {@link
 * #finishReason()}, the {@link #usage()}, the merged {@link #toolCalls()}, and which {@link
 * #provider()} and {@link #model()} answered.
 *
 * <p>Single pass: every iterator continues where the previous one stopped. One thread reads; {@link
 * #close()} may be called from any thread and aborts a read in progress (the reader gets a {@link
 * ProviderException.Cancelled}). Always close the stream (try-with-resources); reading to the end
 * closes it too. Failures are {@link ProviderException}s carrying the text delivered before them.
 * An answer with no text, no reasoning, no tool call and no refusal ends in a {@link
 * ProviderException.EmptyAnswer}, never in a silent empty string.
 *
 * <p>Memory stays flat on answers of any length: the text kept for {@link
 * ProviderException#partialText()} is capped at {@value #PARTIAL_TEXT_LIMIT} characters, except
 * when {@link #text()} collects the whole answer.
 */
public final class CompletionStream implements Iterable<String>, AutoCloseable {

  /** How many characters of delivered text are kept for error reports while iterating. */
  public static final int PARTIAL_TEXT_LIMIT = 1 << 20;

  private final EventFeed source;
  private String provider;
  private final StringBuilder delivered = new StringBuilder();
  private String model;
  private boolean keepAllText;
  private boolean truncated;
  private boolean done;
  private boolean refused;
  private boolean reasoned;
  private volatile boolean closed;
  private String finishReason;
  private Usage usage;
  private TreeMap<Integer, ToolCallParts> toolCalls;

  private CompletionStream(String provider, String model, EventFeed source) {
    this.provider = provider;
    this.model = model;
    this.source = source;
  }

  /**
   * Wraps a provider's event source. Does no I/O.
   *
   * @param provider the name of the provider that answers; replaced by a {@link
   *     CompletionEvent.Answered} event
   * @param model the model asked for; replaced by a {@link CompletionEvent.Answered} event
   * @param source where events come from; closed when the stream ends or is closed
   * @return the stream, not yet started
   */
  public static CompletionStream of(String provider, String model, EventFeed source) {
    if (provider == null || model == null || source == null) {
      throw new IllegalArgumentException("provider, model and source must not be null");
    }
    return new CompletionStream(provider, model, source);
  }

  /**
   * {@return the answer's text pieces, in order, as they arrive; reasoning and refusals are left
   * out}
   */
  @Override
  public Iterator<String> iterator() {
    Iterator<CompletionEvent> events = events().iterator();
    return new Iterator<>() {
      private String next;

      @Override
      public boolean hasNext() {
        while (next == null && events.hasNext()) {
          if (events.next() instanceof CompletionEvent.Text text) {
            next = text.text();
          }
        }
        return next != null;
      }

      @Override
      public String next() {
        if (!hasNext()) {
          throw new NoSuchElementException();
        }
        String token = next;
        next = null;
        return token;
      }
    };
  }

  /** {@return every event of the answer, in order, as it arrives} */
  public Iterable<CompletionEvent> events() {
    return () ->
        new Iterator<>() {
          private CompletionEvent next;

          @Override
          public boolean hasNext() {
            if (next == null) {
              next = pull();
            }
            return next != null;
          }

          @Override
          public CompletionEvent next() {
            if (!hasNext()) {
              throw new NoSuchElementException();
            }
            CompletionEvent event = next;
            next = null;
            return event;
          }
        };
  }

  /** {@return the tokens as a sequential {@link Stream}; closing it closes this stream} */
  public Stream<String> stream() {
    return StreamSupport.stream(
            Spliterators.spliteratorUnknownSize(
                iterator(), Spliterator.ORDERED | Spliterator.NONNULL),
            false)
        .onClose(this::close);
  }

  /**
   * Reads to the end and returns the whole answer text, including tokens already read.
   *
   * @throws IllegalStateException when more than {@value #PARTIAL_TEXT_LIMIT} characters were
   *     already read by iteration, so the start of the text is gone
   * @throws ProviderException when the answer fails
   * @return the whole answer text
   */
  public String text() {
    if (truncated) {
      throw new IllegalStateException(
          "text() must be called before more than "
              + PARTIAL_TEXT_LIMIT
              + " characters are read by iteration");
    }
    keepAllText = true;
    try {
      for (CompletionEvent ignored : events()) {
        // pull() records every event; only the accumulated text is wanted here
      }
      return delivered.toString();
    } finally {
      close();
    }
  }

  /**
   * {@return the name of the provider that answered (for a fallback chain, the link that answered)}
   */
  public String provider() {
    return provider;
  }

  /**
   * {@return the model that answered: the provider's report when it sent one, else the model asked
   * for}
   */
  public String model() {
    return model;
  }

  /**
   * Why generation stopped, once the provider said so, in one small closed set: {@code stop} (the
   * model ended, or hit a stop sequence), {@code length} (a token limit or the context), {@code
   * tool_calls}, {@code content_filter}, or {@code other}. See {@link #rawFinishReason()} for the
   * provider's own word.
   *
   * @return the reason, once known
   */
  public Optional<String> finishReason() {
    return Optional.ofNullable(finishReason).map(CompletionStream::normalizedFinish);
  }

  /**
   * {@return why generation stopped, in the provider's own word (such as Anthropic's {@code
   * end_turn})}
   */
  public Optional<String> rawFinishReason() {
    return Optional.ofNullable(finishReason);
  }

  /**
   * The closed set of {@link #finishReason()} for a provider's raw reason.
   *
   * @param raw the provider's own word, or null
   * @return the reason in the closed set, or {@code other}
   */
  static String normalizedFinish(String raw) {
    return switch (raw.toLowerCase(java.util.Locale.ROOT)) {
      case "stop", "end_turn", "stop_sequence", "eos", "eos_token", "end", "done", "complete" ->
          "stop";
      case "length", "max_tokens", "max_output_tokens", "model_length", "context_length" ->
          "length";
      case "tool_calls", "tool_use", "function_call", "tool_call" -> "tool_calls";
      case "content_filter", "refusal", "safety", "recitation", "blocklist", "prohibited_content" ->
          "content_filter";
      default -> "other";
    };
  }

  /** {@return token counts, once the provider reported them} */
  public Optional<Usage> usage() {
    return Optional.ofNullable(usage);
  }

  /** {@return the tool calls received so far, each merged from its fragments, ordered by index} */
  public List<ToolCall> toolCalls() {
    List<ToolCall> calls = new ArrayList<>();
    if (toolCalls != null) {
      toolCalls.forEach((index, parts) -> calls.add(parts.toCall(index)));
    }
    return List.copyOf(calls);
  }

  /**
   * {@return the answer text delivered so far (capped at {@value #PARTIAL_TEXT_LIMIT} characters)}
   */
  public String textSoFar() {
    return delivered.toString();
  }

  /** {@return whether the answer ended, normally or not, or the stream was closed} */
  public boolean isDone() {
    return done || closed;
  }

  /** Aborts the work underneath unless the answer already ended. Idempotent; any thread. */
  @Override
  public void close() {
    closed = true;
    source.close();
  }

  private CompletionEvent pull() {
    if (done) {
      return null;
    }
    if (closed || Thread.currentThread().isInterrupted()) {
      end();
      throw cancelled(null);
    }
    CompletionEvent event;
    try {
      event = source.next();
    } catch (ProviderException e) {
      end();
      throw closed ? cancelled(e) : withPartialText(e);
    } catch (RuntimeException e) {
      end();
      throw closed
          ? cancelled(e)
          : ProviderException.builder(ProviderException.Kind.PROTOCOL, provider)
              .message("the provider failed unexpectedly: " + e)
              .partialText(delivered.toString())
              .cause(e)
              .build();
    }
    if (event == null) {
      end();
      if (delivered.length() == 0 && !truncated && toolCalls == null && !refused && !reasoned) {
        throw ProviderException.builder(ProviderException.Kind.EMPTY, provider)
            .message(
                "the answer had no text, no reasoning, no tool call and no refusal"
                    + (finishReason == null ? "" : " (finish reason: " + finishReason + ")"))
            .build();
      }
      return null;
    }
    record(event);
    return event;
  }

  private void record(CompletionEvent event) {
    if (event instanceof CompletionEvent.Text text) {
      appendDelivered(text.text());
    } else if (event instanceof CompletionEvent.ToolCallDelta delta) {
      if (toolCalls == null) {
        toolCalls = new TreeMap<>();
      }
      toolCalls.computeIfAbsent(delta.index(), index -> new ToolCallParts()).add(delta);
    } else if (event instanceof CompletionEvent.Refusal) {
      refused = true;
    } else if (event instanceof CompletionEvent.Reasoning) {
      reasoned = true;
    } else if (event instanceof CompletionEvent.UsageReport report) {
      usage = report.usage();
    } else if (event instanceof CompletionEvent.Finish finish) {
      finishReason = finish.reason();
    } else if (event instanceof CompletionEvent.Answered answered) {
      provider = answered.provider();
      model = answered.model();
    }
  }

  private void appendDelivered(String text) {
    if (keepAllText || delivered.length() + text.length() <= PARTIAL_TEXT_LIMIT) {
      delivered.append(text);
    } else {
      truncated = true;
    }
  }

  private void end() {
    done = true;
    source.close();
  }

  private ProviderException withPartialText(ProviderException e) {
    String text = delivered.toString();
    return e.partialText().length() >= text.length() ? e : e.toBuilder().partialText(text).build();
  }

  private ProviderException cancelled(Throwable cause) {
    return ProviderException.builder(ProviderException.Kind.CANCELLED, provider)
        .message(closed ? "the stream was closed" : "the reading thread was interrupted")
        .partialText(delivered.toString())
        .cause(cause)
        .build();
  }

  private static final class ToolCallParts {
    private String id = "";
    private String name = "";
    private final StringBuilder arguments = new StringBuilder();

    void add(CompletionEvent.ToolCallDelta delta) {
      if (!delta.id().isEmpty()) {
        id = delta.id();
      }
      if (!delta.name().isEmpty()) {
        name = delta.name();
      }
      arguments.append(delta.arguments());
    }

    ToolCall toCall(int index) {
      return new ToolCall(index, id, name, arguments.toString());
    }
  }
}
