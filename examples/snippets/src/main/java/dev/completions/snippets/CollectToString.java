package dev.completions.snippets;

import dev.completions.api.CompletionRequest;
import dev.completions.registry.ProviderRegistry;

/** Waits for the whole answer as one String. */
public final class CollectToString {
  private CollectToString() {}

  public static void main(String[] args) {
    try (ProviderRegistry registry = ProviderRegistry.load()) {
      CompletionRequest request =
          CompletionRequest.builder()
              .system("Answer in one sentence.")
              .user("What is a service provider interface?")
              .temperature(0.2)
              .maxTokens(60)
              .build();
      String answer = registry.get("lockchat").complete(request).text();
      System.out.println(answer);
    }
  }
}
