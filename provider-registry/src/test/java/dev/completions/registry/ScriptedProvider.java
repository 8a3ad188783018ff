package dev.completions.registry;

import dev.completions.api.CompletionEvent;
import dev.completions.api.CompletionProvider;
import dev.completions.api.CompletionRequest;
import dev.completions.api.CompletionStream;
import dev.completions.api.EventFeed;
import dev.completions.api.ProviderException;
import dev.completions.api.ProviderInfo;
import java.net.URI;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * A provider whose answers are scripted: each request takes the next script, whose steps are events
 * to deliver or a failure to throw, in order. It records the requests it was asked to answer. The
 * chain calls {@link #complete} for a link only when it reaches that link, so a request refused
 * before any I/O leaves {@link #requests()} empty.
 */
final class ScriptedProvider implements CompletionProvider {

  /** The standard fields and {@code max_tokens}, as an OpenAI-style provider declares them. */
  record Params(
      String model,
      List<dev.completions.api.Message> messages,
      boolean stream,
      double temperature,
      Integer maxTokens) {}

  /** The same with {@code stop}, which {@link Params} does not take. */
  record ParamsWithStop(
      String model,
      List<dev.completions.api.Message> messages,
      boolean stream,
      double temperature,
      Integer maxTokens,
      List<String> stop) {}

  /** The same with {@code top_k}, which {@link Params} does not accept. */
  record ParamsWithTopK(
      String model,
      List<dev.completions.api.Message> messages,
      boolean stream,
      double temperature,
      Integer maxTokens,
      Integer topK) {}

  private final String name;
  private final Class<? extends Record> parameters;
  private final Deque<List<Object>> scripts = new ArrayDeque<>();
  private final List<CompletionRequest> requests = new ArrayList<>();
  private java.util.Set<dev.completions.api.Capability> capabilities = java.util.Set.of();

  ScriptedProvider(String name) {
    this(name, Params.class);
  }

  ScriptedProvider(String name, Class<? extends Record> parameters) {
    this.name = name;
    this.parameters = parameters;
  }

  /** Declares these capabilities from now on. */
  ScriptedProvider capable(dev.completions.api.Capability... declared) {
    capabilities = java.util.Set.of(declared);
    return this;
  }

  /**
   * Queues the answer to the next request: {@link CompletionEvent}s, then optionally a {@link
   * ProviderException}.
   */
  synchronized ScriptedProvider answer(Object... steps) {
    scripts.add(List.of(steps));
    return this;
  }

  /** Queues an answer that is only these tokens. */
  ScriptedProvider tokens(String... tokens) {
    return answer(
        (Object[])
            java.util.Arrays.stream(tokens).map(CompletionEvent.Text::new).toArray(Object[]::new));
  }

  /** Queues an answer that fails at once. */
  ScriptedProvider fails(ProviderException error) {
    return answer(error);
  }

  /** A failure of this provider, as the engine would report it. */
  ProviderException error(ProviderException.Kind kind, String message) {
    return ProviderException.builder(kind, name).message(message).build();
  }

  /** The requests this provider was asked to answer, in order. */
  synchronized List<CompletionRequest> requests() {
    return List.copyOf(requests);
  }

  @Override
  public ProviderInfo info() {
    return new ProviderInfo(
        name,
        URI.create("https://" + name.toLowerCase(java.util.Locale.ROOT) + ".example"),
        List.of("gpt-4", "gpt-3.5-turbo"),
        "gpt-3.5-turbo",
        true,
        false,
        capabilities);
  }

  @Override
  public Class<? extends Record> parameters() {
    return parameters;
  }

  @Override
  public synchronized CompletionStream complete(CompletionRequest request) {
    info().requireCapabilities(request); // before any work, as every provider does
    requests.add(request);
    List<Object> script = scripts.poll();
    if (script == null) {
      throw new IllegalStateException(
          name + " has no scripted answer for request " + requests.size());
    }
    return CompletionStream.of(
        name, request.model() == null ? info().defaultModel() : request.model(), new Feed(script));
  }

  /** Delivers one script's steps. */
  private final class Feed implements EventFeed {
    private final List<Object> steps;
    private int next;

    Feed(List<Object> steps) {
      this.steps = steps;
    }

    @Override
    public CompletionEvent next() {
      if (next == steps.size()) {
        return null;
      }
      Object step = steps.get(next++);
      if (step instanceof ProviderException error) {
        throw error;
      }
      return (CompletionEvent) step;
    }

    @Override
    public void close() {
      next = steps.size();
    }
  }
}
