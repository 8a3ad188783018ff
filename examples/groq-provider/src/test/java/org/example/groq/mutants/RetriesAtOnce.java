package org.example.groq.mutants;

import dev.completions.api.CompletionEvent;
import dev.completions.api.CompletionProvider;
import dev.completions.api.CompletionRequest;
import dev.completions.api.CompletionStream;
import dev.completions.api.EventFeed;
import dev.completions.api.ProviderException;
import dev.completions.api.ProviderInfo;
import java.util.Iterator;

/**
 * A provider with its own retry loop that never reads {@code Retry-After}: a retryable failure
 * before the first event is tried again at once. It wraps a provider making one attempt, because
 * {@link dev.completions.openai.HttpCompletionProvider} always honours the header and offers no way
 * to ignore it.
 */
final class RetriesAtOnce implements CompletionProvider {

  private final CompletionProvider oneAttempt;
  private final int attempts;

  RetriesAtOnce(CompletionProvider oneAttempt, int attempts) {
    this.oneAttempt = oneAttempt;
    this.attempts = attempts;
  }

  @Override
  public ProviderInfo info() {
    return oneAttempt.info();
  }

  @Override
  public Class<? extends Record> parameters() {
    return oneAttempt.parameters();
  }

  @Override
  public CompletionStream complete(CompletionRequest request) {
    CompletionStream first = oneAttempt.complete(request);
    String model = request.model() != null ? request.model() : info().defaultModel();
    return CompletionStream.of(
        info().name(),
        model,
        new EventFeed() {
          private CompletionStream current = first;
          private Iterator<CompletionEvent> events = first.events().iterator();
          private int attempt = 1;
          private boolean delivered;

          @Override
          public CompletionEvent next() {
            while (true) {
              try {
                CompletionEvent event = events.hasNext() ? events.next() : null;
                delivered = true;
                return event;
              } catch (ProviderException e) {
                if (delivered || !e.isRetryable() || attempt >= attempts) {
                  throw e.toBuilder().attempts(attempt).build();
                }
                attempt++;
                current = oneAttempt.complete(request);
                events = current.events().iterator();
              }
            }
          }

          @Override
          public void close() {
            current.close();
          }
        });
  }

  @Override
  public void close() {
    oneAttempt.close();
  }
}
