package dev.completions.server;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.completions.api.CompletionProvider;
import dev.completions.api.CompletionRequest;
import dev.completions.api.ContentPart;
import dev.completions.api.Message;
import dev.completions.api.ParameterInfo;
import dev.completions.api.Parameters;
import dev.completions.api.ResponseFormat;
import dev.completions.api.Role;
import dev.completions.api.Tool;
import dev.completions.api.ToolCall;
import dev.completions.api.ToolChoice;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * One body of {@code POST /v1/chat/completions}, parsed, and read into our {@link
 * CompletionRequest} once the provider is chosen. Every field of OpenAI's request that our model
 * has maps to it; every other field is a provider option, passed on when the chosen provider's
 * parameter record declares it and refused with a 400 naming it otherwise. Errors are {@link
 * HttpError}s naming the field. Not thread-safe; one per request.
 */
final class ChatRequest {

  /** JSON nesting deeper than this is refused before it is read further. */
  static final int MAX_DEPTH = 64;

  static final ObjectMapper JSON =
      JsonMapper.builder(
              com.fasterxml.jackson.core.JsonFactory.builder()
                  .streamReadConstraints(
                      StreamReadConstraints.builder().maxNestingDepth(MAX_DEPTH).build())
                  .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                  .build())
          .build();

  /** Fields read by the gateway itself; every other field is a provider option. */
  private static final Set<String> FIELDS =
      Set.of(
          "model",
          "messages",
          "stream",
          "stream_options",
          "provider",
          "temperature",
          "max_tokens",
          "max_completion_tokens",
          "stop",
          "tools",
          "tool_choice",
          "response_format",
          "n");

  private final ObjectNode body;

  private ChatRequest(ObjectNode body) {
    this.body = body;
  }

  /**
   * Parses a body.
   *
   * @throws HttpError 400 when it is not one JSON object, repeats a member, or nests deeper than
   *     {@value #MAX_DEPTH}
   */
  static ChatRequest parse(byte[] bytes) {
    JsonNode tree;
    try {
      tree = JSON.readTree(bytes);
    } catch (StreamConstraintsException e) {
      throw HttpError.badRequest(
          null, "the body nests JSON deeper than " + MAX_DEPTH + " levels, the most accepted");
    } catch (JsonProcessingException e) {
      throw HttpError.badRequest(null, "the body is not JSON: " + e.getOriginalMessage());
    } catch (IOException e) {
      throw HttpError.badRequest(null, "the body is not JSON: " + e.getMessage());
    }
    if (!(tree instanceof ObjectNode object)) {
      throw HttpError.badRequest(
          null, "the body must be a JSON object such as {\"model\":...,\"messages\":[...]}");
    }
    return new ChatRequest(object);
  }

  /** {@return the {@code model} field, or null when absent} */
  String model() {
    return optionalText("model");
  }

  /** {@return the {@code provider} field, or null when absent} */
  String provider() {
    return optionalText("provider");
  }

  /** {@return whether the answer is streamed as server-sent events} */
  boolean stream() {
    JsonNode stream = body.get("stream");
    if (stream == null || stream.isNull()) {
      return false;
    }
    if (!stream.isBoolean()) {
      throw HttpError.badRequest("stream", "stream: must be true or false");
    }
    return stream.booleanValue();
  }

  /** {@return whether {@code stream_options.include_usage} asks for a last usage chunk} */
  boolean includeUsage() {
    JsonNode options = body.get("stream_options");
    if (options == null || options.isNull()) {
      return false;
    }
    if (!options.isObject()) {
      throw HttpError.badRequest("stream_options", "stream_options: must be an object");
    }
    JsonNode usage = options.get("include_usage");
    return usage != null && usage.isBoolean() && usage.booleanValue();
  }

  /**
   * Our request for the chosen provider.
   *
   * @param provider the provider (or chain) that will answer
   * @param model the model to ask it for, or null for its default
   * @throws HttpError 400 naming the field that is malformed or that the provider does not take
   */
  CompletionRequest toRequest(CompletionProvider provider, String model) {
    CompletionRequest.Builder request = CompletionRequest.builder().model(model).stream(stream());
    JsonNode n = body.get("n");
    if (n != null && !n.isNull() && !(n.canConvertToInt() && n.intValue() == 1)) {
      throw HttpError.badRequest("n", "n: only 1 choice per request is supported, got " + n);
    }
    request.messages(messages());
    JsonNode temperature = body.get("temperature");
    if (temperature != null && !temperature.isNull()) {
      if (!temperature.isNumber()) {
        throw HttpError.badRequest("temperature", "temperature: must be a number in [0, 2]");
      }
      request.temperature(temperature.doubleValue());
    }
    tools(request);
    JsonNode format = body.get("response_format");
    if (format != null && !format.isNull()) {
      request.responseFormat(responseFormat(format));
    }
    Parameters declared = Parameters.of(provider.info().name(), provider.parameters());
    limits(request);
    for (Iterator<Map.Entry<String, JsonNode>> it = body.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> field = it.next();
      if (FIELDS.contains(field.getKey()) || field.getValue().isNull()) {
        continue;
      }
      option(request, declared, provider.info().name(), field.getKey(), field.getValue());
    }
    try {
      return request.build();
    } catch (IllegalArgumentException e) {
      throw HttpError.badRequest(HttpError.field(e.getMessage()), e.getMessage());
    }
  }

  /**
   * {@code max_tokens} / {@code max_completion_tokens} and {@code stop}, request fields of ours; a
   * provider that does not take them refuses them when the request is validated.
   */
  private void limits(CompletionRequest.Builder request) {
    JsonNode max = body.get("max_completion_tokens");
    String maxName = "max_completion_tokens";
    if (max == null || max.isNull()) {
      max = body.get("max_tokens");
      maxName = "max_tokens";
    }
    if (max != null && !max.isNull()) {
      if (!max.isIntegralNumber() || !max.canConvertToInt() || max.intValue() < 1) {
        throw HttpError.badRequest(maxName, maxName + ": must be a whole number >= 1, got " + max);
      }
      request.maxTokens(max.intValue());
    }
    JsonNode stop = body.get("stop");
    if (stop != null && !stop.isNull()) {
      List<String> sequences = new ArrayList<>();
      if (stop.isTextual()) {
        sequences.add(stop.textValue());
      } else if (stop.isArray()) {
        for (JsonNode sequence : stop) {
          if (!sequence.isTextual()) {
            throw HttpError.badRequest("stop", "stop: must be a string or an array of strings");
          }
          sequences.add(sequence.textValue());
        }
      } else {
        throw HttpError.badRequest("stop", "stop: must be a string or an array of strings");
      }
      request.stop(sequences);
    }
  }

  private static void option(
      CompletionRequest.Builder request,
      Parameters declared,
      String provider,
      String name,
      JsonNode value) {
    requireDeclared(declared, provider, name);
    request.option(name, plain(value));
  }

  private static void requireDeclared(Parameters declared, String provider, String name) {
    if (!declared.declares(name)) { // the request fields are in FIELDS and never come here
      throw HttpError.badRequest(
          name,
          name
              + ": "
              + provider
              + " does not take this field; it takes: "
              + declared.list().stream()
                  .map(ParameterInfo::name)
                  .filter(p -> !FIELDS.contains(p))
                  .sorted()
                  .collect(Collectors.joining(", ")));
    }
  }

  /** A JSON value as the plain Java value {@link Parameters#validate} converts. */
  private static Object plain(JsonNode value) {
    if (value.isTextual()) {
      return value.textValue();
    }
    if (value.isBoolean()) {
      return value.booleanValue();
    }
    if (value.isIntegralNumber()) {
      return value.canConvertToLong() ? (Object) value.longValue() : value.bigIntegerValue();
    }
    if (value.isNumber()) {
      return value.doubleValue();
    }
    return JSON.convertValue(value, Object.class);
  }

  private List<Message> messages() {
    JsonNode messages = body.get("messages");
    if (messages == null || !messages.isArray() || messages.isEmpty()) {
      throw HttpError.badRequest(
          "messages",
          "messages: must be a non-empty array such as [{\"role\":\"user\",\"content\":\"Hi\"}]");
    }
    List<Message> list = new ArrayList<>(messages.size());
    for (int i = 0; i < messages.size(); i++) {
      list.add(message(messages.get(i), "messages[" + i + "]"));
    }
    return list;
  }

  private static Message message(JsonNode node, String at) {
    if (!node.isObject()) {
      throw HttpError.badRequest("messages", at + ": must be an object with role and content");
    }
    for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      // name: OpenAI's participant name, which no provider of ours sends on; dropped
      if (!Set.of("role", "content", "tool_calls", "tool_call_id", "name").contains(name)
          && !node.get(name).isNull()) {
        throw HttpError.badRequest(
            "messages",
            at
                + "."
                + name
                + ": not supported; a message has role, content, tool_calls and tool_call_id");
      }
    }
    String roleName = text(node, "role", at + ".role", "messages");
    Role role =
        switch (roleName) {
          case "system", "developer" -> Role.SYSTEM;
          case "user" -> Role.USER;
          case "assistant" -> Role.ASSISTANT;
          case "tool" -> Role.TOOL;
          default ->
              throw HttpError.badRequest(
                  "messages",
                  at
                      + ".role: must be system, developer, user, assistant or tool, got '"
                      + roleName
                      + "'");
        };
    List<ContentPart> parts = content(node.get("content"), at + ".content");
    List<ToolCall> calls = new ArrayList<>();
    JsonNode toolCalls = node.get("tool_calls");
    if (toolCalls != null && !toolCalls.isNull()) {
      if (!toolCalls.isArray()) {
        throw HttpError.badRequest("messages", at + ".tool_calls: must be an array");
      }
      for (int c = 0; c < toolCalls.size(); c++) {
        calls.add(toolCall(toolCalls.get(c), c, at + ".tool_calls[" + c + "]"));
      }
    }
    JsonNode callId = node.get("tool_call_id");
    String toolCallId = callId == null || callId.isNull() ? null : callId.asText();
    try {
      return new Message(role, parts, calls, toolCallId);
    } catch (IllegalArgumentException e) {
      throw HttpError.badRequest("messages", at + "." + e.getMessage());
    }
  }

  private static List<ContentPart> content(JsonNode content, String at) {
    if (content == null || content.isNull()) {
      return List.of();
    }
    if (content.isTextual()) {
      return List.of(ContentPart.text(content.textValue()));
    }
    if (!content.isArray()) {
      throw HttpError.badRequest(
          "messages", at + ": must be a string, null, or an array of text and image_url parts");
    }
    List<ContentPart> parts = new ArrayList<>(content.size());
    for (int p = 0; p < content.size(); p++) {
      JsonNode part = content.get(p);
      String partAt = at + "[" + p + "]";
      String type = part.isObject() ? text(part, "type", partAt + ".type", "messages") : "";
      switch (type) {
        case "text" ->
            parts.add(ContentPart.text(text(part, "text", partAt + ".text", "messages")));
        case "image_url" -> parts.add(image(part.get("image_url"), partAt + ".image_url"));
        default ->
            throw HttpError.badRequest(
                "messages", partAt + ".type: must be text or image_url, got '" + type + "'");
      }
    }
    return parts;
  }

  /** An image at a URL, or a {@code data:} URL's bytes (sent inline by every provider). */
  private static ContentPart image(JsonNode image, String at) {
    if (image == null || !(image.isObject() || image.isTextual())) {
      throw HttpError.badRequest("messages", at + ": must be {\"url\":\"https://...\"}");
    }
    String url =
        image.isTextual() ? image.textValue() : text(image, "url", at + ".url", "messages");
    ContentPart.Detail detail = ContentPart.Detail.AUTO;
    JsonNode level = image.isObject() ? image.get("detail") : null;
    if (level != null && !level.isNull()) {
      try {
        detail = ContentPart.Detail.valueOf(level.asText().toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw HttpError.badRequest(
            "messages", at + ".detail: must be auto, low or high, got " + level);
      }
    }
    try {
      if (url.regionMatches(true, 0, "data:", 0, 5)) {
        int comma = url.indexOf(',');
        String header = comma < 0 ? "" : url.substring(5, comma);
        if (comma < 0 || !header.toLowerCase(Locale.ROOT).endsWith(";base64")) {
          throw HttpError.badRequest(
              "messages", at + ".url: a data: URL must be data:image/...;base64,...");
        }
        byte[] bytes = Base64.getMimeDecoder().decode(url.substring(comma + 1));
        return new ContentPart.Image(
            null, bytes, header.substring(0, header.length() - ";base64".length()), detail);
      }
      return new ContentPart.Image(new URI(url), null, null, detail);
    } catch (URISyntaxException e) {
      throw HttpError.badRequest("messages", at + ".url: not a URL: " + e.getMessage());
    } catch (IllegalArgumentException e) {
      throw HttpError.badRequest("messages", at + ".url: " + e.getMessage());
    }
  }

  private static ToolCall toolCall(JsonNode call, int index, String at) {
    if (!call.isObject() || call.get("function") == null || !call.get("function").isObject()) {
      throw HttpError.badRequest(
          "messages",
          at + ": must be {\"id\",\"type\":\"function\",\"function\":{\"name\",\"arguments\"}}");
    }
    JsonNode function = call.get("function");
    JsonNode arguments = function.get("arguments");
    String text =
        arguments == null || arguments.isNull()
            ? "{}"
            : arguments.isTextual() ? arguments.textValue() : arguments.toString();
    return new ToolCall(
        index,
        text(call, "id", at + ".id", "messages"),
        text(function, "name", at + ".function.name", "messages"),
        text);
  }

  private void tools(CompletionRequest.Builder request) {
    JsonNode tools = body.get("tools");
    if (tools != null && !tools.isNull()) {
      if (!tools.isArray()) {
        throw HttpError.badRequest("tools", "tools: must be an array of function tools");
      }
      for (int t = 0; t < tools.size(); t++) {
        JsonNode tool = tools.get(t);
        String at = "tools[" + t + "]";
        JsonNode function = tool.get("function");
        if (!tool.isObject()
            || !"function".equals(tool.path("type").asText("function"))
            || function == null
            || !function.isObject()) {
          throw HttpError.badRequest(
              "tools",
              at + ": must be {\"type\":\"function\",\"function\":{\"name\",\"parameters\"}}");
        }
        JsonNode description = function.get("description");
        JsonNode parameters = function.get("parameters");
        try {
          request.tool(
              Tool.of(
                  text(function, "name", at + ".function.name", "tools"),
                  description == null || description.isNull() ? "" : description.asText(),
                  parameters == null || parameters.isNull()
                      ? Tool.NO_PARAMETERS
                      : parameters.toString()));
        } catch (IllegalArgumentException e) {
          throw HttpError.badRequest("tools", at + ": " + e.getMessage());
        }
      }
    }
    JsonNode choice = body.get("tool_choice");
    if (choice != null && !choice.isNull()) {
      if (choice.isTextual()) {
        switch (choice.textValue()) {
          case "auto" -> request.toolChoice(ToolChoice.auto());
          case "none" -> request.toolChoice(ToolChoice.none());
          case "required" -> request.toolChoice(ToolChoice.required());
          default ->
              throw HttpError.badRequest(
                  "tool_choice",
                  "tool_choice: must be auto, none, required or"
                      + " {\"type\":\"function\",\"function\":{\"name\":...}}");
        }
      } else {
        request.toolChoice(
            ToolChoice.tool(
                text(choice.path("function"), "name", "tool_choice.function.name", "tool_choice")));
      }
    }
  }

  private static ResponseFormat responseFormat(JsonNode format) {
    String type = text(format, "type", "response_format.type", "response_format");
    try {
      return switch (type) {
        case "text" -> ResponseFormat.text();
        case "json_object" -> ResponseFormat.jsonObject();
        case "json_schema" -> {
          JsonNode schema = format.path("json_schema");
          JsonNode strict = schema.get("strict");
          yield ResponseFormat.jsonSchema(
              text(schema, "name", "response_format.json_schema.name", "response_format"),
              schema.path("schema").isObject() ? schema.get("schema").toString() : "",
              strict != null && strict.asBoolean(false));
        }
        default ->
            throw HttpError.badRequest(
                "response_format",
                "response_format.type: must be text, json_object or json_schema, got '"
                    + type
                    + "'");
      };
    } catch (IllegalArgumentException e) {
      throw HttpError.badRequest("response_format", e.getMessage());
    }
  }

  private String optionalText(String field) {
    JsonNode value = body.get(field);
    if (value == null || value.isNull()) {
      return null;
    }
    if (!value.isTextual() || value.textValue().isBlank()) {
      throw HttpError.badRequest(field, field + ": must be a non-empty string");
    }
    return value.textValue().strip();
  }

  private static String text(JsonNode node, String field, String at, String param) {
    JsonNode value = node.get(field);
    if (value == null || !value.isTextual()) {
      throw HttpError.badRequest(
          param, at + (value == null ? ": is required" : ": must be a string, got " + value));
    }
    return value.textValue();
  }
}
