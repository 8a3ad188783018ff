package dev.completions.api;

import java.util.List;

/**
 * One parameter a provider accepts, derived by reflection from its parameter record; the analogue
 * of JDBC's {@code DriverPropertyInfo}. Immutable.
 *
 * @param name the wire name, e.g. {@code max_tokens}
 * @param type the Java type rendered readably, e.g. {@code List<Message>} or {@code Integer}
 * @param required whether a request must give it
 * @param defaultValue the default as text, or null when there is none
 * @param description a one-line description, "" when undeclared
 * @param min the smallest allowed number, or null when unbounded below
 * @param max the largest allowed number, or null when unbounded above
 * @param choices the allowed values for an enum-typed parameter, else empty
 */
public record ParameterInfo(
    String name,
    String type,
    boolean required,
    String defaultValue,
    String description,
    Double min,
    Double max,
    List<String> choices) {

  /**
   * Copies {@code choices}.
   *
   * @param name the wire name, e.g. {@code max_tokens}
   * @param type the Java type rendered readably, e.g. {@code List<Message>} or {@code Integer}
   * @param required whether a request must give it
   * @param defaultValue the default as text, or null when there is none
   * @param description a one-line description, "" when undeclared
   * @param min the smallest allowed number, or null when unbounded below
   * @param max the largest allowed number, or null when unbounded above
   * @param choices the allowed values for an enum-typed parameter, else empty
   */
  public ParameterInfo {
    choices = List.copyOf(choices);
  }

  /**
   * {@return the parameter in gpt4free's description form: {@code name: Type} or {@code name: Type
   * = default}}
   */
  public String signature() {
    return name + ": " + type + (defaultValue == null ? "" : " = " + defaultValue);
  }

  /**
   * {@return what values are allowed, e.g. {@code Integer >= 1}, {@code Double in [0, 1]}, or
   * {@code one of a, b}}
   */
  public String constraint() {
    if (!choices.isEmpty()) {
      return "one of " + String.join(", ", choices);
    }
    if (min != null && max != null) {
      return type + " in [" + number(min) + ", " + number(max) + "]";
    }
    if (min != null) {
      return type + " >= " + number(min);
    }
    if (max != null) {
      return type + " <= " + number(max);
    }
    return type;
  }

  static String number(double value) {
    return value == Math.rint(value) && Math.abs(value) < 1e15
        ? Long.toString((long) value)
        : Double.toString(value);
  }
}
