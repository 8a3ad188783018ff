package dev.completions.api;

import java.util.regex.Pattern;

/**
 * A function the model may call: its name, what it does, and a JSON Schema of its parameters,
 * carried as JSON text so that this module needs no JSON library. Immutable and thread-safe.
 *
 * @param name the function's name: 1 to 64 letters, digits, {@code _} or {@code -}
 * @param description what the function does, for the model; "" when none
 * @param parameters a JSON Schema object as JSON text, such as {@code
 *     {"type":"object","properties":{}}}
 */
public record Tool(String name, String description, String parameters) {

  private static final Pattern NAME = Pattern.compile("[a-zA-Z0-9_-]{1,64}");

  /** The schema of a function that takes no parameters. */
  public static final String NO_PARAMETERS = "{\"type\":\"object\",\"properties\":{}}";

  /**
   * @throws IllegalArgumentException naming the field: a name outside {@code
   *     ^[a-zA-Z0-9_-]{1,64}$}, a null description, or parameters that are not a JSON object
   * @param name the function's name: 1 to 64 letters, digits, {@code _} or {@code -}
   * @param description what the function does, for the model; "" when none
   * @param parameters a JSON Schema object as JSON text, such as {@code
   *     {"type":"object","properties":{}}}
   */
  public Tool {
    if (name == null || !NAME.matcher(name).matches()) {
      throw new IllegalArgumentException(
          "tools: name must match ^[a-zA-Z0-9_-]{1,64}$, got "
              + (name == null ? "null" : "'" + name + "'"));
    }
    if (description == null) {
      throw new IllegalArgumentException(
          "tools[" + name + "].description: must not be null (use \"\")");
    }
    if (!JsonSyntax.isObject(parameters)) {
      throw new IllegalArgumentException(
          "tools["
              + name
              + "].parameters: must be a JSON Schema object as JSON text,"
              + " such as "
              + NO_PARAMETERS);
    }
  }

  /**
   * A tool with this name, description and JSON Schema of parameters.
   *
   * @param name the tool's name
   * @param description what the tool does, for the model
   * @param parametersSchema the JSON Schema of its parameters, as JSON text
   * @return the tool
   */
  public static Tool of(String name, String description, String parametersSchema) {
    return new Tool(name, description, parametersSchema);
  }
}
