package dev.completions.cli;

import dev.completions.api.CompletionEvent;
import dev.completions.api.CompletionProvider;
import dev.completions.api.CompletionRequest;
import dev.completions.api.CompletionStream;
import dev.completions.api.ProviderException;
import dev.completions.api.ToolCall;
import dev.completions.api.Usage;
import dev.completions.registry.ProviderChain;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code complete}: streams one answer to standard output as it arrives. */
@Command(name = "complete", description = "Streams a completion of PROMPT to standard output.")
final class CompleteCommand implements Callable<Integer> {

  @ParentCommand
  private Cli cli;

  @Option(names = {"-p", "--provider"}, required = true, paramLabel = "NAME",
      description = "The provider's name, or a fallback chain such as lockchat:gpt-4,local.")
  private String provider;

  @Option(names = {"-m", "--model"}, paramLabel = "MODEL", description = "The model (default: the provider's).")
  private String model;

  @Option(names = {"-t", "--temperature"}, paramLabel = "T", description = "Randomness, 0 to 2 (default 0.7).")
  private double temperature = CompletionRequest.DEFAULT_TEMPERATURE;

  @Option(names = {"-s", "--system"}, paramLabel = "TEXT", description = "A system message before the prompt.")
  private String system;

  @Option(names = {"-o", "--option"}, paramLabel = "KEY=VALUE",
      description = "A provider option, e.g. -o max_tokens=64 (see describe).")
  private Map<String, String> options = new LinkedHashMap<>();

  @Option(names = "--no-stream", description = "Ask for the whole answer at once.")
  private boolean noStream;

  @Option(names = "--jsonl", description = "One JSON object per line: tokens, reasoning, tool calls, then done or error.")
  private boolean jsonl;

  @Parameters(paramLabel = "PROMPT", description = "The user message; - reads it from standard input.")
  private String prompt;

  @Override
  public Integer call() throws IOException {
    CompletionRequest.Builder builder = CompletionRequest.builder()
        .model(model).temperature(temperature).stream(!noStream);
    if (system != null) {
      builder.system(system);
    }
    builder.user(prompt.equals("-") ? new String(cli.stdin.readAllBytes(), StandardCharsets.UTF_8) : prompt);
    options.forEach(builder::option);
    CompletionRequest request = builder.build();
    CompletionProvider selected = provider.contains(",") || provider.contains(":")
        ? ProviderChain.parse(cli.registry(), provider)
        : cli.registry().get(provider);
    CompletionStream stream = selected.complete(request);
    CountDownLatch finished = new CountDownLatch(1);
    Thread onInterrupt = new Thread(() -> {
      stream.close();
      awaitQuietly(finished);
    }, "provider-cli-cancel");
    Runtime.getRuntime().addShutdownHook(onInterrupt);
    try (stream) {
      return jsonl ? writeJsonLines(stream) : writeText(stream);
    } catch (Cli.WriteFailed e) {
      return cli.writeFailed(); // the stream is closed already: closing it cancels the answer
    } finally {
      finished.countDown();
      removeHook(onInterrupt);
    }
  }

  /** Each token is flushed as it arrives; a write error stops the loop with {@link Cli.WriteFailed}. */
  private int writeText(CompletionStream stream) {
    boolean printed = false;
    try {
      for (String token : stream) {
        cli.stdout.print(token);
        cli.flushOrFail();
        printed = true;
      }
      cli.stdout.println();
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
        out.line(j -> {
          j.writeStringField("type", "tool_call");
          j.writeNumberField("index", call.index());
          j.writeStringField("id", call.id());
          j.writeStringField("name", call.name());
          j.writeStringField("arguments", call.arguments());
        });
      }
      out.line(j -> {
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
      });
      return Cli.OK;
    } catch (ProviderException e) {
      out.line(j -> {
        j.writeStringField("type", "error");
        j.writeStringField("kind", e.kind().wireName());
        j.writeStringField("message", e.getMessage());
        j.writeBooleanField("retryable", e.isRetryable());
        j.writeStringField("partial", e.partialText());
      });
      return Cli.PROVIDER_FAILURE;
    }
  }

  private static void writeCount(com.fasterxml.jackson.core.JsonGenerator j, String name, long count) throws IOException {
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
