package org.example.groq;

import static org.assertj.core.api.Assertions.assertThat;

import dev.completions.api.CompletionProvider;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

class GroqDiscoveryTest {

  @Test
  void serviceLoaderFindsGroqWithItsDeclaredModels() {
    CompletionProvider groq =
        ServiceLoader.load(CompletionProvider.class).stream()
            .filter(provider -> provider.type() == GroqProvider.class)
            .map(ServiceLoader.Provider::get)
            .findFirst()
            .orElseThrow(
                () -> new AssertionError("GroqProvider is not registered for ServiceLoader"));
    assertThat(groq.info().name()).isEqualTo("Groq");
    assertThat(groq.info().models())
        .containsExactly("llama-3.3-70b-versatile", "llama-3.1-8b-instant");
    assertThat(groq.info().needsAuth()).as("the user supplies GROQ_API_KEY").isTrue();
  }

  @Test
  void theDeclaredEndpointIsGroqsChatCompletions() {
    assertThat(GroqProvider.DEFAULTS.endpoint())
        .hasToString("https://api.groq.com/openai/v1/chat/completions");
  }
}
