package dev.completions.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.completions.tck.LoopbackServer;
import dev.completions.tck.OpenAiSse;
import dev.completions.tck.RecordedRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A provider declared in a file named by COMPLETIONS_PROVIDERS, its key in the variable it names,
 * end to end.
 */
class DeclaredProviderCliIT {

  private static final String KEY = "sk-declared-0123456789";

  @TempDir Path folder;

  private record Result(int status, String output) {}

  private Result cli(Path declarations, String... args) throws Exception {
    List<String> command =
        new ArrayList<>(
            List.of(
                Paths.get(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar",
                System.getProperty("cli.jar")));
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().put("COMPLETIONS_PROVIDERS", declarations.toString());
    builder.environment().put("ACME_CLOUD_KEY", KEY);
    builder.environment().put("XDG_CONFIG_HOME", folder.resolve("config").toString());
    Process process = builder.start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    return new Result(process.exitValue(), output);
  }

  @Test
  void isListedDescribedAndStreamsWithItsKeyAsABearerTokenThatNoOutputShows() throws Exception {
    try (LoopbackServer server = LoopbackServer.start()) {
      Path declarations =
          Files.writeString(
              folder.resolve("providers.json"),
              "{\"providers\":[{\"name\":\"AcmeCloud\","
                  + "\"base_url\":\""
                  + server.url()
                  + "/v1\",\"api_key_env\":\"ACME_CLOUD_KEY\",\"models\":[\"acme-large\","
                  + "\"acme-small\"],\"default_model\":\"acme-small\"}]}");
      server.enqueue(OpenAiSse.stream(OpenAiSse.answer(List.of("Hello", " from", " Acme"))));
      server.enqueue(
          exchange ->
              exchange.respond(
                  401,
                  "application/json",
                  "{\"error\":{\"message\":\"Incorrect API key provided: " + KEY + "\"}}"));

      Result providers = cli(declarations, "providers");
      Result describe = cli(declarations, "describe", "acmecloud");
      Result complete = cli(declarations, "complete", "-p", "acmecloud", "Hi");
      Result refused = cli(declarations, "complete", "-p", "acmecloud", "Hi");

      assertThat(providers.status()).isZero();
      assertThat(providers.output())
          .containsPattern("\nAcmeCloud +acme-large, acme-small\\* +yes +ACME_CLOUD_KEY \\(set\\)");
      assertThat(describe.status()).isZero();
      assertThat(describe.output())
          .startsWith(
              "AcmeCloud supports: (model: String, messages: List<Message>, stream: boolean,")
          .contains("\nmax_tokens         Integer >= 1       no ");
      assertThat(complete.status()).isZero();
      assertThat(complete.output()).isEqualTo("Hello from Acme\n");
      assertThat(refused.status()).isEqualTo(1);
      assertThat(refused.output())
          .startsWith("provider-cli: auth: [AcmeCloud] HTTP 401: Incorrect API key provided: ***");
      RecordedRequest sent = server.takeRequest();
      assertThat(sent.path()).isEqualTo("/v1/chat/completions");
      assertThat(sent.header("Authorization")).isEqualTo("Bearer " + KEY);
      assertThat(sent.bodyText()).contains("\"model\":\"acme-small\"");
      for (Result result : List.of(providers, describe, complete, refused)) {
        assertThat(result.output()).doesNotContain(KEY);
      }
    }
  }
}
