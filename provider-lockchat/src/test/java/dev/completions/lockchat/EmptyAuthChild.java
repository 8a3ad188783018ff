package dev.completions.lockchat;

import dev.completions.api.CompletionRequest;

/**
 * Runs in a child JVM whose environment the test sets: one request with the settings of the
 * environment.
 */
public final class EmptyAuthChild {
  private EmptyAuthChild() {}

  public static void main(String[] args) {
    try (LockchatProvider lockchat = new LockchatProvider()) {
      System.out.println(lockchat.complete(CompletionRequest.of("Hi")).text());
    }
  }
}
