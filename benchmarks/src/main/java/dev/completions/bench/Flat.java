package dev.completions.bench;

import dev.completions.api.CompletionRequest;
import dev.completions.api.CompletionStream;
import dev.completions.registry.ProviderRegistry;

/**
 * Streams one very long answer through our provider in a JVM with a small heap: memory must stay
 * flat whatever the answer's length. Prints the characters read and exits 0, or fails.
 */
public final class Flat {
  private Flat() {}

  public static void main(String[] args) {
    System.setProperty("lockchat.url", args[0]);
    int chunks = Integer.parseInt(args[1]);
    long chars = 0;
    try (ProviderRegistry registry = ProviderRegistry.load();
        CompletionStream answer =
            registry
                .get("lockchat")
                .complete(
                    CompletionRequest.builder().model("bench-" + chunks).user("Hi").build())) {
      for (String token : answer) {
        chars += token.length();
      }
    }
    System.out.println("chars=" + chars);
    System.exit(chars == SseServer.expectedChars(chunks) ? 0 : 2);
  }
}
