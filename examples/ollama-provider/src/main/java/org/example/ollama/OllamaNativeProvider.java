package org.example.ollama;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.google.auto.service.AutoService;
import dev.completions.api.Capability;
import dev.completions.api.CompletionProvider;
import dev.completions.api.CompletionRequest;
import dev.completions.api.ConfigSource;
import dev.completions.api.ContentPart;
import dev.completions.api.Message;
import dev.completions.api.ResponseFormat;
import dev.completions.api.Tool;
import dev.completions.api.ToolCall;
import dev.completions.api.ToolChoice;
import dev.completions.openai.HttpCompletionProvider;
import dev.completions.openai.ProviderConfig;
import dev.completions.openai.WireDecoder;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A provider for Ollama's native chat API ({@code POST /api/chat}, one JSON object per line),
 * written as a third party would write one: the request body and the decoding of the lines ({@link
 * OllamaDecoder}) are its own; the exchange (timeouts, retries, cancellation, limits, error
 * classification) is {@link HttpCompletionProvider}'s. Named {@value #NAME}: {@code Ollama} is the
 * built-in provider for Ollama's OpenAI-compatible {@code /v1}.
 *
 * <p>Tools are sent as functions and an assistant's calls with their arguments as JSON objects; a
 * tool's result carries {@code tool_name}, the name of the call it answers when that call is in the
 * conversation. Ollama cannot force a call: a tool choice of {@code none} leaves the tools out, and
 * {@code required} or a named tool is refused before any I/O. Images go as base64 strings in the
 * message's {@code images}: bytes, or a {@code data:...;base64,} URI; an image at a URL is refused
 * before any I/O (this provider fetches nothing). {@link ResponseFormat#jsonObject()} is {@code
 * "format":"json"}, a JSON Schema is the {@code format} object itself.
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
  public static final ProviderConfig DEFAULTS =
      ProviderConfig.custom()
          .name(NAME)
          .settingsPrefix("ollama-native")
          .baseUrl("http://localhost:11434")
          .path("/api/chat")
          .homePage(URI.create("https://ollama.com"))
          .models("llama3.2")
          .firstByteTimeout(Duration.ofSeconds(120))
          .idleTimeout(Duration.ofSeconds(120))
          .capabilities(
              Capability.TOOLS,
              Capability.IMAGE_INPUT,
              Capability.JSON_OUTPUT,
              Capability.JSON_SCHEMA_OUTPUT,
              Capability.REASONING_OUTPUT)
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

  /**
   * Configured as given, for example {@code configured(source)} or {@code
   * DEFAULTS.toBuilder()...build()}.
   */
  public OllamaNativeProvider(ProviderConfig config) {
    super(config, OllamaParameters.class);
  }

  /**
   * {@link #DEFAULTS} with the settings of this source applied, {@code ollama-native.model} among
   * them.
   *
   * @throws IllegalArgumentException naming the setting when one is invalid
   */
  public static ProviderConfig configured(ConfigSource source) {
    String model = source.string(DEFAULTS.settingsPrefix() + ".model", DEFAULTS.defaultModel());
    return DEFAULTS.toBuilder().models(model).defaultModel(model).build().withSettings(source);
  }

  @Override
  protected byte[] requestBody(
      CompletionRequest request, String model, Map<String, Object> options) {
    if (request.toolChoice() == ToolChoice.required()
        || request.toolChoice() instanceof ToolChoice.Named) {
      throw new IllegalArgumentException(
          "tool_choice: "
              + config().name()
              + " cannot force a tool call (Ollama has no"
              + " tool_choice); use auto or none, got "
              + (request.toolChoice() instanceof ToolChoice.Named named
                  ? "the tool '" + named.name() + "'"
                  : "required"));
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (JsonGenerator json = JSON.createGenerator(out)) {
      json.writeStartObject();
      json.writeStringField("model", model);
      json.writeArrayFieldStart("messages");
      Map<String, String> toolNames =
          new HashMap<>(); // call id -> tool name, for the results that follow
      for (int m = 0; m < request.messages().size(); m++) {
        writeMessage(json, request.messages().get(m), "messages[" + m + "]", toolNames);
      }
      json.writeEndArray();
      if (!request.tools().isEmpty() && request.toolChoice() != ToolChoice.none()) {
        json.writeArrayFieldStart("tools");
        for (Tool tool : request.tools()) {
          json.writeStartObject();
          json.writeStringField("type", "function");
          json.writeObjectFieldStart("function");
          json.writeStringField("name", tool.name());
          json.writeStringField("description", tool.description());
          writeJson(json, "parameters", tool.parameters());
          json.writeEndObject();
          json.writeEndObject();
        }
        json.writeEndArray();
      }
      if (request.responseFormat() instanceof ResponseFormat.JsonObject) {
        json.writeStringField("format", "json");
      } else if (request.responseFormat() instanceof ResponseFormat.JsonSchema format) {
        writeJson(
            json,
            "format",
            format.schema()); // Ollama takes the bare schema; name and strict have no place
      }
      json.writeBooleanField("stream", request.stream());
      // Ollama takes the sampling options apart from the request's own fields
      json.writeObjectFieldStart("options");
      json.writeNumberField("temperature", request.temperature());
      if (request.maxTokens() != null) {
        json.writeNumberField("num_predict", request.maxTokens());
      }
      if (!request.stop().isEmpty()) {
        json.writeFieldName("stop");
        json.writeArray(request.stop().toArray(String[]::new), 0, request.stop().size());
      }
      for (Map.Entry<String, Object> option : options.entrySet()) {
        json.writeFieldName(option.getKey());
        if (option.getValue() instanceof List<?> list) {
          json.writeArray(list.toArray(String[]::new), 0, list.size());
        } else {
          json.writeNumber(
              option.getValue().toString()); // an Integer, Long or Double, as validated
        }
      }
      json.writeEndObject();
      json.writeEndObject();
    } catch (IOException e) { // text that is not valid Unicode
      throw new IllegalArgumentException(
          "messages: cannot be written as JSON: " + e.getMessage(), e);
    }
    return out.toByteArray();
  }

  /**
   * Ollama's message: text as one string, images as base64 strings, calls with their arguments as
   * objects.
   */
  private static void writeMessage(
      JsonGenerator json, Message message, String field, Map<String, String> toolNames)
      throws IOException {
    json.writeStartObject();
    json.writeStringField("role", message.role().wireName());
    json.writeStringField("content", message.content());
    List<ContentPart.Image> images = message.images();
    if (!images.isEmpty()) {
      json.writeArrayFieldStart("images");
      for (int i = 0; i < images.size(); i++) {
        json.writeString(base64(images.get(i), field + ".images[" + i + "]"));
      }
      json.writeEndArray();
    }
    if (!message.toolCalls().isEmpty()) {
      json.writeArrayFieldStart("tool_calls");
      for (int c = 0; c < message.toolCalls().size(); c++) {
        ToolCall call = message.toolCalls().get(c);
        if (!call.arguments().strip().startsWith("{")) {
          throw new IllegalArgumentException(
              field
                  + ".tool_calls["
                  + c
                  + "].arguments: Ollama takes a JSON object,"
                  + " got "
                  + call.arguments());
        }
        toolNames.put(call.id(), call.name());
        json.writeStartObject();
        json.writeObjectFieldStart("function");
        json.writeStringField("name", call.name());
        writeJson(json, "arguments", call.arguments());
        json.writeEndObject();
        json.writeEndObject();
      }
      json.writeEndArray();
    }
    if (message.toolCallId() != null && toolNames.containsKey(message.toolCallId())) {
      json.writeStringField("tool_name", toolNames.get(message.toolCallId()));
    }
    json.writeEndObject();
  }

  /**
   * An image's bytes in base64: given as bytes, or inline in a {@code data:...;base64,} URI; never
   * fetched.
   */
  private static String base64(ContentPart.Image image, String field) {
    byte[] bytes = image.data();
    if (bytes == null) {
      String uri = image.url().getRawSchemeSpecificPart(); // such as image/png;base64,iVBORw0KGgo=
      int payload = uri.indexOf(";base64,") + ";base64,".length();
      if (!"data".equalsIgnoreCase(image.url().getScheme()) || payload < ";base64,".length()) {
        throw new IllegalArgumentException(
            field
                + ": Ollama takes an image's bytes, not a URL ("
                + image.url()
                + "); read the image and pass ContentPart.image(bytes, mediaType)");
      }
      try {
        bytes = Base64.getDecoder().decode(uri.substring(payload));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            field + ": the data: URI is not valid base64: " + e.getMessage(), e);
      }
    }
    return Base64.getEncoder()
        .encodeToString(bytes); // a data: URI's too: Ollama wants standard, padded base64
  }

  /** JSON text (already validated by the request) as a field's value, compacted. */
  private static void writeJson(JsonGenerator json, String field, String text) throws IOException {
    json.writeFieldName(field);
    try (JsonParser parser = JSON.createParser(text)) {
      parser.nextToken();
      json.copyCurrentStructureExact(parser);
    }
  }

  @Override
  protected WireDecoder decoder(CompletionRequest request, String model) {
    return new OllamaDecoder();
  }
}
