package dev.completions.lockchat;

import dev.completions.api.CompletionRequest;
import dev.completions.api.ProviderException;

/** Runs in a child JVM with a small heap: reads an answer whose one event is far beyond the limit. */
public final class BigEventChild {
  private BigEventChild() {}

  public static void main(String[] args) {
    try (LockchatProvider lockchat = LockchatProvider.builder().baseUrl(args[0]).attempts(1).build()) {
      lockchat.complete(CompletionRequest.of("Hi")).text();
      System.out.println("no error");
    } catch (ProviderException e) {
      System.out.println(e.kind().wireName() + ": " + e.getMessage());
    }
  }
}
