package dev.completions.server;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.completions.api.Capability;
import dev.completions.api.CompletionProvider;
import dev.completions.api.ParameterInfo;
import dev.completions.api.Parameters;
import dev.completions.registry.ProviderRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The answers of {@code GET /v1/models}, {@code /v1/providers} and {@code /v1/providers/{name}},
 * rendered once from the registry's metadata (the registry is immutable), so they answer with no
 * I/O. A provider whose name is claimed twice (and none preferred) is left out. Immutable.
 */
final class Catalog {

  private final byte[] models;
  private final byte[] providers;
  private final Map<String, byte[]> byName = new LinkedHashMap<>();
  private final int count;

  Catalog(ProviderRegistry registry) {
    Map<String, CompletionProvider> selectable = new LinkedHashMap<>();
    for (String name : registry.names()) {
      try {
        registry.find(name).ifPresent(provider -> selectable.put(Routing.key(name), provider));
      } catch (IllegalStateException duplicate) {
        // unselectable until one class is preferred; the registry's problems say so
      }
    }
    this.count = selectable.size();
    this.models =
        json(
            json -> {
              json.writeStringField("object", "list");
              json.writeArrayFieldStart("data");
              for (Map.Entry<String, CompletionProvider> entry : selectable.entrySet()) {
                model(json, entry.getKey(), entry.getValue());
                for (String model : entry.getValue().info().models()) {
                  model(json, entry.getKey() + ":" + model, entry.getValue());
                }
              }
              json.writeEndArray();
            });
    selectable.forEach(
        (key, provider) -> byName.put(key, json(json -> describe(json, key, provider))));
    this.providers =
        json(
            json -> {
              json.writeStringField("object", "list");
              json.writeArrayFieldStart("data");
              for (Map.Entry<String, CompletionProvider> entry : selectable.entrySet()) {
                json.writeStartObject();
                describe(json, entry.getKey(), entry.getValue());
                json.writeEndObject();
              }
              json.writeEndArray();
            });
  }

  byte[] models() {
    return models;
  }

  byte[] providers() {
    return providers;
  }

  Optional<byte[]> provider(String name) {
    return Optional.ofNullable(byName.get(Routing.key(name)));
  }

  /** {@return how many providers can be chosen} */
  int count() {
    return count;
  }

  private static void model(JsonGenerator json, String id, CompletionProvider provider)
      throws IOException {
    json.writeStartObject();
    json.writeStringField("id", id);
    json.writeStringField("object", "model");
    json.writeNumberField("created", 0);
    json.writeStringField("owned_by", provider.info().name());
    json.writeEndObject();
  }

  private static void describe(JsonGenerator json, String key, CompletionProvider provider)
      throws IOException {
    var info = provider.info();
    json.writeStringField("id", key);
    json.writeStringField("object", "provider");
    json.writeStringField("name", info.name());
    json.writeStringField("url", info.url().toString());
    json.writeArrayFieldStart("models");
    for (String model : info.models()) {
      json.writeString(model);
    }
    json.writeEndArray();
    json.writeStringField("default_model", info.defaultModel());
    json.writeBooleanField("supports_streaming", info.supportsStreaming());
    json.writeBooleanField("needs_auth", info.needsAuth());
    json.writeArrayFieldStart("capabilities");
    for (Capability capability : info.capabilities()) {
      json.writeString(capability.wireName());
    }
    json.writeEndArray();
    Parameters parameters;
    try {
      parameters = Parameters.of(info.name(), provider.parameters());
    } catch (RuntimeException e) {
      json.writeStringField("description", "parameters unavailable: " + e.getMessage());
      return;
    }
    json.writeStringField("description", parameters.describe());
    json.writeArrayFieldStart("parameters");
    for (ParameterInfo parameter : parameters.list()) {
      json.writeStartObject();
      json.writeStringField("name", parameter.name());
      json.writeStringField("type", parameter.type());
      json.writeBooleanField("required", parameter.required());
      if (parameter.defaultValue() != null) {
        json.writeStringField("default", parameter.defaultValue());
      }
      if (!parameter.description().isEmpty()) {
        json.writeStringField("description", parameter.description());
      }
      if (parameter.min() != null) {
        json.writeNumberField("min", parameter.min());
      }
      if (parameter.max() != null) {
        json.writeNumberField("max", parameter.max());
      }
      if (!parameter.choices().isEmpty()) {
        json.writeArrayFieldStart("choices");
        for (String choice : parameter.choices()) {
          json.writeString(choice);
        }
        json.writeEndArray();
      }
      json.writeEndObject();
    }
    json.writeEndArray();
  }

  /** Writes the members of one JSON object. */
  @FunctionalInterface
  interface Members {
    void write(JsonGenerator json) throws IOException;
  }

  /** One JSON object, its members written by {@code members}. */
  static byte[] json(Members members) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(256);
    try (JsonGenerator json = ChatRequest.JSON.getFactory().createGenerator(out)) {
      json.writeStartObject();
      members.write(json);
      json.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }
}
