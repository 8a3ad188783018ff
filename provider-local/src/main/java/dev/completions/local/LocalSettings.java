package dev.completions.local;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Function;

/**
 * The Local provider's configuration, from system properties ({@code local.x}), then environment
 * variables ({@code LOCAL_X}), then defaults. Immutable.
 */
record LocalSettings(String model, Path cache, int threads, int contextSize, Duration queueTimeout, URI huggingFace) {

  LocalSettings {
    if (threads < 1 || threads > 256) {
      throw new IllegalArgumentException("local.threads: must be between 1 and 256, got " + threads);
    }
    if (contextSize < 64) {
      throw new IllegalArgumentException("local.contextSize: must be at least 64, got " + contextSize);
    }
  }

  static LocalSettings from(Function<String, String> properties, Function<String, String> environment) {
    Function<String, String> get = key -> {
      String value = properties.apply("local." + key);
      if (value == null || value.isBlank()) {
        value = environment.apply("LOCAL_" + key.replaceAll("([A-Z])", "_$1").toUpperCase(java.util.Locale.ROOT));
      }
      return value == null || value.isBlank() ? null : value.strip();
    };
    String model = orElse(get.apply("model"), ModelStore.DEFAULT_MODEL);
    String cache = get.apply("cache");
    String hub = orElse(properties.apply("local.hfEndpoint"), orElse(environment.apply("HF_ENDPOINT"), "https://huggingface.co"));
    return new LocalSettings(
        model,
        cache != null ? Path.of(cache) : defaultCache(environment),
        integer("local.threads", get.apply("threads"), Math.max(1, Runtime.getRuntime().availableProcessors() / 2)),
        integer("local.contextSize", get.apply("contextSize"), 2048),
        Duration.ofSeconds(integer("local.queueTimeout", get.apply("queueTimeout"), 300)),
        URI.create(hub));
  }

  /** {@code $XDG_CACHE_HOME/completions}, else {@code ~/.cache/completions}. */
  private static Path defaultCache(Function<String, String> environment) {
    String xdg = environment.apply("XDG_CACHE_HOME");
    return (xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache"))
        .resolve("completions");
  }

  private static String orElse(String value, String fallback) {
    return value == null || value.isBlank() ? fallback : value;
  }

  private static int integer(String field, String value, int fallback) {
    if (value == null) {
      return fallback;
    }
    try {
      return Integer.parseInt(value);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(field + ": must be a whole number, got '" + value + "'");
    }
  }
}
