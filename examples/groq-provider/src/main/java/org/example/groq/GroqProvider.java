package org.example.groq;

import com.google.auto.service.AutoService;
import dev.completions.api.Capability;
import dev.completions.api.CompletionProvider;
import dev.completions.api.ConfigSource;
import dev.completions.openai.Auth;
import dev.completions.openai.OpenAiCompatibleProvider;
import dev.completions.openai.ProviderConfig;

/**
 * Groq's OpenAI-compatible API, with the settings of every OpenAI-compatible provider under the
 * prefix {@code groq} and the key in {@code GROQ_API_KEY}. Thread-safe; no I/O before the first
 * request.
 */
@AutoService(CompletionProvider.class)
public final class GroqProvider extends OpenAiCompatibleProvider {

  /** Groq as declared, before the user's settings. */
  public static final ProviderConfig DEFAULTS =
      ProviderConfig.custom()
          .name("Groq")
          .baseUrl("https://api.groq.com/openai/v1")
          .models("llama-3.3-70b-versatile", "llama-3.1-8b-instant")
          .auth(Auth.bearer(null))
          .apiKeyVariable("GROQ_API_KEY")
          .capabilities(
              Capability.TOOLS,
              Capability.JSON_OUTPUT,
              Capability.JSON_SCHEMA_OUTPUT,
              Capability.REASONING_OUTPUT)
          .build();

  /**
   * Configured from system properties and environment variables; see {@link
   * ProviderConfig#withSettings}.
   */
  public GroqProvider() {
    this(DEFAULTS.withSettings(ConfigSource.system()));
  }

  /** Configured as given, for example {@code DEFAULTS.toBuilder().baseUrl(...).build()}. */
  public GroqProvider(ProviderConfig config) {
    super(config);
  }
}
