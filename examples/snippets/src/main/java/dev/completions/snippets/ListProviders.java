package dev.completions.snippets;

import dev.completions.api.CompletionProvider;
import dev.completions.api.ProviderInfo;
import dev.completions.registry.ProviderRegistry;

/** Lists what is on the class path, with models, capabilities, parameters and load problems. */
public final class ListProviders {
  private ListProviders() {}

  public static void main(String[] args) {
    try (ProviderRegistry registry = ProviderRegistry.load()) {
      for (CompletionProvider provider : registry.providers()) {
        ProviderInfo info = provider.info();
        System.out.printf(
            "%s %s (default %s) streaming=%s auth=%s%n",
            info.name(),
            info.models(),
            info.defaultModel(),
            info.supportsStreaming(),
            info.needsAuth());
        System.out.println("  " + registry.parameters(info.name()).describe());
      }
      registry.problems().forEach(problem -> System.out.println("problem: " + problem));
    }
  }
}
