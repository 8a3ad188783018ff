package dev.completions.openai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.completions.api.CompletionProvider;
import dev.completions.api.CompletionRequest;
import dev.completions.api.ConfigSource;
import dev.completions.api.ProviderCatalog;
import dev.completions.api.ProviderException;
import dev.completions.registry.ProviderRegistry;
import dev.completions.tck.LoopbackServer;
import dev.completions.tck.OpenAiSse;
import dev.completions.tck.RecordedRequest;
import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Providers declared in providers.json files: the format, its errors, the sources, end to end. */
class DeclaredProvidersTest {

  private static final ClassLoader NO_PACKS = new URLClassLoader(new URL[0], null);

  @TempDir Path folder;

  private final LoopbackServer server = LoopbackServer.start();

  @AfterEach
  void close() {
    server.close();
  }

  private Path file(String name, String json) throws IOException {
    return Files.writeString(folder.resolve(name), json);
  }

  private ProviderCatalog.Contents load(Map<String, String> environment, Path... files) {
    List<String> paths = java.util.Arrays.stream(files).map(Path::toString).toList();
    Map<String, String> env = new java.util.HashMap<>(environment);
    env.put("COMPLETIONS_PROVIDERS", String.join(java.io.File.pathSeparator, paths));
    return new DeclaredProviders(ConfigSource.of(Map.of(), env), folder.resolve("no-config-home"))
        .load(NO_PACKS);
  }

  private String groq(String baseUrl) {
    return "{\"providers\":[{\"name\":\"Groq\",\"base_url\":\""
        + baseUrl
        + "\",\"api_key_env\":\"GROQ_API_KEY\","
        + "\"models\":[\"llama-3.3-70b-versatile\",\"llama-3.1-8b-instant\"],\"default_model\":\"llama-3.3-70b-versatile\"}]}";
  }

  @Test
  void aDeclaredProviderStreamsWithItsKeySentAsABearerToken() throws Exception {
    Path declared = file("groq.json", groq(server.url() + "/openai/v1"));
    server.enqueue(OpenAiSse.stream(OpenAiSse.answer(List.of("Hello", " there"))));

    ProviderCatalog.Contents contents = load(Map.of("GROQ_API_KEY", "gsk-test-key"), declared);
    assertThat(contents.problems()).isEmpty();
    try (CompletionProvider groq = contents.providers().get(0)) {
      assertThat(groq.info().name()).isEqualTo("Groq");
      assertThat(groq.info().needsAuth()).isTrue();
      assertThat(groq.complete(CompletionRequest.of("Hi")).text()).isEqualTo("Hello there");
      assertThat(groq.toString()).doesNotContain("gsk-test-key");
    }
    RecordedRequest sent = server.takeRequest();
    assertThat(sent.path()).isEqualTo("/openai/v1/chat/completions");
    assertThat(sent.header("Authorization")).isEqualTo("Bearer gsk-test-key");
    assertThat(sent.query()).isEmpty();
    assertThat(sent.bodyText()).contains("\"model\":\"llama-3.3-70b-versatile\"");
  }

  @Test
  void aMissingKeyFailsBeforeAnyIoNamingTheVariable() throws Exception {
    Path declared = file("groq.json", groq(server.url() + "/openai/v1"));

    try (CompletionProvider groq = load(Map.of(), declared).providers().get(0)) {
      ProviderException e =
          catchThrowableOfType(
              ProviderException.class, () -> groq.complete(CompletionRequest.of("Hi")).text());

      assertThat(e)
          .isInstanceOf(ProviderException.AuthenticationFailed.class)
          .hasMessage("[Groq] no API key: set GROQ_API_KEY (or the property groq.apiKey)");
      assertThat(e.isRetryable()).isFalse();
    }
    assertThat(server.connectionCount()).isZero();
  }

  @Test
  void theUrlAndKeyAreOverriddenWithTheLowerCasedNameAsPrefix() throws Exception {
    Path declared = file("groq.json", groq("http://192.0.2.1:9/v1"));
    server.enqueue(OpenAiSse.stream(OpenAiSse.answer(List.of("ok"))));

    try (CompletionProvider groq =
        load(Map.of("GROQ_URL", server.url() + "/v2", "GROQ_API_KEY", "k2"), declared)
            .providers()
            .get(0)) {
      groq.complete(CompletionRequest.of("Hi")).text();
    }
    RecordedRequest sent = server.takeRequest();
    assertThat(sent.path()).isEqualTo("/v2/chat/completions");
    assertThat(sent.header("Authorization")).isEqualTo("Bearer k2");
  }

  @Test
  void headersAuthPlacementsAndTimeoutsAreDeclared() throws Exception {
    Path declared =
        file(
            "custom.json",
            "{\"providers\":[{\"name\":\"Custom\",\"base_url\":\""
                + server.url()
                + "\","
                + "\"api_key_env\":\"CUSTOM_KEY\",\"auth\":\"header:x-api-key\",\"headers\":{\"X-Team\":\"blue\"},"
                + "\"models\":[\"m\"],\"idle_timeout\":\"5s\",\"attempts\":2}]}");
    server.enqueue(OpenAiSse.stream(OpenAiSse.answer(List.of("ok"))));

    try (OpenAiCompatibleProvider custom =
        (OpenAiCompatibleProvider)
            load(Map.of("CUSTOM_KEY", "secret-1"), declared).providers().get(0)) {
      custom.complete(CompletionRequest.of("Hi")).text();
      assertThat(custom.config().idleTimeout()).hasSeconds(5);
      assertThat(custom.config().attempts()).isEqualTo(2);
    }
    RecordedRequest sent = server.takeRequest();
    assertThat(sent.header("x-api-key")).isEqualTo("secret-1");
    assertThat(sent.header("X-Team")).isEqualTo("blue");
    assertThat(sent.header("Authorization")).isNull();
  }

  @Test
  void theTokenLimitIsSentInTheDeclaredField() throws Exception {
    Path declared =
        file(
            "openai.json",
            "{\"providers\":[{\"name\":\"Next\",\"base_url\":\""
                + server.url()
                + "\",\"models\":[\"o4-mini\"],\"max_tokens_field\":\"max_completion_tokens\"}]}");
    server.enqueue(OpenAiSse.stream(OpenAiSse.answer(List.of("ok"))));

    try (CompletionProvider next = load(Map.of(), declared).providers().get(0)) {
      next.complete(CompletionRequest.builder().user("Hi").maxTokens(32).build()).text();
    }

    assertThat(server.takeRequest().bodyText()).endsWith(",\"max_completion_tokens\":32}");
  }

  @Test
  void aTokenLimitFieldThatIsNotAPlainNameIsAProblem() throws Exception {
    Path declared =
        file(
            "bad.json",
            "{\"providers\":[{\"name\":\"Bad\",\"base_url\":\"http://h/v1\",\"models\":[\"m\"],"
                + "\"max_tokens_field\":\"max\\\"tokens\"}]}");

    assertThat(load(Map.of(), declared).problems())
        .extracting(ProviderCatalog.Problem::reason)
        .containsExactly(
            "max_tokens_field: must be a field name of letters, digits and _, starting with a"
                + " letter, such as max_tokens or max_completion_tokens, got 'max\"tokens'");
  }

  @Test
  void aBrokenEntryIsAProblemNamingFileEntryAndFieldAndHidesNoOther() throws Exception {
    Path declared =
        file(
            "mixed.json",
            "{\"providers\":["
                + "{\"name\":\"Typo\",\"base_url\":\"http://h/v1\",\"modles\":[\"m\"]},"
                + "{\"name\":\"NoModels\",\"base_url\":\"http://h/v1\"},"
                + "{\"name\":\"WrongType\",\"base_url\":\"http://h/v1\",\"models\":\"m\"},"
                + "{\"name\":\"BadAuth\",\"base_url\":\"http://h/v1\",\"models\":[\"m\"],\"auth\":\"basic\"},"
                + "{\"name\":\"Fine\",\"base_url\":\"http://h/v1\",\"models\":[\"m\"]}]}");

    ProviderCatalog.Contents contents = load(Map.of(), declared);

    assertThat(contents.providers()).extracting(p -> p.info().name()).containsExactly("Fine");
    assertThat(contents.problems())
        .extracting(ProviderCatalog.Problem::source)
        .containsExactly(
            declared + ", providers[0] (Typo)", declared + ", providers[1] (NoModels)",
            declared + ", providers[2] (WrongType)", declared + ", providers[3] (BadAuth)");
    assertThat(contents.problems())
        .extracting(ProviderCatalog.Problem::reason)
        .containsExactly(
            "unknown field 'modles'; allowed: name, base_url, api_key_env, models, default_model, auth, headers, url,"
                + " connect_timeout, first_byte_timeout, idle_timeout, attempts, capabilities, max_tokens_field",
            "'models' is required",
            "'models' must be a non-empty array of model id strings",
            "'auth' must be bearer, none, header:NAME or query:NAME, got 'basic'");
  }

  @Test
  void aFileThatIsNotJsonIsOneProblemAndTheOtherFilesStillLoad() throws Exception {
    Path broken = file("broken.json", "{\"providers\": [");
    Path fine = file("fine.json", groq("http://h/v1"));

    ProviderCatalog.Contents contents = load(Map.of(), broken, fine);

    assertThat(contents.providers()).extracting(p -> p.info().name()).containsExactly("Groq");
    assertThat(contents.problems())
        .singleElement()
        .satisfies(
            problem -> {
              assertThat(problem.source()).isEqualTo(broken.toString());
              assertThat(problem.reason()).startsWith("is not valid JSON: ");
            });
  }

  @Test
  void theConfigHomeFileIsReadWhenItExists() throws Exception {
    Files.createDirectories(folder.resolve("config/completions"));
    Files.writeString(folder.resolve("config/completions/providers.json"), groq("http://h/v1"));

    ProviderCatalog.Contents contents =
        new DeclaredProviders(ConfigSource.of(Map.of(), Map.of()), folder.resolve("config"))
            .load(NO_PACKS);

    assertThat(contents.providers()).extracting(p -> p.info().name()).containsExactly("Groq");
  }

  @Test
  void aJarHoldingOnlyProvidersJsonIsAProviderPackForTheRegistry() throws Exception {
    Path pack = folder.resolve("pack.jar");
    try (JarOutputStream jar = new JarOutputStream(Files.newOutputStream(pack))) {
      jar.putNextEntry(new JarEntry(DeclaredProviders.RESOURCE));
      jar.write(groq("http://h/v1").replace("Groq", "PackedGroq").getBytes(StandardCharsets.UTF_8));
      jar.closeEntry();
    }
    try (URLClassLoader loader =
            new URLClassLoader(new URL[] {pack.toUri().toURL()}, getClass().getClassLoader());
        ProviderRegistry registry = ProviderRegistry.load(loader)) {
      assertThat(registry.find("packedgroq")).isPresent();
      assertThat(registry.find("groq")).as("the built-in catalogue is there too").isPresent();
      assertThat(registry.problems()).isEmpty();
    }
  }

  @Test
  void theBuiltInCatalogueDeclaresTheWellKnownServicesWithoutProblems() {
    ProviderCatalog.Contents contents =
        new DeclaredProviders(ConfigSource.of(Map.of(), Map.of()), folder)
            .load(getClass().getClassLoader());

    assertThat(contents.problems()).isEmpty();
    assertThat(contents.providers())
        .extracting(p -> p.info().name())
        .containsExactly(
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
            "vLLM");
    assertThat(contents.providers())
        .filteredOn(p -> p.info().needsAuth())
        .extracting(p -> p.info().name())
        .containsExactly(
            "OpenAI",
            "Groq",
            "DeepSeek",
            "Mistral",
            "OpenRouter",
            "Together",
            "xAI",
            "Cerebras",
            "Fireworks",
            "DeepInfra");
  }
}
