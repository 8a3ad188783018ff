package dev.completions.local;

import static org.junit.jupiter.api.Assumptions.abort;

import dev.completions.api.ConfigSource;
import dev.completions.tck.TestModels;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * Finds the tiny real model the tests run on: {@code LOCAL_TEST_MODEL}, then {@code
 * ../shared/models/} beside the repository, then the model cache (downloading it once when online).
 * Without it the engine tests are skipped with a message, except under CI, where its absence fails
 * them.
 */
final class TestModel {

  private static Path found;

  private TestModel() {}

  static synchronized Path path() {
    if (found != null) {
      return found;
    }
    Optional<Path> local = TestModels.stories260K();
    if (local.isPresent()) {
      return found = local.get();
    }
    try {
      LocalSettings settings = LocalSettings.from(ConfigSource.of(Map.of(), System.getenv()));
      ModelStore store =
          new ModelStore(
              "hf:ggml-org/tiny-llamas/stories260K.gguf",
              settings.cache(),
              settings.huggingFace(),
              new Downloader(System.err, System::nanoTime, Duration.ofSeconds(10)));
      return found = store.resolve();
    } catch (Exception offline) {
      if (System.getenv("CI") != null) {
        throw new AssertionError(
            "the test model is missing in CI: " + TestModels.HOW_TO_PROVIDE, offline);
      }
      abort("the tiny test model is not available: " + TestModels.HOW_TO_PROVIDE);
      throw new IllegalStateException("unreachable");
    }
  }

  /** Settings running the test model with one thread and a private cache. */
  static LocalSettings settings(Path cache, int contextSize) {
    return new LocalSettings(
        path().toString(),
        cache,
        1,
        contextSize,
        Duration.ofSeconds(60),
        java.net.URI.create("http://127.0.0.1:9"));
  }
}
