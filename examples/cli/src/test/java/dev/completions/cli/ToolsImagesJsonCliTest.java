package dev.completions.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.completions.tck.LoopbackServer;
import dev.completions.tck.OpenAiSse;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code complete}'s tools, images and JSON output, in process, against a loopback server: Toolbox,
 * a provider declared in a providers.json file (named by {@code -D completions.providers=FILE})
 * with every capability but reasoning, and Lockchat, which declares none.
 */
class ToolsImagesJsonCliTest {

  /** The weather tool's file, pretty-printed: the request carries it compact. */
  private static final String WEATHER_FILE =
      """
      {
        "name": "get_weather",
        "description": "The current weather in a city",
        "parameters": {
          "type": "object",
          "properties": {"city": {"type": "string"}, "unit": {"enum": ["c", "f"], "default": "c"}},
          "required": ["city"],
          "additionalProperties": false
        }
      }
      """;

  /** The time tool's file, in OpenAI's tool-object form. */
  private static final String TIME_FILE =
      "{\"type\":\"function\",\"function\":{\"name\":\"get_time\","
          + "\"description\":\"The local time in a city\",\"parameters\":{\"type\":\"object\",\"properties\":"
          + "{\"city\":{\"type\":\"string\"}},\"minProperties\":1.0E0}}}";

  private static final String WEATHER_TOOL =
      "{\"type\":\"function\",\"function\":{\"name\":\"get_weather\","
          + "\"description\":\"The current weather in a city\",\"parameters\":{\"type\":\"object\",\"properties\":"
          + "{\"city\":{\"type\":\"string\"},\"unit\":{\"enum\":[\"c\",\"f\"],\"default\":\"c\"}},\"required\":[\"city\"],"
          + "\"additionalProperties\":false}}}";

  private static final String TIME_TOOL =
      "{\"type\":\"function\",\"function\":{\"name\":\"get_time\","
          + "\"description\":\"The local time in a city\",\"parameters\":{\"type\":\"object\",\"properties\":"
          + "{\"city\":{\"type\":\"string\"}},\"minProperties\":1.0E0}}}";

  private static final String PROMPT = "What is the weather in Paris?";

  /** The providers that declare tools: the built-in catalogue's, then Toolbox. */
  private static final String HAVE_TOOLS =
      "OpenAI, Groq, DeepSeek, Mistral, OpenRouter, Together, xAI, Cerebras,"
          + " Fireworks, DeepInfra, Ollama, LlamaCpp, LMStudio, vLLM, Toolbox";

  @TempDir Path folder;

  private final LoopbackServer server = LoopbackServer.start();
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();
  private Path declarations;
  private Path weather;
  private Path time;
  private String stdin = "";

  @BeforeEach
  void declareToolbox() throws IOException {
    declarations =
        Files.writeString(
            folder.resolve("providers.json"),
            "{\"providers\":[{\"name\":\"Toolbox\","
                + "\"base_url\":\""
                + server.url()
                + "/v1\",\"auth\":\"none\",\"models\":[\"tb-large\",\"tb-small\"],"
                + "\"default_model\":\"tb-small\",\"attempts\":1,"
                + "\"capabilities\":[\"tools\",\"image_input\",\"json_output\",\"json_schema_output\"]}]}");
    weather = Files.writeString(folder.resolve("weather.json"), WEATHER_FILE);
    time = Files.writeString(folder.resolve("time.json"), TIME_FILE);
  }

  @AfterEach
  void close() {
    server.close();
    System.getProperties().stringPropertyNames().stream()
        .filter(
            k ->
                k.startsWith("lockchat.") || k.startsWith("local.") || k.startsWith("completions."))
        .forEach(System::clearProperty);
  }

  private int run(String... args) {
    List<String> all =
        new ArrayList<>(
            List.of(
                "-D",
                "lockchat.url=" + server.url(),
                "-D",
                "lockchat.attempts=1",
                "-D",
                "local.model=/models/tiny.gguf",
                "-D",
                "completions.providers=" + declarations));
    all.addAll(List.of(args));
    out.reset();
    err.reset();
    return Cli.run(
        all.toArray(String[]::new),
        new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
        new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  private String stdout() {
    return out.toString(StandardCharsets.UTF_8);
  }

  private String stderr() {
    return err.toString(StandardCharsets.UTF_8);
  }

  private String body() throws InterruptedException {
    return server.takeRequest().bodyText();
  }

  private Path file(String name, String content) throws IOException {
    return Files.writeString(folder.resolve(name), content);
  }

  private Path file(String name, byte[] content) throws IOException {
    return Files.write(folder.resolve(name), content);
  }

  private static String request(String messages, String rest) {
    return "{\"temperature\":0.7,\"messages\":["
        + messages
        + "],\"model\":\"tb-small\",\"stream\":true"
        + rest
        + "}";
  }

  private static String user(String text) {
    return "{\"role\":\"user\",\"content\":" + LoopbackServer.jsonString(text) + "}";
  }

  /**
   * A tool call streamed as OpenAI does: the start with id and name, then the arguments in two
   * pieces.
   */
  private static String[] weatherCallInPieces(int index, String id, String city) {
    return new String[] {
      OpenAiSse.toolCallStart(index, id, "get_weather"),
      OpenAiSse.toolCallArguments(index, "{\"city\":"),
      OpenAiSse.toolCallArguments(index, "\"" + city + "\"}")
    };
  }

  private static String[] concat(String[]... parts) {
    List<String> all = new ArrayList<>();
    for (String[] part : parts) {
      all.addAll(List.of(part));
    }
    return all.toArray(String[]::new);
  }

  // ---- the tool round trip ----

  @Test
  void aToolRoundTripThroughJsonLines() throws Exception {
    // 1. the request offers two tools; 2. the answer streams a call in pieces
    server.enqueue(
        OpenAiSse.stream(
            concat(
                new String[] {OpenAiSse.ROLE},
                weatherCallInPieces(0, "call_1", "Paris"),
                new String[] {OpenAiSse.TOOL_CALLS, OpenAiSse.DONE})));

    assertThat(
            run(
                "complete",
                "-p",
                "toolbox",
                "--jsonl",
                "--tool",
                weather.toString(),
                "--tool",
                time.toString(),
                PROMPT))
        .as(stderr())
        .isZero();

    String call =
        "\"index\":0,\"id\":\"call_1\",\"name\":\"get_weather\",\"arguments\":\"{\\\"city\\\":\\\"Paris\\\"}\"";
    assertThat(stdout().lines().map(CliTest::withoutTimes))
        .containsExactly(
            "{\"type\":\"tool_call\"," + call + "}",
            "{\"type\":\"done\",\"provider\":\"Toolbox\",\"model\":\"tb-small\",\"finish_reason\":\"tool_calls\","
                + "\"usage\":null,\"attempts\":1,\"time_to_first_token_ms\":T,\"duration_ms\":T,"
                + "\"tokens_per_second\":null,\"tool_calls\":[{"
                + call
                + "}]}");
    assertThat(stderr()).isEmpty();
    assertThat(body())
        .isEqualTo(request(user(PROMPT), ",\"tools\":[" + WEATHER_TOOL + "," + TIME_TOOL + "]"));

    // 3. the caller sends the assistant's calls (read from the done event) and the tool's result
    // back
    List<Map<String, String>> calls =
        toolCallsOfDone(stdout().lines().reduce((a, b) -> b).orElseThrow());
    StringBuilder conversation =
        new StringBuilder(
            "[{\"role\":\"user\",\"content\":\""
                + PROMPT
                + "\"},"
                + "{\"role\":\"assistant\",\"content\":null,\"tool_calls\":[");
    for (Map<String, String> made : calls) {
      conversation
          .append("{\"id\":")
          .append(LoopbackServer.jsonString(made.get("id")))
          .append(",\"type\":\"function\",\"function\":{\"name\":")
          .append(LoopbackServer.jsonString(made.get("name")))
          .append(",\"arguments\":")
          .append(LoopbackServer.jsonString(made.get("arguments")))
          .append("}}");
    }
    conversation
        .append("]},{\"role\":\"tool\",\"tool_call_id\":")
        .append(LoopbackServer.jsonString(calls.get(0).get("id")))
        .append(",\"content\":\"{\\\"temperature_c\\\":18}\"}]");
    Path messages = file("conversation.json", conversation.toString());
    // 4. the final answer streams text
    server.enqueue(OpenAiSse.stream(OpenAiSse.answer(List.of("It is 18", " °C in Paris."))));

    assertThat(
            run(
                "complete",
                "-p",
                "toolbox",
                "--jsonl",
                "--tool",
                weather.toString(),
                "--tool",
                time.toString(),
                "--messages",
                messages.toString()))
        .as(stderr())
        .isZero();

    assertThat(stdout().lines().map(CliTest::withoutTimes))
        .containsExactly(
            "{\"type\":\"token\",\"text\":\"It is 18\"}",
            "{\"type\":\"token\",\"text\":\" °C in Paris.\"}",
            "{\"type\":\"done\",\"provider\":\"Toolbox\",\"model\":\"gpt-3.5-turbo-0613\",\"finish_reason\":\"stop\","
                + "\"usage\":null,\"attempts\":1,\"time_to_first_token_ms\":T,\"duration_ms\":T,"
                + "\"tokens_per_second\":null,\"tool_calls\":[]}");
    assertThat(body())
        .isEqualTo(
            request(
                user(PROMPT)
                    + ",{\"role\":\"assistant\",\"content\":null,\"tool_calls\":[{\"id\":\"call_1\",\"type\":\"function\","
                    + "\"function\":{\"name\":\"get_weather\",\"arguments\":\"{\\\"city\\\":\\\"Paris\\\"}\"}}]}"
                    + ",{\"role\":\"tool\",\"content\":\"{\\\"temperature_c\\\":18}\",\"tool_call_id\":\"call_1\"}",
                ",\"tools\":[" + WEATHER_TOOL + "," + TIME_TOOL + "]"));
  }

  /** The {@code tool_calls} of a {@code done} line, each as its fields. */
  private static List<Map<String, String>> toolCallsOfDone(String line) throws IOException {
    List<Map<String, String>> calls = new ArrayList<>();
    try (JsonParser json = new JsonFactory().createParser(line)) {
      while (json.nextToken() != null) {
        if (json.currentToken() == JsonToken.FIELD_NAME
            && json.currentName().equals("tool_calls")) {
          json.nextToken();
          while (json.nextToken() == JsonToken.START_OBJECT) {
            Map<String, String> call = new LinkedHashMap<>();
            while (json.nextToken() == JsonToken.FIELD_NAME) {
              String field = json.currentName();
              json.nextToken();
              call.put(field, json.getText());
            }
            calls.add(call);
          }
        }
      }
    }
    assertThat(calls).isNotEmpty();
    return calls;
  }

  @Test
  void printsToolCallsAfterTheTextOneLineEach() throws Exception {
    server.enqueue(
        OpenAiSse.stream(
            concat(
                new String[] {OpenAiSse.content("Let me check.")},
                weatherCallInPieces(0, "call_1", "Paris"),
                weatherCallInPieces(1, "call_2", "Oslo"),
                new String[] {OpenAiSse.TOOL_CALLS, OpenAiSse.DONE})));

    assertThat(run("complete", "-p", "toolbox", "--tool", weather.toString(), PROMPT)).isZero();

    assertThat(stdout())
        .isEqualTo(
            "Let me check.\n"
                + "tool call get_weather {\"city\":\"Paris\"} (id call_1)\n"
                + "tool call get_weather {\"city\":\"Oslo\"} (id call_2)\n");
    assertThat(stderr()).isEmpty();
  }

  @Test
  void anAnswerOfToolCallsAlonePrintsOnlyTheirLinesWithArgumentsOnOneLine() throws Exception {
    server.enqueue(
        OpenAiSse.stream(
            OpenAiSse.toolCallStart(0, "call_9", "get_time"),
            OpenAiSse.toolCallArguments(0, "{\n  \"city\": \"Paris\"\n}"),
            OpenAiSse.TOOL_CALLS,
            OpenAiSse.DONE));

    assertThat(
            run(
                "complete",
                "-p",
                "toolbox",
                "--tool",
                time.toString(),
                "--tool-choice",
                "get_time",
                PROMPT))
        .isZero();

    assertThat(stdout()).isEqualTo("tool call get_time { \"city\": \"Paris\" } (id call_9)\n");
  }

  // ---- golden request bodies ----

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "auto        | \"auto\"",
        "none        | \"none\"",
        "required    | \"required\"",
        "get_weather | {\"type\":\"function\",\"function\":{\"name\":\"get_weather\"}}"
      })
  void sendsTheToolChoice(String choice, String wire) throws Exception {
    server.enqueue(OpenAiSse.stream(OpenAiSse.answer(List.of("ok"))));

    assertThat(
            run(
                "complete",
                "-p",
                "toolbox",
                "--tool",
                weather.toString(),
                "--tool-choice",
                choice,
                PROMPT))
        .as(stderr())
        .isZero();

    assertThat(body())
        .isEqualTo(
            request(user(PROMPT), ",\"tools\":[" + WEATHER_TOOL + "],\"tool_choice\":" + wire));
  }

  @Test
  void aToolFileWithoutDescriptionOrParametersIsAFunctionOfNone() throws Exception {
    Path ping = file("ping.json", "{\"name\":\"ping\"}");
    server.enqueue(OpenAiSse.stream(OpenAiSse.answer(List.of("ok"))));

    assertThat(run("complete", "-p", "toolbox", "--tool", ping.toString(), "Ping?"))
        .as(stderr())
        .isZero();

    assertThat(body())
        .isEqualTo(
            request(
                user("Ping?"),
                ",\"tools\":[{\"type\":\"function\",\"function\":{\"name\":"
                    + "\"ping\",\"description\":\"\",\"parameters\":{\"type\":\"object\",\"properties\":{}}}}]"));
  }

  @Test
  void sendsImageFilesInlineAndUrlsAsUrls() throws Exception {
    byte[] png = {
      (byte) 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 0x0D, 'I', 'H', 'D', 'R'
    };
    Path picture = file("chart.png", png);
    server.enqueue(OpenAiSse.stream(OpenAiSse.answer(List.of("A chart."))));

    assertThat(
            run(
                "complete",
                "-p",
                "toolbox",
                "--image",
                picture.toString(),
                "--image",
                "https://example.com/cat.jpg?size=large",
                "What are these?"))
        .as(stderr())
        .isZero();

    assertThat(stdout()).isEqualTo("A chart.\n");
    assertThat(body())
        .isEqualTo(
            request(
                "{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"What are these?\"},"
                    + "{\"type\":\"image_url\",\"image_url\":{\"url\":\"data:image/png;base64,"
                    + Base64.getEncoder().encodeToString(png)
                    + "\"}},{\"type\":\"image_url\",\"image_url\":{\"url\":\"https://example.com/cat.jpg?size=large\"}}]}",
                ""));
  }

  @ParameterizedTest
  @CsvSource({
    "FFD8FFE000104A464946, image/jpeg",
    "474946383961010001, image/gif",
    "474946383761010001, image/gif",
    "524946462400000057454250565038, image/webp",
    "89504E470D0A1A0A0000, image/png"
  })
  void detectsTheMediaTypeByContentNotByTheFileName(String hex, String mediaType) throws Exception {
    byte[] bytes = java.util.HexFormat.of().parseHex(hex);
    Path misnamed = file("photo.png", bytes);
    server.enqueue(OpenAiSse.stream(OpenAiSse.answer(List.of("ok"))));

    assertThat(run("complete", "-p", "toolbox", "--image", misnamed.toString(), "Hi"))
        .as(stderr())
        .isZero();

    assertThat(body())
        .contains(
            "{\"url\":\"data:"
                + mediaType
                + ";base64,"
                + Base64.getEncoder().encodeToString(bytes)
                + "\"}");
  }

  @Test
  void asksForAJsonObject() throws Exception {
    server.enqueue(OpenAiSse.stream(OpenAiSse.answer(List.of("{\"ok\":", "true}"))));

    assertThat(run("complete", "-p", "toolbox", "--json", "Answer in JSON.")).as(stderr()).isZero();

    assertThat(stdout()).isEqualTo("{\"ok\":true}\n");
    assertThat(body())
        .isEqualTo(
            request(user("Answer in JSON."), ",\"response_format\":{\"type\":\"json_object\"}"));
  }

  @Test
  void asksForJsonMatchingASchemaNamedAfterItsFile() throws Exception {
    Path schema =
        file(
            "weather.report.json",
            """
        {
          "type": "object",
          "properties": {"city": {"type": "string"}, "celsius": {"type": "number", "maximum": 6.0e1}},
          "required": ["city", "celsius"],
          "additionalProperties": false
        }
        """);
    server.enqueue(OpenAiSse.stream(OpenAiSse.answer(List.of("{}"))));

    assertThat(run("complete", "-p", "toolbox", "--json-schema", schema.toString(), PROMPT))
        .as(stderr())
        .isZero();

    assertThat(body())
        .isEqualTo(
            request(
                user(PROMPT),
                ",\"response_format\":{\"type\":\"json_schema\",\"json_schema\":"
                    + "{\"name\":\"weather_report\",\"schema\":{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"},"
                    + "\"celsius\":{\"type\":\"number\",\"maximum\":6.0e1}},\"required\":[\"city\",\"celsius\"],"
                    + "\"additionalProperties\":false},\"strict\":true}}"));
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "weather.json         | weather",
        "my schema (v2).json  | my_schema__v2_",
        "Ünïcode.schema       | _n_code",
        ".json                | _json",
        "no-extension         | no-extension"
      })
  void schemaNamesAreTheFilesBaseNameSanitised(String fileName, String expected) {
    assertThat(JsonInput.schemaName(Path.of(fileName))).isEqualTo(expected);
  }

  @Test
  void theConversationMayCarryImagePartsAndComeFromStandardInput() throws Exception {
    stdin =
        "[{\"role\":\"system\",\"content\":\"Be brief.\"},{\"role\":\"user\",\"content\":[{\"type\":\"text\","
            + "\"text\":\"And this?\"},{\"type\":\"image_url\",\"image_url\":{\"url\":\"https://example.com/a.png\","
            + "\"detail\":\"low\"}}]}]";
    server.enqueue(OpenAiSse.stream(OpenAiSse.answer(List.of("A cat."))));

    assertThat(run("complete", "-p", "toolbox", "--messages", "-", "One word."))
        .as(stderr())
        .isZero();

    assertThat(body())
        .isEqualTo(
            request(
                "{\"role\":\"system\",\"content\":\"Be brief.\"},{\"role\":\"user\","
                    + "\"content\":[{\"type\":\"text\",\"text\":\"And this?\"},{\"type\":\"image_url\",\"image_url\":{\"url\":"
                    + "\"https://example.com/a.png\",\"detail\":\"low\"}}]},"
                    + user("One word."),
                ""));
  }

  // ---- refusals before any I/O ----

  @Test
  void lockchatIsRefusedToolsNamingTheProvidersThatHaveThem() {
    assertThat(run("complete", "-p", "lockchat", "--tool", weather.toString(), PROMPT))
        .isEqualTo(2);

    assertThat(stderr())
        .isEqualTo(
            "provider-cli: Lockchat cannot serve this request: it needs tools, which Lockchat"
                + " does not support; providers that do: "
                + HAVE_TOOLS
                + "\n");
    assertThat(stdout()).isEmpty();
    assertThat(server.connectionCount()).isZero();
  }

  @Test
  void aRefusalNamesOnlyTheProvidersThatHaveEverythingMissing() throws Exception {
    Path picture = file("a.gif", "GIF89a-----".getBytes(StandardCharsets.US_ASCII));

    assertThat(
            run(
                "complete",
                "-p",
                "lockchat",
                "--tool",
                weather.toString(),
                "--image",
                picture.toString(),
                "--json",
                PROMPT))
        .isEqualTo(2);

    // the order of the capabilities is left to MissingCapabilityException
    assertThat(stderr())
        .startsWith("provider-cli: Lockchat cannot serve this request: it needs ")
        .contains("tools")
        .contains("image_input")
        .contains("json_output")
        .doesNotContain("json_schema_output")
        .endsWith(
            ", which Lockchat does not support; providers that do: OpenAI, Mistral, OpenRouter, xAI,"
                + " Fireworks, Ollama, Toolbox\n");
    assertThat(server.connectionCount()).isZero();
  }

  @Test
  void anImageOfExactly20MbPassesTheSizeCheck() throws Exception {
    Path large = folder.resolve("large.png");
    try (RandomAccessFile file = new RandomAccessFile(large.toFile(), "rw")) {
      file.write(new byte[] {(byte) 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A});
      file.setLength(Images.MAX_BYTES);
    }

    assertThat(run("complete", "-p", "lockchat", "--image", large.toString(), "Hi")).isEqualTo(2);

    assertThat(stderr())
        .startsWith("provider-cli: Lockchat cannot serve this request: it needs image_input,");
    assertThat(server.connectionCount()).isZero();
  }

  @Test
  void anImageOver20MbIsRefused() throws Exception {
    Path huge = folder.resolve("huge.png");
    try (RandomAccessFile file = new RandomAccessFile(huge.toFile(), "rw")) {
      file.write(new byte[] {(byte) 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A});
      file.setLength(Images.MAX_BYTES + 1);
    }

    assertThat(run("complete", "-p", "toolbox", "--image", huge.toString(), "Hi")).isEqualTo(2);

    assertThat(stderr())
        .isEqualTo(
            "provider-cli: --image "
                + huge
                + ": is 20971521 bytes; an image file may have at most"
                + " 20971520 (20 MB)\n");
    assertThat(server.connectionCount()).isZero();
  }

  @Test
  void aFileThatIsNotAnImageIsRefusedWhateverItsName() throws Exception {
    Path text = file("cat.png", "just text, named like a picture");
    Path empty = file("empty.jpg", new byte[0]);
    Path missing = folder.resolve("missing.webp");

    assertThat(run("complete", "-p", "toolbox", "--image", text.toString(), "Hi")).isEqualTo(2);
    assertThat(stderr())
        .isEqualTo(
            "provider-cli: --image "
                + text
                + ": is not a PNG, JPEG, GIF or WebP image (judged by"
                + " its content, not its name)\n");
    assertThat(run("complete", "-p", "toolbox", "--image", empty.toString(), "Hi")).isEqualTo(2);
    assertThat(stderr()).isEqualTo("provider-cli: --image " + empty + ": is empty, not an image\n");
    assertThat(run("complete", "-p", "toolbox", "--image", missing.toString(), "Hi")).isEqualTo(2);
    assertThat(stderr())
        .isEqualTo(
            "provider-cli: --image " + missing + ": no such file (and not an http(s) URL)\n");
    assertThat(run("complete", "-p", "toolbox", "--image", folder.toString(), "Hi")).isEqualTo(2);
    assertThat(stderr())
        .isEqualTo("provider-cli: --image " + folder + ": is a directory, not an image file\n");
    assertThat(run("complete", "-p", "toolbox", "--image", "https:///no-host.png", "Hi"))
        .isEqualTo(2);
    assertThat(stderr())
        .isEqualTo("provider-cli: --image https:///no-host.png: not a URL: it names no host\n");
    assertThat(server.connectionCount()).isZero();
  }

  @Test
  void imagesNeedAPromptToGoWith() throws Exception {
    Path conversation = file("c.json", "[{\"role\":\"user\",\"content\":\"Hi\"}]");

    assertThat(
            run(
                "complete",
                "-p",
                "toolbox",
                "--messages",
                conversation.toString(),
                "--image",
                "https://example.com/a.png"))
        .isEqualTo(2);

    assertThat(stderr())
        .isEqualTo(
            "provider-cli: --image: the images go with PROMPT, and none is given (images in the"
                + " --messages file are image_url parts)\n");
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '`',
      value = {
        "{\"description\":\"x\"}                          | name: is required",
        "{\"name\":\"get weather\"}                       | name: must be 1 to 64 letters, digits, _ or -, got 'get weather'",
        "{\"name\":7}                                     | name: must be a string, got the number 7",
        "{\"name\":\"f\",\"description\":false}           | description: must be a string, got false",
        "{\"name\":\"f\",\"parameters\":[]}               | parameters: must be a JSON Schema object such as"
            + " {\"type\":\"object\",\"properties\":{}}, got an array",
        "{\"name\":\"f\",\"strict\":true}                 | strict: unknown field; allowed: name, description, parameters",
        "{\"type\":\"function\",\"function\":{\"name\":1}} | function.name: must be a string, got the number 1",
        "{\"type\":\"tool\",\"function\":{}}              | type: must be \"function\", got \"tool\"",
        "[]                                               | must be a JSON object such as {\"name\":\"get_weather\","
            + "\"description\":\"...\",\"parameters\":{...}}, got an array",
        "{\"name\":\"f\",\"name\":\"g\"}                  | not JSON: Duplicate field 'name' (line 1, column 19)",
        "{\"name\":\"f\"} {}                              | not JSON: more than one value (line 1, column 14)",
        "``                                               | is empty, not JSON"
      })
  void aBadToolFileIsAnErrorNamingTheFileAndTheField(String content, String problem)
      throws Exception {
    Path tool = file("tool.json", content);

    assertThat(run("complete", "-p", "toolbox", "--tool", tool.toString(), PROMPT)).isEqualTo(2);

    assertThat(stderr()).isEqualTo("provider-cli: --tool " + tool + ": " + problem + "\n");
    assertThat(stdout()).isEmpty();
    assertThat(server.connectionCount()).isZero();
  }

  @Test
  void aToolFileThatIsNotJsonOrMissingIsAnErrorNamingIt() throws Exception {
    Path broken = file("broken.json", "{\"name\": \"f\",");
    Path missing = folder.resolve("missing.json");

    assertThat(run("complete", "-p", "toolbox", "--tool", broken.toString(), PROMPT)).isEqualTo(2);
    assertThat(stderr())
        .startsWith("provider-cli: --tool " + broken + ": not JSON: Unexpected end-of-input");
    assertThat(run("complete", "-p", "toolbox", "--tool", missing.toString(), PROMPT)).isEqualTo(2);
    assertThat(stderr()).isEqualTo("provider-cli: --tool " + missing + ": no such file\n");
    assertThat(server.connectionCount()).isZero();
  }

  @Test
  void twoToolFilesWithOneNameAreRefusedNamingBoth() throws Exception {
    Path again = file("weather-again.json", "{\"name\":\"get_weather\"}");

    assertThat(
            run(
                "complete",
                "-p",
                "toolbox",
                "--tool",
                weather.toString(),
                "--tool",
                again.toString(),
                PROMPT))
        .isEqualTo(2);

    assertThat(stderr())
        .isEqualTo(
            "provider-cli: --tool "
                + again
                + ": name: 'get_weather' is also the name of the tool in "
                + weather
                + "\n");
  }

  @Test
  void aToolChoiceNamingAToolNotOfferedIsRefused() {
    assertThat(
            run(
                "complete",
                "-p",
                "toolbox",
                "--tool",
                weather.toString(),
                "--tool-choice",
                "get_time",
                PROMPT))
        .isEqualTo(2);

    assertThat(stderr())
        .isEqualTo(
            "provider-cli: tool_choice: names the tool 'get_time', which is not offered;"
                + " offered: get_weather\n");
    assertThat(server.connectionCount()).isZero();
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '`',
      value = {
        "{}                                                    | must be a non-empty JSON array of messages such as"
            + " [{\"role\":\"user\",\"content\":\"Hi\"}], got an object",
        "[{\"role\":\"robot\",\"content\":\"x\"}]              | [0].role: unknown role 'robot'; allowed: system, user,"
            + " assistant, tool",
        "[{\"content\":\"x\"}]                                 | [0].role: is required",
        "[{\"role\":\"user\",\"content\":\"x\",\"name\":\"a\"}] | [0].name: unknown field; allowed: role, content, tool_calls,"
            + " tool_call_id",
        "[{\"role\":\"user\",\"content\":\"x\"},{\"role\":\"tool\",\"content\":\"18\"}] | [1].tool_call_id: a tool message"
            + " must name the call it answers",
        "[{\"role\":\"assistant\",\"tool_calls\":[{\"id\":\"c\",\"function\":{\"name\":\"f\",\"arguments\":\"{oops\"}}]}]"
            + " | [0].tool_calls[c].arguments: must be JSON, such as {}",
        "[{\"role\":\"assistant\",\"tool_calls\":[{\"id\":\"c\",\"function\":{\"name\":\"f\",\"arguments\":[]}}]}]"
            + " | [0].tool_calls[0].function.arguments: must be a string of JSON such as \"{}\", got an array",
        "[{\"role\":\"user\",\"content\":[{\"type\":\"audio\"}]}] | [0].content[0].type: must be text or image_url, got 'audio'",
        "[{\"role\":\"user\",\"content\":[{\"type\":\"image_url\",\"image_url\":{\"url\":\"a.png\"}}]}]"
            + " | [0].content[0].image_url.url: must be an absolute URL (https: or data:), got a.png",
        "[{\"role\":\"assistant\",\"content\":[{\"type\":\"image_url\",\"image_url\":\"https://x.org/a.png\"}]}]"
            + " | [0].content: images are allowed in user messages only, not assistant"
      })
  void aBadConversationIsAnErrorNamingTheFileAndTheMessage(String content, String problem)
      throws Exception {
    Path conversation = file("conversation.json", content);

    assertThat(run("complete", "-p", "toolbox", "--messages", conversation.toString()))
        .isEqualTo(2);

    assertThat(stderr())
        .isEqualTo("provider-cli: --messages " + conversation + ": " + problem + "\n");
    assertThat(server.connectionCount()).isZero();
  }

  @Test
  void aBadSchemaFileIsAnErrorNamingIt() throws Exception {
    Path schema = file("schema.json", "[\"not\", \"an object\"]");

    assertThat(run("complete", "-p", "toolbox", "--json-schema", schema.toString(), PROMPT))
        .isEqualTo(2);

    assertThat(stderr())
        .isEqualTo(
            "provider-cli: --json-schema "
                + schema
                + ": must be a JSON Schema object such as"
                + " {\"type\":\"object\"}, got an array\n");
    assertThat(server.connectionCount()).isZero();
  }

  @Test
  void usageMistakesExitWithTwo() throws Exception {
    Path schema = file("s.json", "{}");

    assertThat(run("complete", "-p", "toolbox", "--json", "--json-schema", schema.toString(), "Hi"))
        .isEqualTo(2);
    assertThat(stderr())
        .isEqualTo("provider-cli: --json and --json-schema: give one of them, not both\n");
    assertThat(run("complete", "-p", "toolbox")).isEqualTo(2);
    assertThat(stderr())
        .isEqualTo(
            "provider-cli: PROMPT: give the user message, or the conversation with --messages"
                + " FILE\n");
    assertThat(run("complete", "-p", "toolbox", "--messages", "-", "-")).isEqualTo(2);
    assertThat(stderr())
        .isEqualTo(
            "provider-cli: PROMPT and --messages: only one of them can be read from standard"
                + " input\n");
    assertThat(server.connectionCount()).isZero();
  }

  // ---- capabilities in describe and providers ----

  @Test
  void describeShowsTheCapabilities() {
    assertThat(run("describe", "toolbox")).isZero();
    assertThat(stdout().lines().toList().get(1))
        .isEqualTo("Capabilities: tools, image_input, json_output," + " json_schema_output");

    assertThat(run("describe", "lockchat")).isZero();
    assertThat(stdout().lines().toList().get(1)).isEqualTo("Capabilities: none");

    assertThat(run("describe", "toolbox", "--json")).isZero();
    assertThat(stdout())
        .startsWith("{\"provider\":\"Toolbox\",\"description\":\"Toolbox supports: (")
        .contains(
            "\",\"capabilities\":[\"tools\",\"image_input\",\"json_output\",\"json_schema_output\"],"
                + "\"parameters\":[");
  }

  @Test
  void providersJsonShowsEachProvidersCapabilities() {
    assertThat(run("providers", "--json")).isZero();

    assertThat(stdout())
        .contains(
            "{\"name\":\"Lockchat\",\"models\":[\"gpt-4\",\"gpt-3.5-turbo\"],\"default_model\":\"gpt-3.5-turbo\","
                + "\"streaming\":true,\"needs_auth\":false,\"capabilities\":[],")
        .contains(
            "{\"name\":\"Toolbox\",\"models\":[\"tb-large\",\"tb-small\"],\"default_model\":\"tb-small\","
                + "\"streaming\":true,\"needs_auth\":false,\"capabilities\":[\"tools\",\"image_input\",\"json_output\","
                + "\"json_schema_output\"],")
        .contains(
            "\"default_model\":\"llama-3.3-70b-versatile\",\"streaming\":true,\"needs_auth\":true,"
                + "\"capabilities\":[\"tools\",\"json_output\",\"json_schema_output\",\"reasoning_output\"],");
  }
}
