package org.example.ollama;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.google.auto.service.AutoService;
import dev.completions.api.CompletionProvider;
import dev.completions.api.CompletionRequest;
import dev.completions.api.ConfigSource;
import dev.completions.api.Message;
import dev.completions.openai.HttpCompletionProvider;
import dev.completions.openai.ProviderConfig;
import dev.completions.openai.WireDecoder;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A provider for Ollama's native chat API ({@code POST /api/chat}, one JSON object per line),
 * written as a third party would write one: the request body and the decoding of the lines ({@link
 * OllamaDecoder}) are its own; the exchange (timeouts, retries, cancellation, limits, error
 * classification) is {@link HttpCompletionProvider}'s. Named {@value #NAME}: {@code Ollama} is the
 * built-in provider for Ollama's OpenAI-compatible {@code /v1}.
 *
 * <p>Settings: those of every HTTP provider under the prefix {@code ollama-native} (see the {@code
 * dev.completions.openai} module), with {@code ollama-native.url} / {@code OLLAMA_NATIVE_URL} the
 * server (default {@code http://localhost:11434}), and {@code ollama-native.model} / {@code
 * OLLAMA_NATIVE_MODEL} the default model (default {@code llama3.2}). The first byte and the pauses
 * between lines may take up to 120 s by default: loading a model takes time. No key is needed.
 *
 * <p>Thread-safe; the constructor does no I/O.
 */
@AutoService(CompletionProvider.class)
public final class OllamaNativeProvider extends HttpCompletionProvider {

  /** The provider's name. */
  public static final String NAME = "Ollama-Native";

  /** The configuration before the user's settings. */
  public static final ProviderConfig DEFAULTS = ProviderConfig.custom()
      .name(NAME)
      .settingsPrefix("ollama-native")
      .baseUrl("http://localhost:11434")
      .path("/api/chat")
      .homePage(URI.create("https://ollama.com"))
      .models("llama3.2")
      .firstByteTimeout(Duration.ofSeconds(120))
      .idleTimeout(Duration.ofSeconds(120))
      .build();

  private static final JsonFactory JSON = JsonFactory.builder().build();

  /**
   * Configured from system properties and environment variables.
   *
   * @throws IllegalArgumentException naming the setting when one is invalid
   */
  public OllamaNativeProvider() {
    this(configured(ConfigSource.system()));
  }

  /** Configured as given, for example {@code configured(source)} or {@code DEFAULTS.toBuilder()...build()}. */
  public OllamaNativeProvider(ProviderConfig config) {
    super(config, OllamaParameters.class);
  }

  /**
   * {@link #DEFAULTS} with the settings of this source applied, {@code ollama-native.model} among them.
   *
   * @throws IllegalArgumentException naming the setting when one is invalid
   */
  public static ProviderConfig configured(ConfigSource source) {
    String model = source.string(DEFAULTS.settingsPrefix() + ".model", DEFAULTS.defaultModel());
    return DEFAULTS.toBuilder().models(model).defaultModel(model).build().withSettings(source);
  }

  @Override
  protected byte[] requestBody(CompletionRequest request, String model, Map<String, Object> options) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (JsonGenerator json = JSON.createGenerator(out)) {
      json.writeStartObject();
      json.writeStringField("model", model);
      json.writeArrayFieldStart("messages");
      for (Message message : request.messages()) {
        json.writeStartObject();
        json.writeStringField("role", message.role().wireName());
        json.writeStringField("content", message.content());
        json.writeEndObject();
      }
      json.writeEndArray();
      json.writeBooleanField("stream", request.stream());
      // Ollama takes the sampling options apart from the request's own fields
      json.writeObjectFieldStart("options");
      json.writeNumberField("temperature", request.temperature());
      for (Map.Entry<String, Object> option : options.entrySet()) {
        json.writeFieldName(option.getKey());
        if (option.getValue() instanceof List<?> list) {
          json.writeArray(list.toArray(String[]::new), 0, list.size());
        } else {
          json.writeNumber(option.getValue().toString()); // an Integer, Long or Double, as validated
        }
      }
      json.writeEndObject();
      json.writeEndObject();
    } catch (IOException e) { // text that is not valid Unicode
      throw new IllegalArgumentException("messages: cannot be written as JSON: " + e.getMessage(), e);
    }
    return out.toByteArray();
  }

  @Override
  protected WireDecoder decoder(CompletionRequest request, String model) {
    return new OllamaDecoder();
  }
}
