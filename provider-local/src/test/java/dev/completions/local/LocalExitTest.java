package dev.completions.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.completions.api.CompletionRequest;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * D21: de.kherud:llama 4.2.0 attaches a native thread to the JVM as a non-daemon thread when it
 * loads a model and never detaches it, not even when the model is closed (upstream
 * kherud/java-llama.cpp#116), so a program's JVM cannot end by returning from main. These tests pin
 * that limitation and check the documented workaround.
 */
class LocalExitTest {

  @TempDir Path cache;

  /**
   * Answers once, closes the provider, then prints the non-daemon threads left and ends as
   * documented.
   */
  static final class Program {
    public static void main(String[] args) {
      LocalSettings settings =
          new LocalSettings(
              args[0],
              Path.of(args[1]),
              1,
              256,
              Duration.ofSeconds(30),
              java.net.URI.create("http://127.0.0.1:9"));
      try (LocalProvider local =
          new LocalProvider(settings, new PrintStream(PrintStream.nullOutputStream()))) {
        System.out.println(
            "answer "
                + !local
                    .complete(
                        CompletionRequest.builder().user("Once upon a time").maxTokens(5).build())
                    .text()
                    .isEmpty());
      }
      List<String> left =
          Thread.getAllStackTraces().keySet().stream()
              .filter(thread -> !thread.isDaemon() && thread != Thread.currentThread())
              .map(Thread::getName)
              .toList();
      System.out.println("non-daemon threads after close: " + left);
      System.exit(0);
    }
  }

  @Test
  void aProgramThatExitsAsDocumentedEndsByItselfAfterClose() throws Exception {
    try (ChildJvm program =
        ChildJvm.start(Program.class, Map.of(), TestModel.path().toString(), cache.toString())) {
      assertThat(program.awaitExit()).as(String.join("\n", program.lines())).isZero();
      assertThat(program.lines()).contains("answer true");
    }
  }

  /**
   * When this fails, the binding lets the JVM end: remove the workaround from LocalProvider and the
   * README.
   */
  @Test
  void theBindingStillLeavesANonDaemonThreadAfterClose() throws Exception {
    try (ChildJvm program =
        ChildJvm.start(Program.class, Map.of(), TestModel.path().toString(), cache.toString())) {
      assertThat(program.awaitLine("non-daemon threads after close: "))
          .isNotEqualTo("non-daemon threads after close: []");
    }
  }
}
