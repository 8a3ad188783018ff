package dev.completions.snippets;

import dev.completions.api.CompletionProvider;
import dev.completions.api.CompletionRequest;
import dev.completions.api.CompletionStream;
import dev.completions.api.Message;
import dev.completions.api.Tool;
import dev.completions.api.ToolCall;
import dev.completions.registry.ProviderRegistry;
import java.util.List;

/** The README's tool call: offer a tool, run the call the model makes, send the result back. */
public final class CallATool {
  private CallATool() {}

  public static void main(String[] args) {
    try (ProviderRegistry registry = ProviderRegistry.load()) {
      CompletionProvider groq = registry.get("groq");
      Tool weather =
          Tool.of(
              "get_weather",
              "Current weather in a city",
              "{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"}},\"required\":[\"city\"]}");
      CompletionRequest ask =
          CompletionRequest.builder().user("Weather in Paris?").tool(weather).build();
      List<ToolCall> calls;
      try (CompletionStream first = groq.complete(ask)) {
        first.forEach(token -> {});
        calls = first.toolCalls(); // whole calls, merged from their fragments
      }
      CompletionRequest.Builder answer = ask.toBuilder().message(Message.assistant(calls));
      calls.forEach(
          call ->
              answer.message(Message.tool(call.id(), "22 °C, sunny"))); // your function's result
      groq.complete(answer.build()).forEach(System.out::print);
    }
  }
}
