package dev.completions.local;

import dev.completions.api.ConfigSource;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;

/**
 * The Local provider's configuration, read through a {@link ConfigSource}: system property {@code
 * local.x}, then environment variable {@code LOCAL_X}, then defaults. The Hugging Face endpoint is
 * {@code local.hfEndpoint} / {@code LOCAL_HF_ENDPOINT}, else {@code HF_ENDPOINT} (the variable
 * Hugging Face's own tools read). Immutable; every value is checked when it is made.
 */
record LocalSettings(
    String model,
    Path cache,
    int threads,
    int contextSize,
    Duration queueTimeout,
    URI huggingFace) {

  /** The largest context accepted: llama.cpp needs memory for all of it up front. */
  static final int MAX_CONTEXT_SIZE = 131_072;

  private static final String HUB_SETTING = "local.hfEndpoint";

  /** The property whose environment name is {@code HF_ENDPOINT}. */
  private static final String HUB_FALLBACK = "hf.endpoint";

  LocalSettings {
    if (threads < 1 || threads > 256) {
      throw new IllegalArgumentException(
          "local.threads: must be between 1 and 256, got " + threads);
    }
    if (contextSize < 64 || contextSize > MAX_CONTEXT_SIZE) {
      throw new IllegalArgumentException(
          "local.contextSize: must be between 64 and "
              + MAX_CONTEXT_SIZE
              + " tokens, got "
              + contextSize);
    }
    if (queueTimeout.isNegative()) {
      throw new IllegalArgumentException(
          "local.queueTimeout: must not be negative, got " + queueTimeout);
    }
  }

  /**
   * Reads every setting from {@code config}.
   *
   * @throws IllegalArgumentException naming the setting, the value and the accepted forms when one
   *     is invalid
   */
  static LocalSettings from(ConfigSource config) {
    return new LocalSettings(
        config.string("local.model", ModelStore.DEFAULT_MODEL),
        config.get("local.cache").map(Path::of).orElseGet(() -> defaultCache(config)),
        config.integer(
            "local.threads", Math.max(1, Runtime.getRuntime().availableProcessors() / 2)),
        config.integer("local.contextSize", 2048),
        config.duration("local.queueTimeout", Duration.ofMinutes(5)),
        hub(config));
  }

  /** {@code $XDG_CACHE_HOME/completions}, else {@code ~/.cache/completions}. */
  private static Path defaultCache(ConfigSource config) {
    // "xdg.cache.home" is the property whose environment name is XDG_CACHE_HOME
    return config
        .get("xdg.cache.home")
        .map(Path::of)
        .orElseGet(() -> Path.of(System.getProperty("user.home"), ".cache"))
        .resolve("completions");
  }

  private static URI hub(ConfigSource config) {
    String setting = config.get(HUB_SETTING).isPresent() ? HUB_SETTING : "HF_ENDPOINT";
    String value =
        config.get(HUB_SETTING).or(() -> config.get(HUB_FALLBACK)).orElse("https://huggingface.co");
    URI uri;
    try {
      uri = new URI(value);
    } catch (URISyntaxException e) {
      uri = null;
    }
    String scheme =
        uri == null || uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null) {
      throw new IllegalArgumentException(
          setting
              + ": must be an http:// or https:// URL such as https://huggingface.co,"
              + " got '"
              + value
              + "'");
    }
    return uri;
  }
}
