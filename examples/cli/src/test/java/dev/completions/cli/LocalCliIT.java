package dev.completions.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.completions.tck.TestModels;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged command line runs the bundled Local provider on its own, in a real child process.
 */
class LocalCliIT {

  @TempDir Path cache;

  private record Result(int status, String stdout, String stderr) {}

  private Result run(Path model, String... args) throws Exception {
    return run(model, java.util.Map.of(), args);
  }

  private Result run(Path model, java.util.Map<String, String> environment, String... args)
      throws Exception {
    Path java = Paths.get(System.getProperty("java.home"), "bin", "java");
    List<String> command =
        new ArrayList<>(List.of(java.toString(), "-jar", System.getProperty("cli.jar")));
    command.addAll(List.of(args));
    Path err = cache.resolve("stderr.txt");
    ProcessBuilder builder = new ProcessBuilder(command).redirectError(err.toFile());
    builder.environment().put("LOCAL_MODEL", model.toString());
    builder.environment().put("LOCAL_CACHE", cache.toString());
    builder.environment().putAll(environment);
    Process process = builder.start();
    process.getOutputStream().close();
    String stdout = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(120, TimeUnit.SECONDS))
        .as("the JVM exits (llama.cpp keeps a native thread)")
        .isTrue();
    return new Result(process.exitValue(), stdout, Files.readString(err));
  }

  private static Path model() {
    Optional<Path> model = TestModels.stories260K();
    assumeTrue(
        model.isPresent(), "the tiny test model is not available: " + TestModels.HOW_TO_PROVIDE);
    return model.get();
  }

  @Test
  void streamsAStoryFromTheBundledLocalProvider() throws Exception {
    Result result =
        run(
            model(),
            "complete",
            "-p",
            "local",
            "-o",
            "max_tokens=40",
            "-o",
            "seed=3",
            "Once upon a time");

    assertThat(result.status()).as(result.stderr()).isZero();
    assertThat(result.stdout()).endsWith("\n").hasSizeGreaterThan(40);
    assertThat(result.stderr()).as("llama.cpp's log stays off the terminal").isEmpty();
  }

  @Test
  void theOpenTelemetryVariablesPrintTheCallsSpanAndStatsPrintsItsFigures() throws Exception {
    Result result =
        run(
            model(),
            java.util.Map.of("OTEL_TRACES_EXPORTER", "logging", "OTEL_METRICS_EXPORTER", "none"),
            "complete",
            "-p",
            "local",
            "--max-tokens",
            "8",
            "--stats",
            "Once upon a time");

    assertThat(result.status()).as(result.stderr()).isZero();
    assertThat(result.stderr())
        .contains("'chat stories260K' : ")
        .contains(" INTERNAL [tracer: dev.completions:]")
        .contains("gen_ai.provider.name=local")
        .contains("gen_ai.usage.input_tokens=4")
        .contains("gen_ai.usage.output_tokens=8");
    assertThat(result.stderr().lines().reduce((first, second) -> second).orElseThrow())
        .matches(
            "provider-cli: stats: provider Local, model stories260K, 1 attempt, first token"
                + " [0-9.]+ ms, total [0-9.]+ ms, tokens in 4, out 8, [0-9.]+ tokens/s");
  }

  @Test
  void theSameSeedPrintsTheSameStoryInTwoProcesses() throws Exception {
    Result first =
        run(
            model(),
            "complete",
            "-p",
            "local",
            "-o",
            "max_tokens=30",
            "-o",
            "seed=8",
            "Once upon a time");
    Result second =
        run(
            model(),
            "complete",
            "-p",
            "local",
            "-o",
            "max_tokens=30",
            "-o",
            "seed=8",
            "Once upon a time");

    assertThat(first.stdout()).isNotBlank().isEqualTo(second.stdout());
  }

  @Test
  void listsTheLocalProviderWithItsConfiguredModel() throws Exception {
    Result result = run(model(), "providers");

    assertThat(result.status()).isZero();
    assertThat(result.stdout()).containsPattern("\nLocal +stories260K\\* +yes +none +https://");
  }

  @Test
  void aBadModelFileIsAClearErrorNotACrash() throws Exception {
    Path notGguf =
        Files.writeString(
            cache.resolve("notes.gguf"), "plain text, long enough to be read as a header");

    Result result = run(notGguf, "complete", "-p", "local", "Hi");

    assertThat(result.status()).isEqualTo(1);
    assertThat(result.stderr())
        .isEqualTo(
            "provider-cli: bad_request: [Local] "
                + notGguf
                + " is not a GGUF model (it does not start with \"GGUF\")\n");
  }
}
