package dev.completions.cli;

import dev.completions.api.CallRecord;
import dev.completions.api.CompletionEvent;
import dev.completions.api.CompletionRequest;
import dev.completions.api.CompletionStream;
import dev.completions.api.ContentPart;
import dev.completions.api.Message;
import dev.completions.api.ProviderException;
import dev.completions.api.ResponseFormat;
import dev.completions.api.Tool;
import dev.completions.api.ToolCall;
import dev.completions.api.ToolChoice;
import dev.completions.api.Usage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code complete}: streams one answer to standard output as it arrives.
 *
 * <p>The request is the {@code --system} message, then the {@code --messages} conversation, then
 * PROMPT as a user message with the {@code --image}s; it may offer tools ({@code --tool}, {@code
 * --tool-choice}) and ask for JSON ({@code --json}, {@code --json-schema}). Every file is read and
 * checked, and the provider's capabilities too, before anything is sent (exit 2 otherwise).
 *
 * <p>Text output: the answer's text, a newline, then one line per tool call the model made, {@code
 * tool call NAME ARGUMENTS (id ID)}, on standard output. JSON Lines: {@code token}, {@code
 * reasoning} and {@code refusal} events as they arrive, one {@code tool_call} event per merged call
 * at the end, then {@code done} (listing the calls again in {@code tool_calls}, with the call's
 * attempts, time to first token, duration and tokens per second) or {@code error}. {@code --stats}
 * prints the same figures on standard error after the answer.
 */
@Command(
    name = "complete",
    description = "Streams a completion of PROMPT to standard output.",
    footer = {
      "",
      "Tool calls print after the text as 'tool call NAME ARGUMENTS (id ID)', one line each (with --jsonl:"
          + " tool_call events, and tool_calls in the done event). To answer them, run again with --messages FILE holding"
          + " the conversation: the user message, the assistant's tool_calls and a tool message per call (tool_call_id,"
          + " content)."
    })
final class CompleteCommand implements Callable<Integer> {

  @ParentCommand private Cli cli;

  @Option(
      names = {"-p", "--provider"},
      required = true,
      paramLabel = "NAME",
      description = "The provider's name, or a fallback chain such as lockchat:gpt-4,local.")
  private String provider;

  @Option(
      names = {"-m", "--model"},
      paramLabel = "MODEL",
      description = "The model (default: the provider's).")
  private String model;

  @Option(
      names = {"-t", "--temperature"},
      paramLabel = "T",
      description = "Randomness, 0 to 2 (default: the provider's).")
  private Double temperature;

  @Option(
      names = "--max-tokens",
      paramLabel = "N",
      description = "The most tokens to generate (default: the provider's).")
  private Integer maxTokens;

  @Option(
      names = "--stop",
      paramLabel = "TEXT",
      description = "A sequence at which generation stops. Repeatable.")
  private List<String> stop = new ArrayList<>();

  @Option(
      names = {"-s", "--system"},
      paramLabel = "TEXT",
      description = "A system message before the prompt.")
  private String system;

  @Option(
      names = {"-o", "--option"},
      paramLabel = "KEY=VALUE",
      description =
          "A provider option, e.g. -o top_p=0.9 (see describe); a JSON object or array as the value"
              + " gives an object option; in a chain, -o NAME.KEY=VALUE gives it to one provider"
              + " only. The request fields temperature, max_tokens and stop are taken here too.")
  private Map<String, String> options = new LinkedHashMap<>();

  @Option(names = "--no-stream", description = "Ask for the whole answer at once.")
  private boolean noStream;

  @Option(
      names = "--jsonl",
      description = "One JSON object per line: tokens, reasoning, tool calls, then done or error.")
  private boolean jsonl;

  @Option(
      names = "--stats",
      description =
          "After the answer, one line on standard error: provider, model, attempts, time to first"
              + " token, total time, tokens in and out, and output tokens per second after the first.")
  private boolean stats;

  @Option(
      names = "--tool",
      paramLabel = "FILE",
      description =
          "Offers a function the model may call: a JSON file {\"name\", \"description\", \"parameters\"}"
              + " (OpenAI's function object; parameters a JSON Schema). Repeatable.")
  private List<Path> toolFiles = new ArrayList<>();

  @Option(
      names = "--tool-choice",
      paramLabel = "auto|none|required|NAME",
      description =
          "Whether the model must call a tool: auto (it decides), none, required, or the tool NAME.")
  private String toolChoice;

  @Option(
      names = "--image",
      paramLabel = "PATH|URL",
      description =
          "Adds an image to PROMPT: an http(s) URL is passed on, a file (PNG, JPEG, GIF or WebP, at most"
              + " 20 MB) is sent inline. Repeatable.")
  private List<String> images = new ArrayList<>();

  @Option(names = "--json", description = "Asks for a JSON object as the answer.")
  private boolean jsonObject;

  @Option(
      names = "--json-schema",
      paramLabel = "FILE",
      description =
          "Asks for JSON that matches the JSON Schema in FILE (strictly; named after the file).")
  private Path jsonSchema;

  @Option(
      names = "--messages",
      paramLabel = "FILE",
      description =
          "The conversation so far, before PROMPT: a JSON array of OpenAI-style messages (role, content,"
              + " tool_calls, tool_call_id); - reads it from standard input.")
  private String messagesFile;

  @Parameters(
      paramLabel = "PROMPT",
      arity = "0..1",
      description = "The user message; - reads it from standard input. Optional with --messages.")
  private String prompt;

  @Override
  public Integer call() throws IOException {
    CompletionRequest request = request();
    CompletionStream stream = cli.registry().complete(provider, request);
    CountDownLatch finished = new CountDownLatch(1);
    Thread onInterrupt =
        new Thread(
            () -> {
              stream.close();
              awaitQuietly(finished);
            },
            "provider-cli-cancel");
    Runtime.getRuntime().addShutdownHook(onInterrupt);
    try (stream) {
      int status = jsonl ? writeJsonLines(stream) : writeText(stream);
      CallRecord record = cli.stats.last();
      if (stats && record != null) {
        cli.stderr.println(CallStats.line(record));
      }
      return status;
    } catch (Cli.WriteFailed e) {
      return cli.writeFailed(); // the stream is closed already: closing it cancels the answer
    } finally {
      finished.countDown();
      removeHook(onInterrupt);
    }
  }

  /**
   * Each token is flushed as it arrives; a write error stops the loop with {@link Cli.WriteFailed}.
   */
  private int writeText(CompletionStream stream) {
    boolean printed = false;
    try {
      for (String token : stream) {
        cli.stdout.print(token);
        cli.flushOrFail();
        printed = true;
      }
      List<ToolCall> calls = stream.toolCalls();
      if (printed || calls.isEmpty()) {
        cli.stdout.println();
      }
      for (ToolCall call : calls) {
        cli.stdout.println(
            "tool call "
                + call.name()
                + " "
                + oneLine(call.arguments())
                + " (id "
                + (call.id().isEmpty() ? "none" : call.id())
                + ")");
      }
      cli.flushOrFail();
      return Cli.OK;
    } catch (ProviderException e) {
      if (printed) {
        cli.stdout.println();
        cli.flushOrFail();
      }
      cli.stderr.println("provider-cli: " + e.kind().wireName() + ": " + e.getMessage());
      return Cli.PROVIDER_FAILURE;
    }
  }

  private int writeJsonLines(CompletionStream stream) {
    Json out = new Json(cli);
    try {
      for (CompletionEvent event : stream.events()) {
        if (event instanceof CompletionEvent.Text text) {
          out.text("token", text.text());
        } else if (event instanceof CompletionEvent.Reasoning reasoning) {
          out.text("reasoning", reasoning.text());
        } else if (event instanceof CompletionEvent.Refusal refusal) {
          out.text("refusal", refusal.text());
        }
      }
      for (ToolCall call : stream.toolCalls()) {
        out.line(
            j -> {
              j.writeStringField("type", "tool_call");
              j.writeNumberField("index", call.index());
              j.writeStringField("id", call.id());
              j.writeStringField("name", call.name());
              j.writeStringField("arguments", call.arguments());
            });
      }
      out.line(
          j -> {
            j.writeStringField("type", "done");
            j.writeStringField("provider", stream.provider());
            j.writeStringField("model", stream.model());
            j.writeStringField("finish_reason", stream.finishReason().orElse(null));
            Usage usage = stream.usage().orElse(null);
            j.writeFieldName("usage");
            if (usage == null) {
              j.writeNull();
            } else {
              j.writeStartObject();
              writeCount(j, "prompt_tokens", usage.promptTokens());
              writeCount(j, "completion_tokens", usage.completionTokens());
              writeCount(j, "total_tokens", usage.totalTokens());
              j.writeEndObject();
            }
            writeTimes(j, cli.stats.last()); // the answer ended: its record is in
            j.writeArrayFieldStart("tool_calls");
            for (ToolCall call : stream.toolCalls()) {
              j.writeStartObject();
              j.writeNumberField("index", call.index());
              j.writeStringField("id", call.id());
              j.writeStringField("name", call.name());
              j.writeStringField("arguments", call.arguments());
              j.writeEndObject();
            }
            j.writeEndArray();
          });
      return Cli.OK;
    } catch (ProviderException e) {
      out.line(
          j -> {
            j.writeStringField("type", "error");
            j.writeStringField("kind", e.kind().wireName());
            j.writeStringField("message", e.getMessage());
            j.writeBooleanField("retryable", e.isRetryable());
            j.writeStringField("partial", e.partialText());
          });
      return Cli.PROVIDER_FAILURE;
    }
  }

  /**
   * The request the options describe: the system message, the --messages conversation, then PROMPT
   * with its images; every file is read and checked here, before any request is sent.
   */
  private CompletionRequest request() throws IOException {
    if (jsonObject && jsonSchema != null) {
      throw new IllegalArgumentException("--json and --json-schema: give one of them, not both");
    }
    if (prompt == null && messagesFile == null) {
      throw new IllegalArgumentException(
          "PROMPT: give the user message, or the conversation with --messages FILE");
    }
    if (prompt == null && !images.isEmpty()) {
      throw new IllegalArgumentException(
          "--image: the images go with PROMPT, and none is given"
              + " (images in the --messages file are image_url parts)");
    }
    if ("-".equals(prompt) && "-".equals(messagesFile)) {
      throw new IllegalArgumentException(
          "PROMPT and --messages: only one of them can be read from standard input");
    }
    CompletionRequest.Builder builder = CompletionRequest.builder().model(model).stream(!noStream);
    if (system != null) {
      builder.system(system);
    }
    if (messagesFile != null) {
      builder.messages(
          messagesFile.equals("-")
              ? JsonInput.messages(cli.stdin.readAllBytes(), "--messages -")
              : JsonInput.messages(
                  JsonInput.read(Path.of(messagesFile), "--messages " + messagesFile),
                  "--messages " + messagesFile));
    }
    if (prompt != null) {
      String text =
          prompt.equals("-")
              ? new String(cli.stdin.readAllBytes(), StandardCharsets.UTF_8)
              : prompt;
      builder.message(
          Message.user(text, images.stream().map(Images::image).toArray(ContentPart[]::new)));
    }
    Map<String, Path> toolSources = new HashMap<>();
    for (Path file : toolFiles) {
      Tool tool = JsonInput.tool(file);
      Path first = toolSources.putIfAbsent(tool.name(), file);
      if (first != null) {
        throw new IllegalArgumentException(
            "--tool "
                + file
                + ": name: '"
                + tool.name()
                + "' is also the name of"
                + " the tool in "
                + first);
      }
      builder.tool(tool);
    }
    if (toolChoice != null) {
      builder.toolChoice(ToolChoice.parse(toolChoice));
    }
    if (jsonObject) {
      builder.responseFormat(ResponseFormat.jsonObject());
    } else if (jsonSchema != null) {
      builder.responseFormat(JsonInput.schema(jsonSchema));
    }
    Double randomness = temperature;
    Integer limit = maxTokens;
    List<String> stops = new ArrayList<>(stop);
    for (Map.Entry<String, String> option : options.entrySet()) {
      String name = option.getKey();
      String value = option.getValue();
      switch (name) {
        case "temperature" -> randomness = number(name, value, Double::valueOf);
        case "max_tokens" -> limit = number(name, value, Integer::valueOf);
        case "stop" -> stops.add(value);
        default ->
            builder.option(
                name,
                value.startsWith("{") || value.startsWith("[")
                    ? JsonInput.optionValue(value, "-o " + name)
                    : value);
      }
    }
    if (randomness != null) {
      builder.temperature(randomness);
    }
    if (limit != null) {
      builder.maxTokens(limit);
    }
    return builder.stop(stops).build();
  }

  private static <T> T number(String name, String value, Function<String, T> parse) {
    try {
      return parse.apply(value.strip());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + ": must be a number, got \"" + value + "\"");
    }
  }

  /** The registry's providers that have all of these capabilities, other than the one refused. */
  /** Tool-call arguments on one line: each line break and the spaces around it become one space. */
  static String oneLine(String arguments) {
    return arguments.strip().replaceAll("[ \\t]*[\\r\\n]+[ \\t]*", " ");
  }

  /**
   * The call's figures, as {@code --stats} shows them: attempts, time to the first token, total
   * time (milliseconds) and output tokens per second after the first token; null where unknown.
   */
  private static void writeTimes(com.fasterxml.jackson.core.JsonGenerator j, CallRecord record)
      throws IOException {
    if (record == null) {
      return;
    }
    j.writeNumberField("attempts", record.attempts());
    j.writeFieldName("time_to_first_token_ms");
    if (record.timeToFirstToken().isPresent()) {
      j.writeNumber(CallStats.milliseconds(record.timeToFirstToken().get()));
    } else {
      j.writeNull();
    }
    j.writeNumberField("duration_ms", CallStats.milliseconds(record.duration()));
    Double rate = CallStats.tokensPerSecond(record);
    j.writeFieldName("tokens_per_second");
    if (rate == null) {
      j.writeNull();
    } else {
      j.writeNumber(Math.round(rate * 10) / 10.0);
    }
  }

  private static void writeCount(
      com.fasterxml.jackson.core.JsonGenerator j, String name, long count) throws IOException {
    if (count < 0) {
      j.writeNullField(name);
    } else {
      j.writeNumberField(name, count);
    }
  }

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      latch.await(2, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void removeHook(Thread hook) {
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException shuttingDown) {
      // Ctrl-C arrived: the hook is running and cancels the stream
    }
  }
}
