package org.example.ollama;

import static org.assertj.core.api.Assertions.assertThat;

import dev.completions.tck.LoopbackServer;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The packaged jar beside the command-line jar, in a real child process, as a user runs it. */
class OllamaCliIT {

  private static final Path CLI_JAR = Paths.get(System.getProperty("cli.jar"));
  private static final Path PROVIDER_JAR = Paths.get(System.getProperty("provider.jar"));

  private record Result(int status, String stdout, String stderr) {}

  private static Result run(String ollamaUrl, String... args) throws Exception {
    assertThat(CLI_JAR).exists();
    assertThat(PROVIDER_JAR).exists();
    Path java = Paths.get(System.getProperty("java.home"), "bin", "java");
    List<String> command =
        new java.util.ArrayList<>(
            List.of(
                java.toString(),
                "-cp",
                CLI_JAR + File.pathSeparator + PROVIDER_JAR,
                "dev.completions.cli.Cli"));
    command.addAll(List.of(args));
    Path err = Files.createTempFile("cli", ".err");
    ProcessBuilder builder = new ProcessBuilder(command).redirectError(err.toFile());
    builder.environment().put("OLLAMA_NATIVE_URL", ollamaUrl);
    Process process = builder.start();
    process.getOutputStream().close();
    String stdout = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    String stderr = Files.readString(err);
    Files.delete(err);
    return new Result(process.exitValue(), stdout, stderr);
  }

  @Test
  void providersListsTheThirdPartyProviderAsOllamaNativeBesideLockchat() throws Exception {
    Result result = run("http://127.0.0.1:9", "providers");

    assertThat(result.status()).as(result.stderr()).isZero();
    assertThat(result.stdout())
        .containsPattern("\nLockchat +gpt-4, gpt-3.5-turbo\\* ")
        .containsPattern("\nOllama-Native +llama3.2\\* +yes +none +https://ollama.com\n");
  }

  @Test
  void describeShowsItsParameters() throws Exception {
    Result result = run("http://127.0.0.1:9", "describe", "ollama-native");

    assertThat(result.status()).as(result.stderr()).isZero();
    assertThat(result.stdout().lines().findFirst())
        .contains(
            "Ollama-Native supports: (model: String, messages: List<Message>, stream: boolean, temperature: double = 0.7, "
                + "max_tokens: Integer, top_p: Double, top_k: Integer, seed: Long, stop: List<String>)");
  }

  @Test
  void completeStreamsFromALocalOllamaStyleServer() throws Exception {
    try (LoopbackServer server = LoopbackServer.start()) {
      server.enqueue(
          OllamaNativeProviderTest.ndjson(
              OllamaNativeProviderTest.piece("Hello"),
              OllamaNativeProviderTest.piece(" from Ollama"),
              OllamaNativeProviderTest.DONE));

      Result result =
          run(server.url().toString(), "complete", "-p", "ollama-native", "Hello, how are you?");

      assertThat(result.status()).as(result.stderr()).isZero();
      assertThat(result.stdout()).isEqualTo("Hello from Ollama\n");
      assertThat(server.takeRequest().path()).isEqualTo("/api/chat");
    }
  }

  @Test
  void completeWithJsonLinesReportsAConnectionFailure() throws Exception {
    Result result = run("http://127.0.0.1:9", "complete", "-p", "ollama-native", "--jsonl", "Hi");

    assertThat(result.status()).isEqualTo(1);
    assertThat(result.stdout())
        .startsWith(
            "{\"type\":\"error\",\"kind\":\"connection\",\"message\":\"[Ollama-Native] could not connect to 127.0.0.1:9: ");
  }
}
