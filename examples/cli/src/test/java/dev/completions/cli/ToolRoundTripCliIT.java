package dev.completions.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.completions.tck.LoopbackServer;
import dev.completions.tck.OpenAiSse;
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
 * The packaged command line in a child process, with a provider declared in a file named by
 * COMPLETIONS_PROVIDERS that has tools: a tool round trip in text mode (the call printed after the
 * text, then the conversation sent back with --messages) and its capabilities listed.
 */
class ToolRoundTripCliIT {

  @TempDir Path folder;

  private record Result(int status, String stdout, String stderr) {}

  private Result cli(Path declarations, String... args) throws Exception {
    List<String> command =
        new ArrayList<>(
            List.of(
                Paths.get(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar",
                System.getProperty("cli.jar")));
    command.addAll(List.of(args));
    Path stderr = folder.resolve("stderr.txt");
    ProcessBuilder builder = new ProcessBuilder(command).redirectError(stderr.toFile());
    builder.environment().put("COMPLETIONS_PROVIDERS", declarations.toString());
    builder.environment().put("XDG_CONFIG_HOME", folder.resolve("config").toString());
    Process process = builder.start();
    process.getOutputStream().close();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    return new Result(process.exitValue(), output, Files.readString(stderr));
  }

  @Test
  void aToolCallIsPrintedAfterTheTextAndItsResultSentBackWithMessages() throws Exception {
    try (LoopbackServer server = LoopbackServer.start()) {
      Path declarations =
          Files.writeString(
              folder.resolve("providers.json"),
              "{\"providers\":[{\"name\":\"Toolbox\","
                  + "\"base_url\":\""
                  + server.url()
                  + "/v1\",\"auth\":\"none\",\"models\":[\"tb-1\"],\"attempts\":1,"
                  + "\"capabilities\":[\"tools\",\"image_input\",\"json_output\",\"json_schema_output\"]}]}");
      Path weather =
          Files.writeString(
              folder.resolve("weather.json"),
              "{\"name\":\"get_weather\",\"description\":"
                  + "\"The current weather in a city\",\"parameters\":{\"type\":\"object\",\"properties\":{\"city\":"
                  + "{\"type\":\"string\"}},\"required\":[\"city\"]}}");
      Path time =
          Files.writeString(
              folder.resolve("time.json"),
              "{\"name\":\"get_time\",\"parameters\":"
                  + "{\"type\":\"object\",\"properties\":{}}}");
      server.enqueue(
          OpenAiSse.stream(
              OpenAiSse.ROLE,
              OpenAiSse.content("Checking."),
              OpenAiSse.toolCallStart(0, "call_1", "get_weather"),
              OpenAiSse.toolCallArguments(0, "{\"ci"),
              OpenAiSse.toolCallArguments(0, "ty\":\"Paris\"}"),
              OpenAiSse.TOOL_CALLS,
              OpenAiSse.DONE));
      server.enqueue(OpenAiSse.stream(OpenAiSse.answer(List.of("Sunny", ", 18 °C."))));

      Result first =
          cli(
              declarations,
              "complete",
              "-p",
              "toolbox",
              "--tool",
              weather.toString(),
              "--tool",
              time.toString(),
              "--tool-choice",
              "auto",
              "Weather in Paris?");

      assertThat(first.status()).as(first.stderr()).isZero();
      assertThat(first.stdout())
          .isEqualTo("Checking.\ntool call get_weather {\"city\":\"Paris\"} (id call_1)\n");
      assertThat(first.stderr()).isEmpty();
      String tools =
          ",\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"get_weather\",\"description\":"
              + "\"The current weather in a city\",\"parameters\":{\"type\":\"object\",\"properties\":{\"city\":"
              + "{\"type\":\"string\"}},\"required\":[\"city\"]}}},{\"type\":\"function\",\"function\":{\"name\":\"get_time\","
              + "\"description\":\"\",\"parameters\":{\"type\":\"object\",\"properties\":{}}}}]";
      assertThat(server.takeRequest().bodyText())
          .isEqualTo(
              "{\"temperature\":0.7,\"messages\":[{\"role\":\"user\","
                  + "\"content\":\"Weather in Paris?\"}],\"model\":\"tb-1\",\"stream\":true"
                  + tools
                  + ",\"tool_choice\":\"auto\"}");

      Path conversation =
          Files.writeString(
              folder.resolve("conversation.json"),
              """
          [
            {"role": "user", "content": "Weather in Paris?"},
            {"role": "assistant", "content": "Checking.", "tool_calls": [
              {"id": "call_1", "type": "function", "function": {"name": "get_weather", "arguments": "{\\"city\\":\\"Paris\\"}"}}
            ]},
            {"role": "tool", "tool_call_id": "call_1", "content": "sunny, 18 °C"}
          ]
          """);
      Result second =
          cli(
              declarations,
              "complete",
              "-p",
              "toolbox",
              "--tool",
              weather.toString(),
              "--tool",
              time.toString(),
              "--messages",
              conversation.toString());

      assertThat(second.status()).as(second.stderr()).isZero();
      assertThat(second.stdout()).isEqualTo("Sunny, 18 °C.\n");
      assertThat(server.takeRequest().bodyText())
          .isEqualTo(
              "{\"temperature\":0.7,\"messages\":[{\"role\":\"user\","
                  + "\"content\":\"Weather in Paris?\"},{\"role\":\"assistant\",\"content\":\"Checking.\",\"tool_calls\":"
                  + "[{\"id\":\"call_1\",\"type\":\"function\",\"function\":{\"name\":\"get_weather\",\"arguments\":"
                  + "\"{\\\"city\\\":\\\"Paris\\\"}\"}}]},{\"role\":\"tool\",\"content\":\"sunny, 18 °C\",\"tool_call_id\":"
                  + "\"call_1\"}],\"model\":\"tb-1\",\"stream\":true"
                  + tools
                  + "}");

      Result providers = cli(declarations, "providers", "--json");
      Result refused =
          cli(declarations, "complete", "-p", "lockchat", "--tool", weather.toString(), "Hi");

      assertThat(providers.stdout())
          .contains(
              "{\"name\":\"Toolbox\",\"models\":[\"tb-1\"],\"default_model\":\"tb-1\","
                  + "\"streaming\":true,\"needs_auth\":false,\"capabilities\":[\"tools\",\"image_input\",\"json_output\","
                  + "\"json_schema_output\"],");
      assertThat(refused.status()).isEqualTo(2);
      assertThat(refused.stderr())
          .startsWith("provider-cli: Lockchat cannot serve this request: it needs tools,")
          .endsWith(", vLLM, Toolbox\n");
      assertThat(server.requestCount()).isEqualTo(2);
    }
  }
}
