package dev.completions.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.completions.tck.TestModels;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code provider-cli serve} as shipped: one line with the URL, the catalogue and Local listed, a
 * stream from the tiny model when it is present, and SIGTERM stops it.
 */
class ServeCliIT {

  @TempDir Path cache;

  @Test
  void servesTheProvidersAndStopsOnSigterm() throws Exception {
    Optional<Path> model = TestModels.stories260K();
    List<String> command =
        List.of(
            Paths.get(System.getProperty("java.home"), "bin", "java").toString(),
            "-jar",
            System.getProperty("cli.jar"),
            "serve",
            "--port",
            "0");
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(false);
    builder.environment().put("LOCAL_CACHE", cache.toString());
    model.ifPresent(path -> builder.environment().put("LOCAL_MODEL", path.toString()));
    Process process = builder.start();
    try {
      BufferedReader out =
          new BufferedReader(
              new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
      String line = out.readLine();
      assertThat(line).startsWith("provider-cli: serving on http://127.0.0.1:").endsWith("/v1");
      URI base = URI.create(line.substring("provider-cli: serving on ".length()) + "/");
      String models =
          new String(
              open(base.resolve("models"), null).getInputStream().readAllBytes(),
              StandardCharsets.UTF_8);
      assertThat(models).contains("\"id\":\"local\"", "\"id\":\"groq\"", "\"owned_by\":\"Groq\"");

      if (model.isPresent()) {
        HttpURLConnection stream =
            open(
                base.resolve("chat/completions"),
                "{\"model\":\"local\",\"stream\":true,\"max_tokens\":8,"
                    + "\"messages\":[{\"role\":\"user\",\"content\":\"Once upon a time\"}]}");
        assertThat(stream.getResponseCode()).isEqualTo(200);
        assertThat(new String(stream.getInputStream().readAllBytes(), StandardCharsets.UTF_8))
            .startsWith("data: {\"id\":\"chatcmpl-")
            .contains("\"delta\":{\"content\":")
            .endsWith("data: [DONE]\n\n");
      }
    } finally {
      process.destroy(); // SIGTERM
      assertThat(process.waitFor(20, TimeUnit.SECONDS)).isTrue();
    }
    assertThat(process.exitValue()).isEqualTo(143); // 128 + SIGTERM, after the shutdown hook ran
  }

  /** A GET, or a POST of this JSON. */
  private static HttpURLConnection open(URI uri, String json) throws java.io.IOException {
    HttpURLConnection connection = (HttpURLConnection) uri.toURL().openConnection();
    connection.setConnectTimeout(5_000);
    connection.setReadTimeout(60_000);
    if (json != null) {
      connection.setRequestMethod("POST");
      connection.setDoOutput(true);
      connection.setRequestProperty("Content-Type", "application/json");
      connection.getOutputStream().write(json.getBytes(StandardCharsets.UTF_8));
    }
    return connection;
  }
}
