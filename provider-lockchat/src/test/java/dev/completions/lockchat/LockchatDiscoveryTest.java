package dev.completions.lockchat;

import static org.assertj.core.api.Assertions.assertThat;

import dev.completions.api.CompletionProvider;
import dev.completions.api.CompletionRequest;
import dev.completions.api.ParameterInfo;
import dev.completions.registry.ProviderRegistry;
import dev.completions.tck.LoopbackServer;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.ServiceLoader;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class LockchatDiscoveryTest {

  @Test
  void serviceLoaderFindsTheProvider() {
    List<String> found =
        ServiceLoader.load(CompletionProvider.class).stream()
            .map(provider -> provider.type().getName())
            .toList();

    assertThat(found).contains(LockchatProvider.class.getName());
  }

  @Test
  void theRegistrySelectsItByNameIgnoringCase() {
    try (ProviderRegistry registry = ProviderRegistry.load()) {
      assertThat(registry.get("lockchat")).isInstanceOf(LockchatProvider.class);
      assertThat(registry.get("LOCKCHAT")).isSameAs(registry.get("Lockchat"));
      assertThat(registry.problems()).isEmpty();
    }
  }

  @Test
  void theRegistryDescribesItsParametersInTheSeedsForm() {
    try (ProviderRegistry registry = ProviderRegistry.load()) {
      assertThat(registry.parameters("lockchat").describe())
          .isEqualTo(
              "Lockchat supports: (model: String, messages: List<Message>, stream: boolean, temperature: double = 0.7, "
                  + "max_tokens: Integer, top_p: Double, stop: List<String>, presence_penalty: Double, "
                  + "frequency_penalty: Double, seed: Long, user: String)");
      assertThat(registry.parameters("lockchat").list())
          .contains(
              new ParameterInfo(
                  "temperature",
                  "double",
                  false,
                  "0.7",
                  "Randomness of generation",
                  0.0,
                  2.0,
                  List.of()),
              new ParameterInfo(
                  "messages",
                  "List<Message>",
                  true,
                  null,
                  "The conversation: role and content of each message",
                  null,
                  null,
                  List.of()));
    }
  }

  @Test
  void constructingAndStartingARequestDoesNoIo() {
    try (LoopbackServer server = LoopbackServer.start()) {
      LockchatProvider lockchat =
          new LockchatProvider(
              LockchatProvider.DEFAULTS.toBuilder().baseUrl(server.url().toString()).build());
      lockchat.complete(CompletionRequest.of("Hi")).close();
      lockchat.close();
      assertThat(server.connectionCount()).isZero();
    }
  }

  @Test
  void theProviderAndTheBuiltInCatalogueAreFoundOnTheModulePath() throws Exception {
    List<String> modulePath = new ArrayList<>();
    modulePath.add(Paths.get("target", "classes").toAbsolutePath().toString());
    Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
        .filter(
            entry ->
                List.of(
                        "provider-api",
                        "provider-openai",
                        "provider-registry",
                        "httpclient5",
                        "httpcore5",
                        "jackson-core",
                        "slf4j-api")
                    .stream()
                    .anyMatch(entry::contains))
        .forEach(modulePath::add);
    Path java = Paths.get(System.getProperty("java.home"), "bin", "java");
    Process process =
        new ProcessBuilder(
                java.toString(),
                "--module-path",
                String.join(File.pathSeparator, modulePath),
                "--add-modules",
                "ALL-MODULE-PATH",
                "-cp",
                Paths.get("target", "test-classes").toAbsolutePath().toString(),
                dev.completions.modulecheck.ModulePathMain.class.getName())
            .redirectError(ProcessBuilder.Redirect.DISCARD)
            .start();
    String output =
        new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();

    String catalogue =
        Stream.of(
                "OpenAI",
                "Groq",
                "DeepSeek",
                "Mistral",
                "OpenRouter",
                "Together",
                "xAI",
                "Cerebras",
                "Fireworks",
                "DeepInfra",
                "Ollama",
                "LlamaCpp",
                "LMStudio",
                "vLLM")
            .map(name -> ", " + name + " in module dev.completions.openai")
            .collect(Collectors.joining());
    assertThat(output)
        .isEqualTo("Lockchat in module dev.completions.lockchat" + catalogue + "; problems: []");
    assertThat(process.exitValue()).isZero();
  }
}
