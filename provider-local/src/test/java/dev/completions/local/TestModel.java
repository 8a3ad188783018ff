package dev.completions.local;

import static org.junit.jupiter.api.Assumptions.abort;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Finds the tiny real model the tests run on: {@code LOCAL_TEST_MODEL}, then {@code
 * ../shared/models/} beside the repository, then the model cache (downloading it once when
 * online). Without it the engine tests are skipped with a message, except under CI, where its
 * absence fails them.
 */
final class TestModel {

  static final String SHA256 = "270cba1bd5109f42d03350f60406024560464db173c0e387d91f0426d3bd256d";
  private static final String HOW = "provide stories260K.gguf (sha256 " + SHA256 + ") with LOCAL_TEST_MODEL=/path/to/it, "
      + "in ../shared/models/ beside the repository, or by going online once (it is downloaded from "
      + "Hugging Face, ggml-org/tiny-llamas)";
  private static Path found;

  private TestModel() {}

  static synchronized Path path() {
    if (found != null) {
      return found;
    }
    String variable = System.getenv("LOCAL_TEST_MODEL");
    if (variable != null && Files.isRegularFile(Path.of(variable))) {
      return found = Path.of(variable);
    }
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      if (Files.exists(dir.resolve("mvnw")) && dir.getParent() != null) {
        Path shared = dir.getParent().resolve("shared").resolve("models").resolve("stories260K.gguf");
        if (Files.isRegularFile(shared)) {
          return found = shared;
        }
      }
    }
    try {
      LocalSettings settings = LocalSettings.from(k -> null, System::getenv);
      ModelStore store = new ModelStore("hf:ggml-org/tiny-llamas/stories260K.gguf", settings.cache(),
          settings.huggingFace(), new Downloader(System.err, System::nanoTime, Duration.ofSeconds(10)));
      return found = store.resolve();
    } catch (Exception offline) {
      if (System.getenv("CI") != null) {
        throw new AssertionError("the test model is missing in CI: " + HOW, offline);
      }
      abort("the tiny test model is not available: " + HOW);
      throw new IllegalStateException("unreachable");
    }
  }

  /** Settings running the test model with one thread and a private cache. */
  static LocalSettings settings(Path cache, int contextSize) {
    return new LocalSettings(path().toString(), cache, 1, contextSize, Duration.ofSeconds(60),
        java.net.URI.create("http://127.0.0.1:9"));
  }
}
