package org.example.claude;

import com.fasterxml.jackson.core.JsonGenerator;
import com.google.auto.service.AutoService;
import dev.completions.api.CompletionProvider;
import dev.completions.api.CompletionRequest;
import dev.completions.api.ConfigSource;
import dev.completions.api.Message;
import dev.completions.api.Parameters;
import dev.completions.api.ProviderException.Kind;
import dev.completions.api.Role;
import dev.completions.openai.Auth;
import dev.completions.openai.ErrorRules;
import dev.completions.openai.HttpCompletionProvider;
import dev.completions.openai.ProviderConfig;
import dev.completions.openai.WireDecoder;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A provider for Anthropic's Messages API: {@code POST {claude.url}/messages} (default {@code
 * https://api.anthropic.com/v1}), key in {@code x-api-key}, {@code anthropic-version: 2023-06-01}.
 * System messages become the system prompt; {@code max_tokens}, which Anthropic requires, defaults
 * to 1024. Settings: those of every HTTP provider under the prefix {@code claude} (see the {@code
 * dev.completions.openai} module), the key from {@code claude.apiKey}, else {@code
 * ANTHROPIC_API_KEY}; without one a request fails before any I/O with an authentication error
 * naming {@code ANTHROPIC_API_KEY}. Timeouts, retries, cancellation, limits and redaction are
 * {@link HttpCompletionProvider}'s. Thread-safe; the constructor does no I/O.
 */
@AutoService(CompletionProvider.class)
public final class ClaudeProvider extends HttpCompletionProvider {

  /** The provider's name. */
  public static final String NAME = "Claude";

  private static final Parameters PARAMETERS = Parameters.of(NAME, ClaudeParameters.class);

  /** Claude's configuration before the user's settings: no key yet. */
  public static final ProviderConfig DEFAULTS =
      ProviderConfig.custom()
          .name(NAME)
          .settingsPrefix("claude")
          .baseUrl("https://api.anthropic.com/v1")
          .path("/messages")
          .homePage(URI.create("https://www.anthropic.com/claude"))
          .models("claude-sonnet-4-5", "claude-opus-4-1", "claude-haiku-4-5")
          .auth(Auth.header("x-api-key", null))
          .apiKeyVariable("ANTHROPIC_API_KEY")
          .header("anthropic-version", "2023-06-01")
          // an empty account gets a 400 (invalid_request_error) or a 402 (billing_error): waiting
          // does not help
          .errorRules(
              ErrorRules.openAi()
                  .rule(
                      text -> text.contains("credit balance") || text.contains("billing_error"),
                      Kind.QUOTA,
                      false))
          .build();

  /**
   * Configured from system properties and environment variables; an invalid one fails naming it.
   */
  public ClaudeProvider() {
    this(DEFAULTS.withSettings(ConfigSource.system()));
  }

  /** Configured as given, for example {@code DEFAULTS.withSettings(source)}. */
  public ClaudeProvider(ProviderConfig config) {
    super(config, ClaudeParameters.class);
  }

  @Override
  protected byte[] requestBody(
      CompletionRequest request, String model, Map<String, Object> options) {
    ClaudeParameters typed = PARAMETERS.bind(request, ClaudeParameters.class);
    String system =
        request.messages().stream()
            .filter(m -> m.role() == Role.SYSTEM)
            .map(Message::content)
            .collect(Collectors.joining("\n\n"));
    ByteArrayOutputStream out = new ByteArrayOutputStream(256);
    try (JsonGenerator json = ClaudeDecoder.JSON.createGenerator(out)) {
      json.writeStartObject();
      json.writeStringField("model", model);
      json.writeNumberField("max_tokens", typed.maxTokens());
      if (!system.isEmpty()) {
        json.writeStringField("system", system);
      }
      json.writeArrayFieldStart("messages");
      for (Message message : request.messages()) {
        if (message.role() != Role.SYSTEM) {
          json.writeStartObject();
          json.writeStringField("role", message.role().wireName());
          json.writeStringField("content", message.content());
          json.writeEndObject();
        }
      }
      json.writeEndArray();
      json.writeBooleanField("stream", request.stream());
      if (typed.thinkingBudget() == null) {
        if (typed.temperature() != null) {
          json.writeNumberField("temperature", typed.temperature());
        }
      } else { // Anthropic refuses any temperature but its default while Claude thinks
        json.writeObjectFieldStart("thinking");
        json.writeStringField("type", "enabled");
        json.writeNumberField("budget_tokens", typed.thinkingBudget());
        json.writeEndObject();
      }
      if (typed.topP() != null) {
        json.writeNumberField("top_p", typed.topP());
      }
      if (typed.topK() != null) {
        json.writeNumberField("top_k", typed.topK());
      }
      if (!typed.stop().isEmpty()) {
        json.writeFieldName("stop_sequences");
        json.writeArray(typed.stop().toArray(String[]::new), 0, typed.stop().size());
      }
      json.writeEndObject();
    } catch (IOException e) { // text that is not valid Unicode
      throw new IllegalArgumentException(
          "messages: cannot be written as JSON: " + e.getMessage(), e);
    }
    return out.toByteArray();
  }

  @Override
  protected WireDecoder decoder(CompletionRequest request, String model) {
    return new ClaudeDecoder();
  }
}
