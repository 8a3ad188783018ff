package dev.completions.registry;

import dev.completions.api.CallListener;
import dev.completions.api.CallObserver;
import dev.completions.api.CallStart;
import dev.completions.api.CompletionProvider;
import dev.completions.api.CompletionRequest;
import dev.completions.api.CompletionStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * A registry's call listeners: starts each call's observers and reports a listener's first failure.
 * Thread-safe.
 */
final class Listeners {

  private static final System.Logger LOG = System.getLogger(ProviderRegistry.class.getName());

  private final List<CallListener> listeners;

  /** Listeners that failed once already: later failures are ignored without a word. */
  private final Set<CallListener> reported = ConcurrentHashMap.newKeySet();

  Listeners(List<CallListener> listeners) {
    this.listeners = List.copyOf(listeners);
  }

  List<CallListener> all() {
    return listeners;
  }

  /**
   * Starts a call through {@code start} and, when a listener observes it, returns its stream
   * wrapped so that the observers see it; otherwise the stream as it is. A request refused before
   * any I/O (an IllegalArgumentException from {@code start}) is not a call and reaches no listener.
   */
  CompletionStream call(
      CompletionProvider provider,
      CompletionRequest request,
      Function<CompletionRequest, CompletionStream> start) {
    Instant started = Instant.now();
    long startNanos = System.nanoTime();
    CompletionStream stream = start.apply(request);
    CallStart call =
        new CallStart(
            UUID.randomUUID().toString(),
            stream.provider(),
            stream.model(),
            request,
            provider.endpoint().orElse(null),
            started);
    List<CallObserver> observers = new ArrayList<>(listeners.size());
    List<CallListener> owners = new ArrayList<>(listeners.size());
    for (CallListener listener : listeners) {
      try {
        CallObserver observer = listener.onStart(call);
        if (observer != null) {
          observers.add(observer);
          owners.add(listener);
        }
      } catch (RuntimeException e) {
        failed(listener, e);
      }
    }
    if (observers.isEmpty()) {
      return stream;
    }
    return CompletionStream.of(
        stream.provider(),
        stream.model(),
        new ObservedFeed(
            stream, call, startNanos, provider instanceof ProviderChain, observers, owners, this));
  }

  /** Logs a listener's first failure; the call goes on. */
  void failed(CallListener listener, RuntimeException e) {
    if (reported.add(listener)) {
      LOG.log(
          System.Logger.Level.WARNING,
          "call listener "
              + listener.getClass().getName()
              + " failed; its failures are ignored (only this first one is logged)",
          e);
    }
  }
}
