package dev.completions.api;

/**
 * What shape the answer's text must have: free text, any JSON object, or JSON matching a named
 * schema. Immutable and thread-safe.
 */
public sealed interface ResponseFormat {

  /** {@return the format of free text (the default)} */
  static ResponseFormat text() {
    return Text.INSTANCE;
  }

  /** {@return the format of any JSON object} */
  static ResponseFormat jsonObject() {
    return JsonObject.INSTANCE;
  }

  /**
   * JSON matching this schema (JSON text), strictly when {@code strict}.
   *
   * @param name the schema's name
   * @param schema the JSON Schema, as JSON text
   * @param strict whether the output must match the schema strictly
   * @return the format
   */
  static ResponseFormat jsonSchema(String name, String schema, boolean strict) {
    return new JsonSchema(name, schema, strict);
  }

  /** Free text. */
  final class Text implements ResponseFormat {
    private static final Text INSTANCE = new Text();

    private Text() {}

    @Override
    public String toString() {
      return "text";
    }
  }

  /** Any JSON object. */
  final class JsonObject implements ResponseFormat {
    private static final JsonObject INSTANCE = new JsonObject();

    private JsonObject() {}

    @Override
    public String toString() {
      return "json_object";
    }
  }

  /**
   * JSON matching a schema.
   *
   * @param name the schema's name: 1 to 64 letters, digits, {@code _} or {@code -}
   * @param schema a JSON Schema object as JSON text
   * @param strict whether the provider must follow the schema exactly (OpenAI's structured outputs)
   */
  record JsonSchema(String name, String schema, boolean strict) implements ResponseFormat {
    /**
     * @param name the schema's name: 1 to 64 letters, digits, {@code _} or {@code -}
     * @param schema a JSON Schema object as JSON text
     * @param strict whether the provider must follow the schema exactly (OpenAI's structured
     *     outputs)
     * @throws IllegalArgumentException naming the field when the name or schema is invalid
     */
    public JsonSchema {
      if (name == null || !name.matches("[a-zA-Z0-9_-]{1,64}")) {
        throw new IllegalArgumentException(
            "response_format.name: must match ^[a-zA-Z0-9_-]{1,64}$, got "
                + (name == null ? "null" : "'" + name + "'"));
      }
      if (!JsonSyntax.isObject(schema)) {
        throw new IllegalArgumentException(
            "response_format.schema: must be a JSON Schema object as JSON text");
      }
    }
  }
}
