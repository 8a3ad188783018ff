package dev.completions.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.completions.api.CompletionRequest;
import dev.completions.api.ProviderException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bad model files get clear typed errors; none of them reaches native code in a way that crashes
 * the JVM.
 */
class LocalBadModelTest {

  @TempDir Path dir;

  private ProviderException failureFor(Path model) {
    return failureFor(model, dir.resolve("cache"));
  }

  private ProviderException failureFor(Path model, Path cache) {
    LocalSettings settings =
        new LocalSettings(
            model.toString(),
            cache,
            1,
            512,
            Duration.ofSeconds(5),
            URI.create("http://127.0.0.1:9"));
    try (LocalProvider local =
        new LocalProvider(settings, new PrintStream(new ByteArrayOutputStream()))) {
      return catchThrowableOfType(
          ProviderException.class, () -> local.complete(CompletionRequest.of("Hi")).text());
    }
  }

  @Test
  void aMissingFileIsModelNotFoundAndSaysHowToSetOne() {
    Path missing = dir.resolve("absent.gguf");

    ProviderException e = failureFor(missing);

    assertThat(e).isInstanceOf(ProviderException.ModelNotFound.class);
    assertThat(e.getMessage())
        .isEqualTo(
            "[Local] model file not found: "
                + missing
                + "; set local.model or LOCAL_MODEL to a .gguf file, or to hf:OWNER/REPO/FILE.gguf");
  }

  @Test
  void aFolderGivenAsTheModelIsReportedAsAFolder() throws IOException {
    Path folder = Files.createDirectories(dir.resolve("models"));

    ProviderException e = failureFor(folder);

    assertThat(e).isInstanceOf(ProviderException.BadRequest.class);
    assertThat(e.getMessage())
        .isEqualTo(
            "[Local] local.model: "
                + folder
                + " is a folder, not a model file"
                + "; set local.model or LOCAL_MODEL to a .gguf file, or to hf:OWNER/REPO/FILE.gguf");
  }

  @Test
  void aDeviceGivenAsTheModelIsReportedAsADevice() {
    Path device = Path.of("/dev/null");
    assumeTrue(Files.exists(device), "this system has no /dev/null");

    ProviderException e = failureFor(device);

    assertThat(e).isInstanceOf(ProviderException.BadRequest.class);
    assertThat(e.getMessage())
        .isEqualTo(
            "[Local] local.model: /dev/null is a device, pipe or socket, not a model file"
                + "; set local.model or LOCAL_MODEL to a .gguf file, or to hf:OWNER/REPO/FILE.gguf");
  }

  @Test
  void aCacheThatIsAFileIsABadRequestNamingLocalCache() throws IOException {
    Path file = Files.writeString(dir.resolve("cache-file"), "not a folder");

    ProviderException e = failureFor(TestModel.path(), file);

    assertThat(e).isInstanceOf(ProviderException.BadRequest.class);
    assertThat(e.getMessage())
        .isEqualTo(
            "[Local] local.cache: "
                + file
                + " is a file, not a folder;"
                + " set local.cache or LOCAL_CACHE to a folder");
  }

  @Test
  void aFileThatIsNotGgufIsRefusedBeforeNativeCode() throws IOException {
    Path text =
        Files.writeString(
            dir.resolve("notes.gguf"), "these are not the weights you are looking for");

    ProviderException e = failureFor(text);

    assertThat(e).isInstanceOf(ProviderException.BadRequest.class);
    assertThat(e.getMessage())
        .isEqualTo("[Local] " + text + " is not a GGUF model (it does not start with \"GGUF\")");
  }

  @Test
  void aTruncatedModelIsRefusedBeforeNativeCode() throws IOException {
    byte[] whole = Files.readAllBytes(TestModel.path());
    Path half =
        Files.write(dir.resolve("half.gguf"), java.util.Arrays.copyOf(whole, whole.length / 2));

    ProviderException e = failureFor(half);

    assertThat(e).isInstanceOf(ProviderException.BadRequest.class);
    assertThat(e.getMessage())
        .startsWith(
            "[Local] "
                + half
                + " is truncated: it has "
                + (whole.length / 2)
                + " bytes but its tensors need ");
  }

  @Test
  void aFileCutInsideItsHeaderIsRefused() throws IOException {
    byte[] whole = Files.readAllBytes(TestModel.path());
    Path cut = Files.write(dir.resolve("cut.gguf"), java.util.Arrays.copyOf(whole, 4000));

    ProviderException e = failureFor(cut);

    assertThat(e).isInstanceOf(ProviderException.BadRequest.class);
    assertThat(e.getMessage()).contains("truncated");
  }

  @Test
  void anUnsupportedArchitectureIsABadRequestNamingIt() throws IOException {
    Path frob =
        Files.write(dir.resolve("frob.gguf"), SyntheticGguf.withArchitecture("frobnicator"));

    ProviderException e = failureFor(frob);

    assertThat(e).isInstanceOf(ProviderException.BadRequest.class);
    assertThat(e.getMessage())
        .startsWith("[Local] llama.cpp cannot load frob.gguf (architecture 'frobnicator'): ");
  }

  @Test
  void anUnsupportedGgufVersionIsRefused() throws IOException {
    byte[] bytes = SyntheticGguf.withArchitecture("llama");
    bytes[4] = 9;
    Path future = Files.write(dir.resolve("future.gguf"), bytes);

    assertThat(failureFor(future).getMessage())
        .isEqualTo("[Local] " + future + " has GGUF version 9; versions 2 and 3 are supported");
  }
}
