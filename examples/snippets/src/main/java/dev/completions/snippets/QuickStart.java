package dev.completions.snippets;

import dev.completions.api.CompletionRequest;
import dev.completions.api.CompletionStream;
import dev.completions.api.ProviderException;
import dev.completions.registry.ProviderRegistry;

/**
 * The README's first example: stream an answer from a provider picked by name, with typed errors.
 */
public final class QuickStart {
  private QuickStart() {}

  public static void main(String[] args) {
    try (ProviderRegistry registry = ProviderRegistry.load();
        CompletionStream answer =
            registry
                .get("groq")
                .complete(
                    CompletionRequest.builder()
                        .user("Hello, how are you?")
                        .temperature(0.3)
                        .maxTokens(64)
                        .build())) {
      for (String token : answer) {
        System.out.print(token); // tokens as they arrive
      }
      System.out.println(" [" + answer.finishReason().orElse("?") + "]");
    } catch (ProviderException e) { // typed: RateLimited, Timeout, ModelNotFound, ...
      System.err.println(
          e.kind().wireName() + ": " + e.getMessage() + " after: " + e.partialText());
    }
  }
}
