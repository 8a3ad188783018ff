package dev.completions.snippets;

import dev.completions.api.CompletionRequest;
import dev.completions.registry.ProviderRegistry;
import java.time.Duration;

/** Logs one line per call: who answered, attempts, time to first token, tokens, error. */
public final class ObserveCalls {
  private ObserveCalls() {}

  public static void main(String[] args) {
    try (ProviderRegistry registry =
        ProviderRegistry.builder()
            .listener(
                start ->
                    call ->
                        System.err.printf(
                            "%s/%s: %d attempt(s), first token %s ms, %s, %s%n",
                            call.provider(),
                            call.model(),
                            call.attempts(),
                            call.timeToFirstToken().map(Duration::toMillis).orElse(null),
                            call.usage(),
                            call.errorKind().map(kind -> kind.wireName()).orElse("ok")))
            .build()) {
      System.out.println(registry.get("lockchat").complete(CompletionRequest.of("Hi")).text());
    }
  }
}
