package dev.completions.local;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The tests' own JSON reader and JSON Schema checker, written apart from the module's {@code Json}
 * and {@code JsonGrammar} so a mistake there is not repeated here (Jackson is not on this module's
 * class path). Reads strict JSON (objects as ordered maps, numbers as BigDecimal, null as {@link
 * #NULL}); checks the schema subset the grammar supports and says what fails, or null when valid.
 */
final class TinyJson {

  static final Object NULL = new Object();

  private final String text;
  private int at;

  private TinyJson(String text) {
    this.text = text;
  }

  /**
   * @throws IllegalArgumentException when the text is not exactly one JSON value
   */
  static Object parse(String text) {
    TinyJson p = new TinyJson(text);
    p.ws();
    Object value = p.value();
    p.ws();
    if (p.at != text.length()) {
      throw new IllegalArgumentException("trailing text at " + p.at + " in " + text);
    }
    return value;
  }

  private Object value() {
    char c = peek();
    if (c == '{') {
      at++;
      Map<String, Object> map = new LinkedHashMap<>();
      ws();
      if (peek() == '}') {
        at++;
        return map;
      }
      do {
        ws();
        String key = str();
        ws();
        take(':');
        ws();
        map.put(
            key,
            value()); // a repeated name is valid JSON (RFC 8259: names SHOULD be unique); the last
        // wins
        ws();
      } while (peek() == ',' && at++ >= 0);
      take('}');
      return map;
    }
    if (c == '[') {
      at++;
      List<Object> list = new ArrayList<>();
      ws();
      if (peek() == ']') {
        at++;
        return list;
      }
      do {
        ws();
        list.add(value());
        ws();
      } while (peek() == ',' && at++ >= 0);
      take(']');
      return list;
    }
    if (c == '"') {
      return str();
    }
    for (String word : new String[] {"true", "false", "null"}) {
      if (text.startsWith(word, at)) {
        at += word.length();
        return word.equals("null") ? NULL : Boolean.valueOf(word);
      }
    }
    int start = at;
    while (at < text.length() && "+-0123456789.eE".indexOf(text.charAt(at)) >= 0) {
      at++;
    }
    String number = text.substring(start, at);
    if (!number.matches("-?(0|[1-9][0-9]*)(\\.[0-9]+)?([eE][+-]?[0-9]+)?")) {
      throw fail("bad value '" + number + "'");
    }
    return new BigDecimal(number);
  }

  private String str() {
    take('"');
    StringBuilder out = new StringBuilder();
    while (true) {
      char c = text.charAt(at++);
      if (c == '"') {
        return out.toString();
      }
      if (c < 0x20) {
        throw fail("raw control character in a string");
      }
      if (c == '\\') {
        char e = text.charAt(at++);
        int i = "\"\\/bfnrt".indexOf(e);
        if (i >= 0) {
          out.append("\"\\/\b\f\n\r\t".charAt(i));
        } else if (e == 'u') {
          out.append((char) Integer.parseInt(text.substring(at, at + 4), 16));
          at += 4;
        } else {
          throw fail("bad escape");
        }
      } else {
        out.append(c);
      }
    }
  }

  private void take(char c) {
    if (peek() != c) {
      throw fail("expected " + c);
    }
    at++;
  }

  private char peek() {
    if (at >= text.length()) {
      throw fail("unexpected end");
    }
    return text.charAt(at);
  }

  private void ws() {
    while (at < text.length() && " \t\n\r".indexOf(text.charAt(at)) >= 0) {
      at++;
    }
  }

  private IllegalArgumentException fail(String why) {
    return new IllegalArgumentException(why + " at " + at + " in " + text);
  }

  /** What in {@code value} breaks {@code schema} (both parsed), or null when it validates. */
  @SuppressWarnings("unchecked")
  static String violation(Object schema, Object value, Map<String, Object> root, String path) {
    if (schema instanceof Boolean b) {
      return b ? null : path + ": false schema";
    }
    Map<String, Object> s = (Map<String, Object>) schema;
    if (s.get("$ref") instanceof String ref) {
      Object target =
          ref.equals("#")
              ? root
              : ((Map<String, Object>) root.get(ref.split("/")[1])).get(ref.split("/")[2]);
      return violation(target, value, root, path);
    }
    if (s.get("anyOf") instanceof List<?> options) {
      boolean any =
          options.stream().anyMatch(option -> violation(option, value, root, path) == null);
      if (!any) {
        return path + ": matches no anyOf option";
      }
    }
    if (s.containsKey("const") && !same(s.get("const"), value)) {
      return path + ": not the const";
    }
    if (s.get("enum") instanceof List<?> values && values.stream().noneMatch(v -> same(v, value))) {
      return path + ": " + value + " is not in " + values;
    }
    if (s.containsKey("type")) {
      List<?> types = s.get("type") instanceof List<?> l ? l : List.of(s.get("type"));
      if (types.stream().noneMatch(t -> isType(value, (String) t))) {
        return path + ": " + value + " is not of type " + types;
      }
    }
    if (value instanceof BigDecimal n) {
      for (String bound : List.of("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum")) {
        if (s.get(bound) instanceof BigDecimal limit) {
          int c = n.compareTo(limit);
          boolean ok =
              switch (bound) {
                case "minimum" -> c >= 0;
                case "maximum" -> c <= 0;
                case "exclusiveMinimum" -> c > 0;
                default -> c < 0;
              };
          if (!ok) {
            return path + ": " + n + " breaks " + bound + " " + limit;
          }
        }
      }
    }
    if (value instanceof String str) {
      int length = str.codePointCount(0, str.length());
      if (s.get("minLength") instanceof BigDecimal min && length < min.intValue()) {
        return path + ": shorter than " + min;
      }
      if (s.get("maxLength") instanceof BigDecimal max && length > max.intValue()) {
        return path + ": longer than " + max;
      }
    }
    if (value instanceof List<?> list) {
      if (s.get("minItems") instanceof BigDecimal min && list.size() < min.intValue()) {
        return path + ": fewer items than " + min;
      }
      if (s.get("maxItems") instanceof BigDecimal max && list.size() > max.intValue()) {
        return path + ": more items than " + max;
      }
      if (s.containsKey("items")) {
        for (int i = 0; i < list.size(); i++) {
          String why = violation(s.get("items"), list.get(i), root, path + "/" + i);
          if (why != null) {
            return why;
          }
        }
      }
    }
    if (value instanceof Map<?, ?> object) {
      Map<String, Object> properties = (Map<String, Object>) s.getOrDefault("properties", Map.of());
      for (Object name : (List<?>) s.getOrDefault("required", List.of())) {
        if (!object.containsKey(name)) {
          return path + ": lacks required " + name;
        }
      }
      for (Map.Entry<?, ?> member : object.entrySet()) {
        Object memberSchema =
            properties.containsKey(member.getKey())
                ? properties.get(member.getKey())
                : s.getOrDefault("additionalProperties", Boolean.TRUE);
        String why = violation(memberSchema, member.getValue(), root, path + "/" + member.getKey());
        if (why != null) {
          return why;
        }
      }
    }
    return null;
  }

  /**
   * What in {@code json} breaks the schema text, or null when it validates; unparsable JSON is a
   * violation.
   */
  @SuppressWarnings("unchecked")
  static String violation(String schemaText, String json) {
    Object value;
    try {
      value = parse(json);
    } catch (RuntimeException e) {
      return "not JSON: " + e.getMessage();
    }
    Map<String, Object> schema = (Map<String, Object>) parse(schemaText);
    return violation(schema, value, schema, "#");
  }

  private static boolean isType(Object value, String type) {
    return switch (type) {
      case "object" -> value instanceof Map;
      case "array" -> value instanceof List;
      case "string" -> value instanceof String;
      case "integer" ->
          value instanceof BigDecimal n && (n.signum() == 0 || n.stripTrailingZeros().scale() <= 0);
      case "number" -> value instanceof BigDecimal;
      case "boolean" -> value instanceof Boolean;
      case "null" -> value == NULL;
      default -> throw new IllegalArgumentException("type " + type);
    };
  }

  private static boolean same(Object a, Object b) {
    if (a instanceof BigDecimal x && b instanceof BigDecimal y) {
      return x.compareTo(y) == 0;
    }
    return a.equals(b);
  }
}
