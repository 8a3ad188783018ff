package dev.completions.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.completions.tck.TestModels;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged command line as it is shipped: its manifest, its licence files, and a clean run on
 * the newest JDK installed, where JDK 22 and later warn on standard error about every native
 * library loaded without {@code Enable-Native-Access}.
 */
class PackagedJarIT {

  /** Where JDKs are installed; {@code -Dnewer.jdk.dir=...} points elsewhere. */
  private static final Path JDK_DIR =
      Paths.get(System.getProperty("newer.jdk.dir", "/usr/lib/jvm"));

  @TempDir Path cache;

  private record Result(int status, String stdout, String stderr) {}

  private record Jdk(int feature, Path home) {}

  private static Path jar() {
    return Paths.get(System.getProperty("cli.jar"));
  }

  @Test
  void theManifestEnablesNativeAccessForTheBundledLlamaCpp() throws IOException {
    try (JarFile jar = new JarFile(jar().toFile())) {
      assertThat(jar.getManifest().getMainAttributes().getValue("Enable-Native-Access"))
          .isEqualTo("ALL-UNNAMED");
    }
  }

  @Test
  void theJarCarriesTheLicenceAndTheNoticesOfWhatItBundles() throws IOException {
    try (JarFile jar = new JarFile(jar().toFile())) {
      assertThat(read(jar, "META-INF/LICENSE"))
          .contains("Apache License", "Version 2.0, January 2004");
      assertThat(read(jar, "META-INF/NOTICE"))
          .startsWith("Completions\n")
          .contains(
              "Konstantin Herud",
              "The ggml authors",
              "QOS.ch",
              "Permission is hereby granted",
              "Eclipse Jetty 12",
              "The OpenTelemetry Authors")
          // the dependencies' own NOTICE files, verbatim
          .contains(
              "Apache HttpClient", "Apache HttpComponents Core HTTP/2", "# Jackson JSON processor");
      assertThat(jar.getEntry("META-INF/FastDoubleParser-LICENSE")).isNotNull();
      assertThat(jar.getEntry("META-INF/Schubfach-LICENSE")).isNotNull();
    }
  }

  @Test
  void listsProvidersOnTheNewestJdkWithNothingOnStandardError() throws Exception {
    Jdk jdk = newestJdk();

    Result result = run(jdk, TestModels.stories260K(), "providers");

    assertThat(result.status()).as(result.stderr()).isZero();
    assertThat(result.stdout()).contains("Local");
    assertThat(result.stderr()).as("standard error on JDK %d", jdk.feature()).isEmpty();
  }

  @Test
  void completesWithTheLocalProviderOnTheNewestJdkWithNothingOnStandardError() throws Exception {
    Jdk jdk = newestJdk();
    Optional<Path> model = TestModels.stories260K();
    assumeTrue(
        model.isPresent(), "the tiny test model is not available: " + TestModels.HOW_TO_PROVIDE);

    Result result =
        run(
            jdk,
            model,
            "complete",
            "-p",
            "local",
            "-o",
            "max_tokens=20",
            "-o",
            "seed=3",
            "Once upon a time");

    assertThat(result.status()).as(result.stderr()).isZero();
    assertThat(result.stdout()).isNotBlank();
    assertThat(result.stderr())
        .as(
            "standard error on JDK %d (no 'restricted method' warnings for System::load)",
            jdk.feature())
        .isEmpty();
  }

  /**
   * The JDK under {@link #JDK_DIR} with the highest feature version; skips unless it is above 17.
   */
  private static Jdk newestJdk() throws IOException {
    TreeMap<Integer, Path> found = new TreeMap<>();
    if (Files.isDirectory(JDK_DIR)) {
      try (DirectoryStream<Path> homes = Files.newDirectoryStream(JDK_DIR)) {
        for (Path home : homes) {
          Path release = home.resolve("release");
          if (Files.isRegularFile(release)
              && Files.isExecutable(home.resolve("bin").resolve("java"))) {
            Optional<Integer> feature = featureVersion(release);
            if (feature.isPresent()) {
              found.putIfAbsent(feature.get(), home.toRealPath());
            }
          }
        }
      }
    }
    assumeTrue(
        !found.isEmpty() && found.lastKey() > 17,
        "no JDK newer than 17 is installed under "
            + JDK_DIR
            + " (found "
            + (found.isEmpty() ? "none" : "JDK " + found.keySet())
            + "): the check that the jar runs"
            + " without warnings on JDK 22+ is skipped; install one there (e.g. a JDK 25) or set -Dnewer.jdk.dir");
    return new Jdk(found.lastKey(), found.lastEntry().getValue());
  }

  /** JAVA_VERSION="25.0.3" in a JDK's release file gives 25; "1.8.0_402" gives 8. */
  private static Optional<Integer> featureVersion(Path release) {
    Properties properties = new Properties();
    try (InputStream in = Files.newInputStream(release)) {
      properties.load(in);
    } catch (IOException | IllegalArgumentException e) {
      return Optional.empty();
    }
    String version = properties.getProperty("JAVA_VERSION", "").replace("\"", "");
    String[] parts = version.split("[.+_-]");
    try {
      int first = Integer.parseInt(parts[0]);
      return Optional.of(first == 1 && parts.length > 1 ? Integer.parseInt(parts[1]) : first);
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }

  private Result run(Jdk jdk, Optional<Path> model, String... args) throws Exception {
    List<String> command =
        new ArrayList<>(
            List.of(
                jdk.home().resolve("bin").resolve("java").toString(), "-jar", jar().toString()));
    command.addAll(List.of(args));
    Path out = Files.createTempFile(cache, "stdout", ".txt");
    Path err = Files.createTempFile(cache, "stderr", ".txt");
    ProcessBuilder builder =
        new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
    builder
        .environment()
        .remove("JAVA_TOOL_OPTIONS"); // the JVM would announce it on standard error
    builder.environment().remove("JDK_JAVA_OPTIONS");
    builder.environment().put("LOCAL_CACHE", cache.toString());
    model.ifPresent(path -> builder.environment().put("LOCAL_MODEL", path.toString()));
    Process process = builder.start();
    process.getOutputStream().close();
    boolean exited = process.waitFor(120, TimeUnit.SECONDS);
    if (!exited) {
      process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
    assertThat(exited).as("the JVM exits within 120 s (llama.cpp keeps a native thread)").isTrue();
    return new Result(
        process.exitValue(),
        Files.readString(out, StandardCharsets.UTF_8),
        Files.readString(err, StandardCharsets.UTF_8));
  }

  private static String read(JarFile jar, String name) throws IOException {
    assertThat(jar.getEntry(name)).as(name).isNotNull();
    try (InputStream in = jar.getInputStream(jar.getEntry(name))) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
