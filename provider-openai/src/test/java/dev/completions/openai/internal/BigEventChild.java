package dev.completions.openai.internal;

import dev.completions.api.CompletionRequest;
import dev.completions.api.ProviderException;
import dev.completions.openai.OpenAiCompatibleProvider;
import dev.completions.openai.ProviderConfig;

/**
 * Runs in a child JVM with a small heap: reads an answer whose one event is far beyond the limit.
 */
public final class BigEventChild {
  private BigEventChild() {}

  public static void main(String[] args) {
    ProviderConfig config =
        ProviderConfig.custom().name("Acme").baseUrl(args[0]).models("m").attempts(1).build();
    try (OpenAiCompatibleProvider acme = new OpenAiCompatibleProvider(config)) {
      acme.complete(CompletionRequest.of("Hi")).text();
      System.out.println("no error");
    } catch (ProviderException e) {
      System.out.println(e.kind().wireName() + ": " + e.getMessage());
    }
  }
}
