package dev.completions.registry;

import dev.completions.api.CallListener;
import dev.completions.api.CallObserver;
import dev.completions.api.CallRecord;
import dev.completions.api.CallStart;
import dev.completions.api.CompletionEvent;
import dev.completions.api.CompletionStream;
import dev.completions.api.EventFeed;
import dev.completions.api.ProviderException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One observed call: passes the provider's events on unchanged, tells the observers of the first
 * token and of each event, and gathers the {@link CallRecord} they get once at the end. Read by one
 * thread; {@link #close()} from any thread.
 */
final class ObservedFeed implements EventFeed {

  private final CompletionStream stream;
  private final CallStart start;
  private final long startNanos;
  private final boolean chain;
  private final CallObserver[] observers;
  private final CallListener[] owners;
  private final Listeners listeners;
  private final AtomicBoolean ended = new AtomicBoolean();

  /** True while the reader is inside {@link #next()}: an early close then leaves the end to it. */
  private volatile boolean reading;

  private volatile boolean closeRequested;

  private Iterator<CompletionEvent> events;
  private long firstTokenNanos = -1;
  private final List<CallRecord.Link> links = new ArrayList<>(1);

  /** The link being tried: for a chain, named by the Answered event each link starts with. */
  private String linkProvider;

  private String linkModel;
  private boolean linkOpen;
  private int linkRetries;
  private int earlierAttempts;
  private int retries;

  ObservedFeed(
      CompletionStream stream,
      CallStart start,
      long startNanos,
      boolean chain,
      List<CallObserver> observers,
      List<CallListener> owners,
      Listeners listeners) {
    this.stream = stream;
    this.start = start;
    this.startNanos = startNanos;
    this.chain = chain;
    this.observers = observers.toArray(CallObserver[]::new);
    this.owners = owners.toArray(CallListener[]::new);
    this.listeners = listeners;
    this.linkProvider = start.provider();
    this.linkModel = start.model();
    this.linkOpen = !chain;
  }

  @Override
  public CompletionEvent next() {
    reading = true;
    try {
      if (events == null) {
        events = stream.events().iterator();
      }
      if (!events.hasNext()) {
        end(null);
        return null;
      }
      CompletionEvent event = events.next();
      see(event);
      return event;
    } catch (ProviderException e) {
      end(e);
      throw e;
    } finally {
      reading = false;
      if (closeRequested) {
        end(null);
      }
    }
  }

  @Override
  public void close() {
    closeRequested = true;
    stream.close();
    if (!reading) {
      end(null);
    }
  }

  private void see(CompletionEvent event) {
    for (int i = 0; i < observers.length; i++) {
      try {
        observers[i].onEvent(event);
      } catch (RuntimeException e) {
        listeners.failed(owners[i], e);
      }
    }
    if (event instanceof CompletionEvent.Text
        || event instanceof CompletionEvent.Reasoning
        || event instanceof CompletionEvent.Refusal
        || event instanceof CompletionEvent.ToolCallDelta) {
      if (firstTokenNanos < 0) {
        firstTokenNanos = System.nanoTime();
        Instant at = instantOf(firstTokenNanos);
        for (int i = 0; i < observers.length; i++) {
          try {
            observers[i].onFirstToken(at);
          } catch (RuntimeException e) {
            listeners.failed(owners[i], e);
          }
        }
      }
    } else if (event instanceof CompletionEvent.Answered answered) {
      if (!linkOpen) { // a chain starts each link with the link's name and the model asked of it
        linkOpen = true;
        linkProvider = answered.provider();
        linkModel = answered.model();
        linkRetries = 0;
      }
    } else if (event instanceof CompletionEvent.Retrying) {
      retries++;
      linkRetries++;
    } else if (event instanceof CompletionEvent.FellBack fellBack) {
      links.add(new CallRecord.Link(fellBack.provider(), fellBack.model(), fellBack.failure()));
      earlierAttempts += Math.max(fellBack.failure().attempts(), linkRetries + 1);
      linkOpen = false;
    }
  }

  /** Gathers the record and hands it to every observer, once. */
  private void end(ProviderException failure) {
    if (!ended.compareAndSet(false, true)) {
      return;
    }
    long endNanos = System.nanoTime();
    boolean early = closeRequested;
    ProviderException error = early ? null : failure;
    List<CallRecord.Link> tried = new ArrayList<>(links);
    int attempts = earlierAttempts;
    if (linkOpen) {
      tried.add(new CallRecord.Link(linkProvider, linkModel, error));
      attempts += Math.max(error == null ? 0 : error.attempts(), linkRetries + 1);
    }
    CallRecord record =
        new CallRecord(
            start.callId(),
            start.provider(),
            start.model(),
            stream.provider(),
            stream.model(),
            tried,
            attempts,
            retries,
            start.started(),
            firstTokenNanos < 0 ? null : instantOf(firstTokenNanos),
            instantOf(endNanos),
            stream.usage().orElse(null),
            stream.finishReason().orElse(null),
            error,
            early);
    for (int i = 0; i < observers.length; i++) {
      try {
        observers[i].onEnd(record);
      } catch (RuntimeException e) {
        listeners.failed(owners[i], e);
      }
    }
  }

  private Instant instantOf(long nanos) {
    return start.started().plusNanos(nanos - startNanos);
  }
}
