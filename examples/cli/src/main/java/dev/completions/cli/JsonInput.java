package dev.completions.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import dev.completions.api.ContentPart;
import dev.completions.api.Message;
import dev.completions.api.ResponseFormat;
import dev.completions.api.Role;
import dev.completions.api.Tool;
import dev.completions.api.ToolCall;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The JSON files {@code complete} reads: tools ({@code --tool}), a schema ({@code --json-schema})
 * and a conversation ({@code --messages}). Each file is read whole into plain values (maps in the
 * file's order, lists, strings, numbers kept as written, booleans, null) and checked field by
 * field; every error is an {@link IllegalArgumentException} that names the option, the file and the
 * field, thrown before any request is sent. Stateless.
 */
final class JsonInput {

  /** Duplicate keys are an error, not "the last one wins". */
  private static final JsonFactory FACTORY =
      JsonFactory.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();

  /** A number as written in the file, so that writing it back changes nothing. */
  record JsonNumber(String text) {}

  private JsonInput() {}

  /**
   * A tool from a file holding OpenAI's function object {@code {"name", "description",
   * "parameters"}} (or the tool object around it, {@code {"type":"function","function":{...}}}).
   * The description may be left out (""), and so may the parameters (a function of none).
   */
  static Tool tool(Path file) {
    String source = "--tool " + file;
    Object document = parse(read(file, source), source);
    Map<String, Object> function =
        object(
            document,
            source,
            "",
            "must be a JSON object such as {\"name\":\"get_weather\",\"description\":\"...\",\"parameters\":{...}}");
    String path = "";
    if (function.containsKey("function")) {
      allowOnly(function, source, "", "type", "function");
      if (function.containsKey("type") && !"function".equals(function.get("type"))) {
        throw error(source, "type", "must be \"function\", got " + describe(function.get("type")));
      }
      function =
          object(
              function.get("function"),
              source,
              "function",
              "must be a JSON object {\"name\", \"description\"," + " \"parameters\"}");
      path = "function.";
    }
    allowOnly(function, source, path, "name", "description", "parameters");
    String name = requiredString(function, source, path + "name");
    if (!name.matches("[a-zA-Z0-9_-]{1,64}")) {
      throw error(
          source, path + "name", "must be 1 to 64 letters, digits, _ or -, got '" + name + "'");
    }
    String description = optionalString(function, source, path + "description", "");
    String parameters = Tool.NO_PARAMETERS;
    if (function.get("parameters") != null) {
      parameters =
          write(
              object(
                  function.get("parameters"),
                  source,
                  path + "parameters",
                  "must be a JSON Schema object such as " + Tool.NO_PARAMETERS));
    }
    try {
      return Tool.of(name, description, parameters);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(source + ": " + e.getMessage(), e);
    }
  }

  /**
   * A strict JSON-Schema output format from a file holding the schema; its name is the file's name
   * without its extension, each character outside {@code [a-zA-Z0-9_-]} replaced by {@code _}.
   */
  static ResponseFormat schema(Path file) {
    String source = "--json-schema " + file;
    Object document = parse(read(file, source), source);
    String schema =
        write(
            object(
                document,
                source,
                "",
                "must be a JSON Schema object such as {\"type\":\"object\"}"));
    try {
      return ResponseFormat.jsonSchema(schemaName(file), schema, true);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(source + ": " + e.getMessage(), e);
    }
  }

  /**
   * The file's base name made a schema name: {@code weather.schema.json} gives {@code
   * weather_schema}.
   */
  static String schemaName(Path file) {
    Path fileName = file.getFileName();
    String base = fileName == null ? "" : fileName.toString();
    int dot = base.lastIndexOf('.');
    if (dot > 0) {
      base = base.substring(0, dot);
    }
    String name = base.replaceAll("[^a-zA-Z0-9_-]", "_");
    if (name.length() > 64) {
      name = name.substring(0, 64);
    }
    return name.isEmpty() ? "schema" : name;
  }

  /**
   * A conversation from a JSON array of OpenAI-style messages: {@code role} ({@code system}, {@code
   * user}, {@code assistant} or {@code tool}), {@code content} (a string, null, or an array of
   * {@code {"type":"text","text":...}} and {@code {"type":"image_url","image_url":{"url":...,
   * "detail":...}}} parts), {@code tool_calls} (an assistant's {@code {"id", "type":"function",
   * "function":{"name", "arguments"}}}) and {@code tool_call_id} (a tool message's answer to a
   * call).
   *
   * @param source how errors name the input, such as {@code --messages chat.json}
   */
  static List<Message> messages(byte[] bytes, String source) {
    Object document = parse(bytes, source);
    if (!(document instanceof List<?> list) || list.isEmpty()) {
      throw new IllegalArgumentException(
          source
              + ": must be a non-empty JSON array of messages such as"
              + " [{\"role\":\"user\",\"content\":\"Hi\"}], got "
              + describe(document));
    }
    List<Message> messages = new ArrayList<>(list.size());
    for (int i = 0; i < list.size(); i++) {
      messages.add(message(list.get(i), source, "[" + i + "]"));
    }
    return messages;
  }

  private static Message message(Object value, String source, String at) {
    Map<String, Object> fields =
        object(
            value,
            source,
            at,
            "must be a message object such as" + " {\"role\":\"user\",\"content\":\"Hi\"}");
    allowOnly(fields, source, at + ".", "role", "content", "tool_calls", "tool_call_id");
    String roleName = requiredString(fields, source, at + ".role");
    Role role;
    try {
      role = Role.of(roleName);
    } catch (IllegalArgumentException e) {
      throw error(source, at + ".role", e.getMessage().replaceFirst("^role: ", ""));
    }
    List<ContentPart> parts = content(fields.get("content"), source, at + ".content");
    List<ToolCall> calls = new ArrayList<>();
    if (fields.get("tool_calls") != null) {
      if (!(fields.get("tool_calls") instanceof List<?> list)) {
        throw error(
            source,
            at + ".tool_calls",
            "must be an array, got " + describe(fields.get("tool_calls")));
      }
      for (int c = 0; c < list.size(); c++) {
        calls.add(toolCall(list.get(c), c, source, at + ".tool_calls[" + c + "]"));
      }
    }
    String toolCallId = optionalString(fields, source, at + ".tool_call_id", null);
    try {
      return new Message(role, parts, calls, toolCallId);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(source + ": " + at + "." + e.getMessage(), e);
    }
  }

  private static List<ContentPart> content(Object value, String source, String at) {
    if (value == null) {
      return List.of();
    }
    if (value instanceof String text) {
      return List.of(ContentPart.text(text));
    }
    if (!(value instanceof List<?> list)) {
      throw error(
          source,
          at,
          "must be a string, null, or an array of text and image_url parts, got "
              + describe(value));
    }
    List<ContentPart> parts = new ArrayList<>(list.size());
    for (int p = 0; p < list.size(); p++) {
      String partAt = at + "[" + p + "]";
      Map<String, Object> part =
          object(
              list.get(p),
              source,
              partAt,
              "must be a part such as {\"type\":\"text\",\"text\":\"Hi\"}");
      String type = requiredString(part, source, partAt + ".type");
      switch (type) {
        case "text" -> {
          allowOnly(part, source, partAt + ".", "type", "text");
          parts.add(ContentPart.text(requiredString(part, source, partAt + ".text")));
        }
        case "image_url" -> {
          allowOnly(part, source, partAt + ".", "type", "image_url");
          parts.add(imageUrl(part.get("image_url"), source, partAt + ".image_url"));
        }
        default ->
            throw error(source, partAt + ".type", "must be text or image_url, got '" + type + "'");
      }
    }
    return parts;
  }

  private static ContentPart imageUrl(Object value, String source, String at) {
    String url;
    ContentPart.Detail detail = ContentPart.Detail.AUTO;
    if (value instanceof String text) {
      url = text;
    } else {
      Map<String, Object> image =
          object(value, source, at, "must be {\"url\":\"https://...\"} or a URL string");
      allowOnly(image, source, at + ".", "url", "detail");
      url = requiredString(image, source, at + ".url");
      String level = optionalString(image, source, at + ".detail", "auto");
      try {
        detail = ContentPart.Detail.valueOf(level.toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw error(source, at + ".detail", "must be auto, low or high, got '" + level + "'");
      }
    }
    try {
      return new ContentPart.Image(new URI(url), null, null, detail);
    } catch (URISyntaxException e) {
      throw error(source, at + ".url", "not a URL: " + e.getMessage());
    } catch (IllegalArgumentException e) {
      throw error(source, at + ".url", e.getMessage().replaceFirst("^image\\.url: ", ""));
    }
  }

  private static ToolCall toolCall(Object value, int index, String source, String at) {
    Map<String, Object> call =
        object(
            value,
            source,
            at,
            "must be a call such as {\"id\":\"call_1\","
                + "\"type\":\"function\",\"function\":{\"name\":\"get_weather\",\"arguments\":\"{}\"}}");
    allowOnly(call, source, at + ".", "id", "type", "function");
    String id = requiredString(call, source, at + ".id");
    if (call.containsKey("type") && !"function".equals(call.get("type"))) {
      throw error(source, at + ".type", "must be \"function\", got " + describe(call.get("type")));
    }
    Map<String, Object> function =
        object(
            call.get("function"),
            source,
            at + ".function",
            "must be {\"name\":..., \"arguments\":...}");
    allowOnly(function, source, at + ".function.", "name", "arguments");
    String name = requiredString(function, source, at + ".function.name");
    Object arguments = function.get("arguments");
    String text;
    if (arguments instanceof String string) {
      text = string;
    } else if (arguments instanceof Map<?, ?>) {
      text = write(arguments); // as some servers send them: an object, not a string of JSON
    } else {
      throw error(
          source,
          at + ".function.arguments",
          "must be a string of JSON such as \"{}\", got " + describe(arguments));
    }
    return new ToolCall(index, id, name, text);
  }

  // ---- plain values ----

  /** Reads a file whole, or says why it cannot be read. */
  static byte[] read(Path file, String source) {
    try {
      return Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      throw new IllegalArgumentException(source + ": no such file");
    } catch (IOException e) {
      throw new IllegalArgumentException(
          source
              + ": cannot be read: "
              + (Files.isDirectory(file)
                  ? "it is a directory"
                  : e.getClass().getSimpleName() + " " + e.getMessage()));
    }
  }

  /**
   * An option's value given as JSON text: objects, arrays, strings, booleans, null, and numbers as
   * {@code Long} when whole, else {@code Double}, as the request's options take them.
   */
  static Object optionValue(String text, String source) {
    return numbersAsJava(parse(text.getBytes(java.nio.charset.StandardCharsets.UTF_8), source));
  }

  private static Object numbersAsJava(Object value) {
    if (value instanceof JsonNumber number) {
      try {
        return Long.valueOf(number.text());
      } catch (NumberFormatException e) {
        return Double.valueOf(number.text());
      }
    }
    if (value instanceof Map<?, ?> object) {
      Map<String, Object> converted = new LinkedHashMap<>();
      object.forEach((k, v) -> converted.put((String) k, numbersAsJava(v)));
      return converted;
    }
    if (value instanceof List<?> array) {
      return array.stream().map(JsonInput::numbersAsJava).toList();
    }
    return value;
  }

  /** One JSON document as plain values. */
  static Object parse(byte[] bytes, String source) {
    try (JsonParser json = FACTORY.createParser(bytes)) {
      JsonToken first = json.nextToken();
      if (first == null) {
        throw new IllegalArgumentException(source + ": is empty, not JSON");
      }
      Object value = value(json, first);
      if (json.nextToken() != null) {
        throw new IllegalArgumentException(
            source
                + ": not JSON: more than one value (line "
                + json.currentTokenLocation().getLineNr()
                + ", column "
                + json.currentTokenLocation().getColumnNr()
                + ")");
      }
      return value;
    } catch (JsonProcessingException e) {
      String where =
          e.getLocation() == null
              ? ""
              : " (line "
                  + e.getLocation().getLineNr()
                  + ", column "
                  + e.getLocation().getColumnNr()
                  + ")";
      throw new IllegalArgumentException(
          source + ": not JSON: " + e.getOriginalMessage() + where, e);
    } catch (IOException e) {
      throw new IllegalArgumentException(source + ": not JSON: " + e.getMessage(), e);
    }
  }

  private static Object value(JsonParser json, JsonToken token) throws IOException {
    switch (token) {
      case START_OBJECT -> {
        Map<String, Object> object = new LinkedHashMap<>();
        while (json.nextToken() == JsonToken.FIELD_NAME) {
          String name = json.currentName();
          object.put(name, value(json, json.nextToken()));
        }
        return object;
      }
      case START_ARRAY -> {
        List<Object> array = new ArrayList<>();
        JsonToken next;
        while ((next = json.nextToken()) != JsonToken.END_ARRAY) {
          array.add(value(json, next));
        }
        return array;
      }
      case VALUE_STRING -> {
        return json.getText();
      }
      case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> {
        return new JsonNumber(json.getText());
      }
      case VALUE_TRUE -> {
        return Boolean.TRUE;
      }
      case VALUE_FALSE -> {
        return Boolean.FALSE;
      }
      case VALUE_NULL -> {
        return null;
      }
      default -> throw new JsonParseException(json, "unexpected " + token);
    }
  }

  /** Plain values as compact JSON text. */
  static String write(Object value) {
    StringWriter text = new StringWriter();
    try (JsonGenerator json = FACTORY.createGenerator(text)) {
      write(json, value);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return text.toString();
  }

  private static void write(JsonGenerator json, Object value) throws IOException {
    if (value instanceof Map<?, ?> object) {
      json.writeStartObject();
      for (Map.Entry<?, ?> member : object.entrySet()) {
        json.writeFieldName((String) member.getKey());
        write(json, member.getValue());
      }
      json.writeEndObject();
    } else if (value instanceof List<?> array) {
      json.writeStartArray();
      for (Object element : array) {
        write(json, element);
      }
      json.writeEndArray();
    } else if (value instanceof String string) {
      json.writeString(string);
    } else if (value instanceof JsonNumber number) {
      json.writeNumber(number.text());
    } else if (value instanceof Boolean bool) {
      json.writeBoolean(bool);
    } else {
      json.writeNull();
    }
  }

  // ---- field checks ----

  @SuppressWarnings("unchecked")
  private static Map<String, Object> object(
      Object value, String source, String field, String expected) {
    if (value instanceof Map<?, ?> map) {
      return (Map<String, Object>) map;
    }
    throw error(source, field, expected + ", got " + describe(value));
  }

  private static void allowOnly(
      Map<String, Object> object, String source, String prefix, String... allowed) {
    Set<String> names = Set.of(allowed);
    for (String field : object.keySet()) {
      if (!names.contains(field)) {
        throw error(
            source, prefix + field, "unknown field; allowed: " + String.join(", ", allowed));
      }
    }
  }

  private static String requiredString(Map<String, Object> object, String source, String field) {
    String name = field.substring(field.lastIndexOf('.') + 1);
    Object value = object.get(name);
    if (value instanceof String string) {
      return string;
    }
    throw error(
        source,
        field,
        object.containsKey(name) ? "must be a string, got " + describe(value) : "is required");
  }

  private static String optionalString(
      Map<String, Object> object, String source, String field, String absent) {
    String name = field.substring(field.lastIndexOf('.') + 1);
    Object value = object.get(name);
    if (value == null) {
      return absent;
    }
    if (value instanceof String string) {
      return string;
    }
    throw error(source, field, "must be a string, got " + describe(value));
  }

  private static IllegalArgumentException error(String source, String field, String problem) {
    return new IllegalArgumentException(
        source + ": " + (field.isEmpty() ? "" : field + ": ") + problem);
  }

  /**
   * What a value is, for error messages: {@code an object}, {@code the number 42}, {@code "text"}.
   */
  private static String describe(Object value) {
    if (value == null) {
      return "null";
    }
    if (value instanceof Map<?, ?>) {
      return "an object";
    }
    if (value instanceof List<?>) {
      return "an array";
    }
    if (value instanceof JsonNumber number) {
      return "the number " + number.text();
    }
    if (value instanceof Boolean) {
      return value.toString();
    }
    String text = (String) value;
    return write(text.length() > 40 ? text.substring(0, 40) + "..." : text);
  }
}
