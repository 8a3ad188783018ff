package dev.completions.snippets;

import dev.completions.api.CompletionProvider;
import dev.completions.api.CompletionRequest;
import dev.completions.registry.ProviderRegistry;
import java.util.stream.Collectors;

/** Picks a provider by the name given at runtime, e.g. from configuration. */
public final class SelectByName {
  private SelectByName() {}

  public static void main(String[] args) {
    String name = System.getProperty("provider", "lockchat");
    try (ProviderRegistry registry = ProviderRegistry.load()) {
      CompletionProvider provider =
          registry
              .find(name)
              .orElseThrow(
                  () ->
                      new IllegalArgumentException(
                          "no provider " + name + "; have " + registry.names()));
      try (var tokens = provider.complete(CompletionRequest.of("Name three colours.")).stream()) {
        System.out.println(tokens.collect(Collectors.joining()));
      }
    }
  }
}
