package dev.completions.snippets;

import dev.completions.api.CompletionProvider;
import dev.completions.api.CompletionRequest;
import dev.completions.api.CompletionStream;
import dev.completions.registry.ProviderRegistry;

/** Prints tokens as they arrive. */
public final class StreamWithForEach {
  private StreamWithForEach() {}

  public static void main(String[] args) {
    try (ProviderRegistry registry = ProviderRegistry.load()) {
      CompletionProvider provider = registry.get(args.length > 0 ? args[0] : "lockchat");
      try (CompletionStream answer =
          provider.complete(CompletionRequest.of("Hello, how are you?"))) {
        for (String token : answer) {
          System.out.print(token);
          System.out.flush();
        }
        System.out.println();
        System.out.println(
            "("
                + answer.provider()
                + " / "
                + answer.model()
                + ", finish: "
                + answer.finishReason().orElse("?")
                + ")");
      }
    }
  }
}
