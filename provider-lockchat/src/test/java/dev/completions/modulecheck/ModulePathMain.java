package dev.completions.modulecheck;

import dev.completions.registry.ProviderRegistry;
import java.util.stream.Collectors;

/**
 * Lists the providers the registry discovers; run in a child JVM with the library on the module
 * path. Its own package keeps it out of the provider's module, which owns dev.completions.lockchat.
 */
public final class ModulePathMain {
  private ModulePathMain() {}

  public static void main(String[] args) {
    try (ProviderRegistry registry = ProviderRegistry.load()) {
      System.out.println(
          registry.providers().stream()
                  .map(p -> p.info().name() + " in module " + p.getClass().getModule().getName())
                  .collect(Collectors.joining(", "))
              + "; problems: "
              + registry.problems());
    }
  }
}
