package dev.completions.local;

import static org.assertj.core.api.Assertions.assertThat;

import de.kherud.llama.LlamaModel;
import de.kherud.llama.ModelParameters;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The native library is extracted once per content and shared safely by processes started together.
 */
class NativeLibraryTest {

  private static final int PROCESSES = 8;

  @TempDir Path dir;

  /**
   * Waits for the start signal, loads the library and the model from a shared cache, encodes a
   * word.
   */
  static final class Child {
    public static void main(String[] args) throws Exception {
      Path cache = Path.of(args[0]);
      ChildJvm.awaitStartSignal(Path.of(args[1]));
      NativeLibrary.load(cache);
      try (LlamaModel model =
          new LlamaModel(
              new ModelParameters()
                  .setModel(args[2])
                  .setThreads(1)
                  .setCtxSize(64)
                  .skipWarmup()
                  .disableLog())) {
        System.out.println(
            "loaded "
                + System.getProperty(NativeLibrary.LIB_PATH)
                + " "
                + model.encode("Once").length);
      }
      System.exit(0); // the binding's thread would keep this JVM alive (see LocalProvider)
    }
  }

  @Test
  void processesStartedTogetherOnAFreshCacheAllLoadAndShareOneExtractedCopy() throws Exception {
    Path cache = dir.resolve("cache");
    Path go = dir.resolve("go");
    List<ChildJvm> children = new ArrayList<>();
    try {
      for (int i = 0; i < PROCESSES; i++) {
        children.add(
            ChildJvm.start(
                Child.class,
                Map.of(),
                cache.toString(),
                go.toString(),
                TestModel.path().toString()));
      }
      for (ChildJvm child : children) {
        child.awaitLine(ChildJvm.READY);
      }
      Files.createFile(go);

      for (ChildJvm child : children) {
        assertThat(child.awaitExit()).as(String.join("\n", child.lines())).isZero();
        assertThat(child.lines())
            .anySatisfy(
                line ->
                    assertThat(line).startsWith("loaded " + cache.resolve("native/llama-4.2.0")));
      }
    } finally {
      children.forEach(ChildJvm::close);
    }
    assertThat(filesUnder(cache.resolve("native")))
        .singleElement()
        .satisfies(
            library ->
                assertThat(library.getFileName()).hasToString(System.mapLibraryName("jllama")));
  }

  @Test
  void aSecondExtractionReusesTheFileWithoutRewritingIt() throws Exception {
    Path folder = Files.createDirectories(dir.resolve("native"));
    Path first = NativeLibrary.extract(folder);
    Object written = Files.readAttributes(first, BasicFileAttributes.class).fileKey();

    Path second = NativeLibrary.extract(folder);

    assertThat(second).isEqualTo(first);
    assertThat(Files.readAttributes(second, BasicFileAttributes.class).fileKey())
        .isEqualTo(written);
    assertThat(first.getParent().getFileName().toString()).matches("[0-9a-f]{8}-\\d+");
  }

  private static List<Path> filesUnder(Path folder) throws IOException {
    try (Stream<Path> files = Files.walk(folder)) {
      return files
          .filter(Files::isRegularFile)
          .filter(file -> !file.getFileName().toString().endsWith(".lock"))
          .toList();
    }
  }
}
