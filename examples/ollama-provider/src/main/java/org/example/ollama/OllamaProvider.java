package org.example.ollama;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.google.auto.service.AutoService;
import dev.completions.api.CompletionProvider;
import dev.completions.api.CompletionRequest;
import dev.completions.api.CompletionStream;
import dev.completions.api.Message;
import dev.completions.api.Parameters;
import dev.completions.api.ProviderInfo;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A provider for Ollama's native chat API ({@code POST /api/chat}, newline-delimited JSON), written
 * as a third party would write one: it depends on nothing of the project but provider-api.
 *
 * <p>Configuration: {@code ollama.url} / {@code OLLAMA_URL} (default {@code
 * http://localhost:11434}), {@code ollama.model} / {@code OLLAMA_MODEL} (default {@code llama3.2}),
 * {@code ollama.timeout} / {@code OLLAMA_TIMEOUT} in seconds, the longest silence while reading
 * (default 120: loading a model takes time). Thread-safe; the constructor does no I/O.
 */
@AutoService(CompletionProvider.class)
public final class OllamaProvider implements CompletionProvider {

  /** The provider's name. */
  public static final String NAME = "Ollama";

  private static final JsonFactory JSON = JsonFactory.builder().build();
  private static final Parameters PARAMETERS = Parameters.of(NAME, OllamaParameters.class);

  private final URI endpoint;
  private final ProviderInfo info;
  private final Duration idleTimeout;

  /** Configured from system properties, then environment variables, then defaults. */
  public OllamaProvider() {
    this(setting("url", "http://localhost:11434"), setting("model", "llama3.2"),
        Duration.ofSeconds(Long.parseLong(setting("timeout", "120"))));
  }

  /**
   * A provider for one server and default model.
   *
   * @throws IllegalArgumentException when the URL is not absolute http(s)
   */
  public OllamaProvider(String baseUrl, String model, Duration idleTimeout) {
    URI base = URI.create(baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl);
    if (!base.isAbsolute() || !(base.getScheme().equals("http") || base.getScheme().equals("https"))) {
      throw new IllegalArgumentException("ollama.url: must be an absolute http or https URL, got " + baseUrl);
    }
    this.endpoint = URI.create(base + "/api/chat");
    this.info = new ProviderInfo(NAME, URI.create("https://ollama.com"), List.of(model), model, true, false);
    this.idleTimeout = idleTimeout;
  }

  @Override
  public ProviderInfo info() {
    return info;
  }

  @Override
  public Class<OllamaParameters> parameters() {
    return OllamaParameters.class;
  }

  @Override
  public CompletionStream complete(CompletionRequest request) {
    Map<String, Object> options = PARAMETERS.validate(request);
    String model = request.model() != null ? request.model() : info.defaultModel();
    return CompletionStream.of(NAME, model,
        new OllamaEventSource(endpoint, body(request, model, options), idleTimeout));
  }

  private static byte[] body(CompletionRequest request, String model, Map<String, Object> options) {
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
      json.writeObjectFieldStart("options");
      json.writeNumberField("temperature", request.temperature());
      for (Map.Entry<String, Object> option : options.entrySet()) {
        json.writeFieldName(option.getKey());
        if (option.getValue() instanceof List<?> list) {
          json.writeStartArray();
          for (Object item : list) {
            json.writeString(item.toString());
          }
          json.writeEndArray();
        } else if (option.getValue() instanceof Number number) {
          if (number instanceof Double) {
            json.writeNumber(number.doubleValue());
          } else {
            json.writeNumber(number.longValue());
          }
        } else {
          json.writeString(option.getValue().toString());
        }
      }
      json.writeEndObject();
      json.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  private static String setting(String key, String fallback) {
    String value = System.getProperty("ollama." + key);
    if (value == null || value.isBlank()) {
      value = System.getenv("OLLAMA_" + key.toUpperCase(java.util.Locale.ROOT));
    }
    return value == null || value.isBlank() ? fallback : value.strip();
  }
}
