package dev.completions.tck;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Finds the tiny real GGUF model the Local provider's tests run on, {@code stories260K.gguf}: the
 * {@code LOCAL_TEST_MODEL} environment variable, then {@code ../shared/models/} beside the
 * repository (found by walking up from the working directory to the folder holding {@code mvnw}).
 */
public final class TestModels {

  /** The model's sha256. */
  public static final String STORIES_260K_SHA256 =
      "270cba1bd5109f42d03350f60406024560464db173c0e387d91f0426d3bd256d";

  /** How to provide the model, for skip and failure messages. */
  public static final String HOW_TO_PROVIDE =
      "provide stories260K.gguf (sha256 "
          + STORIES_260K_SHA256
          + ") with LOCAL_TEST_MODEL=/path/to/it, in ../shared/models/ beside the repository, or go online once "
          + "(it is downloaded from Hugging Face, ggml-org/tiny-llamas)";

  private TestModels() {}

  /** {@return the model file, when one of the places has it} */
  public static Optional<Path> stories260K() {
    String variable = System.getenv("LOCAL_TEST_MODEL");
    if (variable != null && Files.isRegularFile(Path.of(variable))) {
      return Optional.of(Path.of(variable));
    }
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      if (Files.exists(dir.resolve("mvnw")) && dir.getParent() != null) {
        Path shared =
            dir.getParent().resolve("shared").resolve("models").resolve("stories260K.gguf");
        if (Files.isRegularFile(shared)) {
          return Optional.of(shared);
        }
      }
    }
    return Optional.empty();
  }
}
