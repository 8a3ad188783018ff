package dev.completions.local;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.StringJoiner;

/**
 * Turns "any JSON object" or a JSON Schema into a llama.cpp grammar (GBNF), so sampling can only
 * produce JSON of that shape. Written in Java rather than through the binding's {@code
 * LlamaModel.jsonSchemaToGrammar}: llama.cpp throws a C++ exception on a schema it does not know,
 * which de.kherud:llama 4.2.0 lets escape and which aborts the JVM, and it would load the native
 * library before any request is made.
 *
 * <p>The schema subset: {@code type} (one name or a list), {@code enum}, {@code const}, {@code
 * anyOf}, local {@code $ref}s ({@code #}, {@code #/$defs/NAME}, {@code #/definitions/NAME});
 * objects with {@code properties} and {@code required} (only declared properties are generated,
 * in declared order, so {@code additionalProperties} always holds; an object with no properties
 * takes any members, of the {@code additionalProperties} schema when it is one); strings with
 * {@code minLength}/{@code maxLength}; integers with {@code minimum}, {@code maximum}, {@code
 * exclusiveMinimum}, {@code exclusiveMaximum}; numbers; booleans; null; arrays with {@code items},
 * {@code minItems}, {@code maxItems}. Annotations ({@code title}, {@code description}, {@code
 * default}, ...) and unknown keywords are ignored, as JSON Schema says. A known validation keyword
 * outside the subset ({@code pattern}, {@code format}, {@code oneOf}, a number's bounds, ...) is
 * refused when the schema is strict and otherwise ignored ({@code oneOf} is then taken as {@code anyOf}).
 *
 * <p>Every output the grammar allows validates against the schema: where the grammar is narrower
 * (no undeclared properties, integers of at most 16 digits unless a bound asks for more, no
 * white space but single spaces, no exponent beyond two digits), it only leaves valid outputs out.
 */
final class JsonGrammar {

  /** The most a length or item count may be bounded to; llama.cpp unrolls each bounded repetition. */
  static final int MAX_REPEAT = 1000;

  private static final String FIELD = "response_format.schema: ";

  private static final Set<String> UNSUPPORTED = Set.of("pattern", "format", "multipleOf", "minProperties",
      "maxProperties", "patternProperties", "propertyNames", "dependentRequired", "dependentSchemas", "dependencies",
      "unevaluatedProperties", "unevaluatedItems", "prefixItems", "additionalItems", "contains", "minContains",
      "maxContains", "uniqueItems", "allOf", "oneOf", "not", "if", "then", "else", "$dynamicRef", "$recursiveRef");

  private static final Set<String> OBJECT_WORDS = Set.of("properties", "required", "additionalProperties");
  private static final Set<String> ARRAY_WORDS = Set.of("items", "minItems", "maxItems");
  private static final Set<String> STRING_WORDS = Set.of("minLength", "maxLength");
  private static final Set<String> BOUND_WORDS = Set.of("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum");
  private static final List<String> TYPES = List.of("object", "array", "string", "integer", "number", "boolean", "null");

  /** The rules every grammar may use, each added with what it needs when first used. */
  private static final Map<String, String> PRIMITIVES = new LinkedHashMap<>();
  private static final Map<String, List<String>> NEEDS = new HashMap<>();

  static {
    primitive("space", "\" \"?");
    primitive("char", "[^\"\\\\\\x7F\\x00-\\x1F] | [\\\\] ([\"\\\\/bfnrt] | \"u\" [0-9a-fA-F]{4})");
    primitive("string", "\"\\\"\" char* \"\\\"\"", "char");
    primitive("integer", "\"-\"? (\"0\" | [1-9] [0-9]{0,15})");
    primitive("number", "\"-\"? (\"0\" | [1-9] [0-9]{0,15}) (\".\" [0-9]{1,16})? ([eE] [-+]? [0-9]{1,2})?");
    primitive("boolean", "\"true\" | \"false\"");
    primitive("null", "\"null\"");
    primitive("value", "object | array | string | number | boolean | null",
        "object", "array", "string", "number", "boolean", "null");
    primitive("object", "\"{\" space (member (\",\" space member)*)? \"}\"", "space", "member");
    primitive("member", "string space \":\" space value space", "string", "space", "value");
    primitive("array", "\"[\" space (value space (\",\" space value space)*)? \"]\"", "space", "value");
  }

  private static void primitive(String name, String body, String... needs) {
    PRIMITIVES.put(name, body);
    NEEDS.put(name, List.of(needs));
  }

  private final Object root;
  private final boolean strict;
  private final Map<String, String> rules = new LinkedHashMap<>();
  private final Map<String, String> names = new HashMap<>(); // body -> rule name
  private final Map<String, String> references = new HashMap<>(); // $ref -> rule name

  private JsonGrammar(Object root, boolean strict) {
    this.root = root;
    this.strict = strict;
  }

  /** The grammar of any JSON object. */
  static String anyObject() {
    JsonGrammar grammar = new JsonGrammar(Boolean.TRUE, false);
    grammar.rules.put("root", "object");
    grammar.use("object");
    return grammar.text();
  }

  /**
   * The grammar of the JSON values that validate against this schema.
   *
   * @param schema a JSON Schema as JSON text
   * @param strict refuse keywords that cannot be enforced, rather than ignore them
   * @throws IllegalArgumentException starting with {@code response_format.schema:}, naming where in
   *     the schema and what is wrong, when the schema is not valid JSON, is malformed, cannot be
   *     satisfied, or (when strict) uses a keyword outside the subset
   */
  static String schema(String schema, boolean strict) {
    Object root;
    try {
      root = Json.parse(schema);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(FIELD + "not valid JSON: " + e.getMessage(), e);
    }
    JsonGrammar grammar = new JsonGrammar(root, strict);
    grammar.rules.put("root", ""); // first in the text, and recursion through "#" finds it
    grammar.references.put("#", "root");
    grammar.rules.put("root", grammar.expression(root, "#", ""));
    return grammar.text();
  }

  private String text() {
    StringBuilder out = new StringBuilder();
    rules.forEach((name, body) -> out.append(name).append(" ::= ").append(body).append('\n'));
    return out.toString();
  }

  /** An expression for a schema: a rule name, or a primitive's name. */
  private String expression(Object schema, String path, String hint) {
    if (schema instanceof Boolean allowed) {
      if (!allowed) {
        throw invalid(path, "the schema false allows no value");
      }
      return use("value");
    }
    if (!(schema instanceof Map<?, ?> raw)) {
      throw invalid(path, "a schema must be an object or a boolean, got " + Json.typeOf(schema));
    }
    @SuppressWarnings("unchecked")
    Map<String, Object> node = (Map<String, Object>) raw;
    for (String keyword : node.keySet()) {
      if (UNSUPPORTED.contains(keyword)) {
        unsupported(path, "'" + keyword + "'");
      }
    }
    if (node.containsKey("$ref")) {
      unsupportedBeside(node, path, "$ref");
      return reference(node.get("$ref"), path);
    }
    List<String> types = types(node, path);
    if (node.containsKey("enum") || node.containsKey("const")) {
      return literals(node, types, path, hint);
    }
    // not strict, oneOf is taken as anyOf: the answer matches one option, perhaps more
    String union = node.containsKey("anyOf") ? "anyOf" : node.containsKey("oneOf") ? "oneOf" : null;
    if (union != null) {
      unsupportedBeside(node, path, union);
      if (!(node.get(union) instanceof List<?> options) || options.isEmpty()) {
        throw invalid(path, union + " must be a non-empty array of schemas");
      }
      StringJoiner alternatives = new StringJoiner(" | ");
      for (int i = 0; i < options.size(); i++) {
        alternatives.add(expression(options.get(i), path + "/" + union + "/" + i, hint + "-" + i));
      }
      return rule(hint, alternatives.toString());
    }
    if (types.isEmpty()) {
      types = impliedTypes(node);
    }
    if (types.isEmpty()) {
      return use("value");
    }
    if (types.size() == 1) {
      return typed(node, types.get(0), path, hint);
    }
    StringJoiner alternatives = new StringJoiner(" | ");
    for (String type : types) {
      alternatives.add(typed(node, type, path, hint + "-" + type));
    }
    return rule(hint, alternatives.toString());
  }

  private List<String> types(Map<String, Object> node, String path) {
    Object type = node.get("type");
    List<String> types = new ArrayList<>();
    if (type == null) {
      return types;
    }
    List<?> listed = type instanceof List<?> list ? list : List.of(type);
    for (Object name : listed) {
      if (!(name instanceof String s) || !TYPES.contains(s)) {
        throw invalid(path, "type must be one of " + TYPES + " or a list of them, got " + Json.write(type));
      }
      if (!types.contains(s)) {
        types.add(s);
      }
    }
    if (types.isEmpty()) {
      throw invalid(path, "type lists no type, so no value is allowed");
    }
    if (types.contains("number")) {
      types.remove("integer"); // every integer is a number
    }
    return types;
  }

  /** Without a type, the type its keywords are about; any value satisfies the others. */
  private static List<String> impliedTypes(Map<String, Object> node) {
    List<String> types = new ArrayList<>();
    if (node.keySet().stream().anyMatch(OBJECT_WORDS::contains)) {
      types.add("object");
    }
    if (node.keySet().stream().anyMatch(ARRAY_WORDS::contains)) {
      types.add("array");
    }
    if (node.keySet().stream().anyMatch(STRING_WORDS::contains)) {
      types.add("string");
    }
    if (node.keySet().stream().anyMatch(BOUND_WORDS::contains)) {
      types.add("integer"); // integers in bounds are numbers in bounds
    }
    return types;
  }

  private String typed(Map<String, Object> node, String type, String path, String hint) {
    switch (type) {
      case "object":
        return object(node, path, hint);
      case "array":
        return array(node, path, hint);
      case "string":
        return string(node, path, hint);
      case "integer":
        return integer(node, path, hint);
      case "number":
        for (String bound : BOUND_WORDS) {
          if (node.containsKey(bound)) {
            unsupported(path, "'" + bound + "' on a number (only an integer's bounds are enforced)");
          }
        }
        return use("number");
      default: // boolean, null
        return use(type);
    }
  }

  private String object(Map<String, Object> node, String path, String hint) {
    Object declared = node.getOrDefault("properties", Map.of());
    if (!(declared instanceof Map<?, ?> properties)) {
      throw invalid(path, "properties must be an object, got " + Json.typeOf(declared));
    }
    Object additional = node.getOrDefault("additionalProperties", Boolean.TRUE);
    if (!(additional instanceof Boolean) && !(additional instanceof Map)) {
      throw invalid(path, "additionalProperties must be a schema (an object or a boolean), got "
          + Json.typeOf(additional));
    }
    List<String> required = new ArrayList<>();
    Object listed = node.getOrDefault("required", List.of());
    if (!(listed instanceof List<?> names)) {
      throw invalid(path, "required must be an array of property names, got " + Json.typeOf(listed));
    }
    for (Object name : names) {
      if (!(name instanceof String s)) {
        throw invalid(path, "required must list property names (strings), got " + Json.write(name));
      }
      if (!required.contains(s)) {
        required.add(s);
      }
    }
    // the members to generate: the declared ones, then required names declared nowhere
    Map<String, Object> members = new LinkedHashMap<>();
    properties.forEach((name, schema) -> members.put((String) name, schema));
    for (String name : required) {
      if (!members.containsKey(name)) {
        if (Boolean.FALSE.equals(additional)) {
          throw invalid(path, "requires '" + name + "', which is not a property, and additionalProperties is false");
        }
        members.put(name, additional);
      }
    }
    if (members.isEmpty()) {
      if (Boolean.FALSE.equals(additional)) {
        return rule(hint, "\"{\" " + use("space") + " \"}\"");
      }
      String value = expression(additional, path + "/additionalProperties", hint + "-value");
      String member = use("string") + " space \":\" space " + value + " space";
      return rule(hint, "\"{\" " + use("space") + " (" + member + " (\",\" space " + member + ")*)? \"}\"");
    }
    List<String> pairs = new ArrayList<>();
    List<Boolean> needed = new ArrayList<>();
    for (Map.Entry<String, Object> member : members.entrySet()) {
      String name = member.getKey();
      String value = expression(member.getValue(), path + "/properties/" + pointer(name), hint + "-" + name);
      pairs.add(rule(hint + "-" + name + "-kv", literal(Json.quote(name)) + " " + use("space") + " \":\" space "
          + value + " space"));
      needed.add(required.contains(name));
    }
    return rule(hint, "\"{\" " + use("space") + " " + members(pairs, needed, hint) + " \"}\"");
  }

  /**
   * The members in order, the optional ones optional, with commas only between present ones: rule
   * {@code first(i)} holds members i.. when none came before, {@code rest(i)} when one did.
   */
  private String members(List<String> pairs, List<Boolean> needed, String hint) {
    if (!needed.contains(false)) {
      return String.join(" \",\" space ", pairs);
    }
    String first = "";
    String rest = "";
    for (int i = pairs.size() - 1; i >= 0; i--) {
      String pair = pairs.get(i);
      String then = rest.isEmpty() ? pair : pair + " " + rest;
      String comma = "\",\" space " + then;
      String newFirst;
      String newRest;
      if (needed.get(i)) {
        newFirst = then;
        newRest = comma;
      } else {
        newFirst = first.isEmpty() ? "(" + then + ")?" : "(" + then + " | " + first + ")"; // first may be empty
        newRest = rest.isEmpty() ? "(" + comma + ")?" : "(" + comma + " | " + rest + ")";
      }
      first = rule(hint + "-from-" + i, newFirst);
      rest = rule(hint + "-after-" + i, newRest);
    }
    return first;
  }

  private String array(Map<String, Object> node, String path, String hint) {
    Object items = node.getOrDefault("items", Boolean.TRUE);
    if (items instanceof List) {
      unsupported(path, "items as an array (a tuple)");
      items = Boolean.TRUE;
    }
    int min = count(node, "minItems", 0, path);
    Integer max = node.containsKey("maxItems") ? count(node, "maxItems", 0, path) : null;
    if (max != null && max < min) {
      throw invalid(path, "maxItems " + max + " is below minItems " + min + ", so no array is allowed");
    }
    if (max != null && max == 0) {
      return rule(hint, "\"[\" " + use("space") + " \"]\"");
    }
    String item = expression(items, path + "/items", hint + "-item") + " " + use("space");
    String more = max != null && max == 1 ? ""
        : " (\",\" space " + item + ")" + repeat(Math.max(min - 1, 0), max == null ? null : max - 1);
    String body = min == 0 ? "(" + item + more + ")?" : item + more;
    return rule(hint, "\"[\" space " + body + " \"]\"");
  }

  private String string(Map<String, Object> node, String path, String hint) {
    int min = count(node, "minLength", 0, path);
    Integer max = node.containsKey("maxLength") ? count(node, "maxLength", 0, path) : null;
    if (max != null && max < min) {
      throw invalid(path, "maxLength " + max + " is below minLength " + min + ", so no string is allowed");
    }
    if (min == 0 && max == null) {
      return use("string");
    }
    if (max != null && max == 0) {
      return rule(hint, "\"\\\"\\\"\"");
    }
    use("char");
    return rule(hint, "\"\\\"\" char" + repeat(min, max) + " \"\\\"\"");
  }

  private String integer(Map<String, Object> node, String path, String hint) {
    BigDecimal low = null;
    BigDecimal high = null;
    for (String bound : BOUND_WORDS) {
      Object value = node.get(bound);
      if (value == null) {
        continue;
      }
      if (value instanceof Boolean exclusive && bound.startsWith("exclusive")) {
        if (exclusive) { // draft 4: a flag on minimum or maximum
          unsupported(path, "'" + bound + "': true (draft 4); use a number");
        }
        continue;
      }
      if (!(value instanceof Json.Num number)) {
        throw invalid(path, bound + " must be a number, got " + Json.typeOf(value));
      }
      BigDecimal v = number.value();
      switch (bound) {
        case "minimum" -> low = max(low, v.setScale(0, RoundingMode.CEILING));
        case "exclusiveMinimum" -> low = max(low, v.setScale(0, RoundingMode.FLOOR).add(BigDecimal.ONE));
        case "maximum" -> high = min(high, v.setScale(0, RoundingMode.FLOOR));
        default -> high = min(high, v.setScale(0, RoundingMode.CEILING).subtract(BigDecimal.ONE));
      }
    }
    if (low == null && high == null) {
      return use("integer");
    }
    if (low != null && high != null && low.compareTo(high) > 0) {
      throw invalid(path, "no integer lies within the bounds");
    }
    BigDecimal limit = new BigDecimal(LONGEST);
    BigDecimal usual = new BigDecimal(USUAL);
    // an open side goes as far as the usual 16 digits, or 18 when the other bound is beyond them
    if (low == null) {
      low = high.compareTo(usual.negate()) < 0 ? limit.negate() : usual.negate();
    }
    if (high == null) {
      high = low.compareTo(usual) > 0 ? limit : usual;
    }
    if (low.compareTo(limit) > 0 || high.compareTo(limit.negate()) < 0) {
      throw invalid(path, "integer bounds beyond 18 digits are not supported");
    }
    return rule(hint, integerRange(Math.max(low.max(limit.negate()).longValueExact(), -LONGEST),
        Math.min(high.min(limit).longValueExact(), LONGEST)));
  }

  private static final long USUAL = 9_999_999_999_999_999L;
  private static final long LONGEST = 999_999_999_999_999_999L;

  /** The integers from {@code low} to {@code high}, at most 18 digits each, without a leading zero or "-0". */
  static String integerRange(long low, long high) {
    StringJoiner alternatives = new StringJoiner(" | ");
    if (low < 0) {
      alternatives.add("\"-\" (" + naturals(high < 0 ? -high : 1, -low) + ")");
    }
    if (high >= 0) {
      alternatives.add(naturals(Math.max(low, 0), high));
    }
    return alternatives.toString();
  }

  private static String naturals(long low, long high) {
    StringJoiner alternatives = new StringJoiner(" | ");
    String lowText = Long.toString(low);
    String highText = Long.toString(high);
    for (int length = lowText.length(); length <= highText.length(); length++) {
      long first = length == 1 ? 0 : pow10(length - 1);
      long last = length == 18 ? LONGEST : pow10(length) - 1;
      alternatives.add(sameLength(Long.toString(Math.max(low, first)), Long.toString(Math.min(high, last))));
    }
    return alternatives.toString();
  }

  /** Numbers between two of the same length, digit by digit. */
  private static String sameLength(String low, String high) {
    int n = low.length();
    if (low.equals(high)) {
      return "\"" + low + "\"";
    }
    if (n == 1) {
      return "[" + low + "-" + high + "]";
    }
    if (low.charAt(0) == high.charAt(0)) {
      return "\"" + low.charAt(0) + "\" (" + sameLength(low.substring(1), high.substring(1)) + ")";
    }
    StringJoiner parts = new StringJoiner(" | ");
    String lowRest = low.substring(1);
    String highRest = high.substring(1);
    char from = low.charAt(0);
    char to = high.charAt(0);
    if (!lowRest.matches("0*")) {
      parts.add("\"" + from + "\" (" + sameLength(lowRest, "9".repeat(n - 1)) + ")");
      from++;
    }
    boolean highFull = highRest.matches("9*");
    char middleTo = highFull ? to : (char) (to - 1);
    if (from <= middleTo) {
      parts.add((from == middleTo ? "\"" + from + "\"" : "[" + from + "-" + middleTo + "]") + " [0-9]"
          + (n == 2 ? "" : "{" + (n - 1) + "}"));
    }
    if (!highFull) {
      parts.add("\"" + to + "\" (" + sameLength("0".repeat(n - 1), highRest) + ")");
    }
    return parts.toString();
  }

  private static long pow10(int exponent) {
    long result = 1;
    for (int i = 0; i < exponent; i++) {
      result *= 10;
    }
    return result;
  }

  private String literals(Map<String, Object> node, List<String> types, String path, String hint) {
    List<Object> values = new ArrayList<>();
    if (node.containsKey("const")) {
      values.add(node.get("const"));
    }
    if (node.containsKey("enum")) {
      if (!(node.get("enum") instanceof List<?> listed) || listed.isEmpty()) {
        throw invalid(path, "enum must be a non-empty array");
      }
      if (values.isEmpty()) {
        values.addAll(listed);
      } else if (!listed.contains(values.get(0))) {
        throw invalid(path, "const is not among the enum values, so no value is allowed");
      }
    }
    for (String keyword : node.keySet()) {
      if (OBJECT_WORDS.contains(keyword) || ARRAY_WORDS.contains(keyword) || STRING_WORDS.contains(keyword)
          || BOUND_WORDS.contains(keyword) || keyword.equals("anyOf")) {
        unsupported(path, "'" + keyword + "' beside enum or const");
      }
    }
    StringJoiner alternatives = new StringJoiner(" | ");
    for (Object value : values) {
      if (types.isEmpty() || types.stream().anyMatch(type -> isOfType(value, type))) {
        alternatives.add(literal(Json.write(value)));
      }
    }
    if (alternatives.length() == 0) {
      throw invalid(path, "no enum or const value is of the type " + types);
    }
    return rule(hint, alternatives.toString());
  }

  private static boolean isOfType(Object value, String type) {
    return switch (type) {
      case "object" -> value instanceof Map;
      case "array" -> value instanceof List;
      case "string" -> value instanceof String;
      case "integer" -> value instanceof Json.Num n && n.isIntegral();
      case "number" -> value instanceof Json.Num;
      case "boolean" -> value instanceof Boolean;
      default -> value == Json.NULL;
    };
  }

  private String reference(Object target, String path) {
    if (!(target instanceof String ref)) {
      throw invalid(path, "$ref must be a string");
    }
    String known = references.get(ref);
    if (known != null) {
      return known;
    }
    String[] parts = ref.split("/", -1);
    if (parts.length != 3 || !parts[0].equals("#") || !(parts[1].equals("$defs") || parts[1].equals("definitions"))) {
      throw invalid(path, "$ref '" + ref + "' is not supported; only #, #/$defs/NAME and #/definitions/NAME are");
    }
    String name = parts[2].replace("~1", "/").replace("~0", "~");
    Object definitions = root instanceof Map<?, ?> map ? map.get(parts[1]) : null;
    if (!(definitions instanceof Map<?, ?> defs) || !defs.containsKey(name)) {
      throw invalid(path, "$ref '" + ref + "' points at nothing");
    }
    String rule = unique("def-" + name);
    references.put(ref, rule);
    rules.put(rule, ""); // reserved: a recursive reference finds the name
    String body = expression(defs.get(name), ref, rule);
    rules.put(rule, body);
    return rule;
  }

  /** {@code {min,max}} in GBNF: {@code *}, {@code +}, {@code {m}}, {@code {m,}} or {@code {m,n}}. */
  private static String repeat(int min, Integer max) {
    if (max == null) {
      return min == 0 ? "*" : min == 1 ? "+" : "{" + min + ",}";
    }
    return min == max ? "{" + min + "}" : "{" + min + "," + max + "}";
  }

  private int count(Map<String, Object> node, String keyword, int otherwise, String path) {
    Object value = node.get(keyword);
    if (value == null) {
      return otherwise;
    }
    if (!(value instanceof Json.Num n) || !n.isIntegral() || n.value().signum() < 0) {
      throw invalid(path, keyword + " must be a non-negative integer, got " + Json.write(value));
    }
    if (n.value().compareTo(BigDecimal.valueOf(MAX_REPEAT)) > 0) {
      if (keyword.startsWith("max")) {
        return MAX_REPEAT; // fewer is still valid
      }
      throw invalid(path, keyword + " above " + MAX_REPEAT + " is not supported");
    }
    return n.value().intValueExact();
  }

  /** A GBNF string literal of this text. */
  static String literal(String text) {
    StringBuilder out = new StringBuilder("\"");
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> {
          if (c < 0x20 || c == 0x7f) {
            out.append(String.format("\\x%02X", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    return out.append('"').toString();
  }

  /** Adds a primitive rule and what it needs; returns its name. */
  private String use(String primitive) {
    if (!rules.containsKey(primitive)) {
      rules.put(primitive, PRIMITIVES.get(primitive));
      NEEDS.get(primitive).forEach(this::use);
    }
    return primitive;
  }

  /** A named rule for this body (the same body reuses one rule); returns its name. */
  private String rule(String hint, String body) {
    if (PRIMITIVES.containsKey(body)) {
      return body;
    }
    String known = names.get(body);
    if (known != null) {
      return known;
    }
    String name = unique(hint);
    rules.put(name, body);
    names.put(body, name);
    return name;
  }

  private String unique(String hint) {
    String base = hint.replaceAll("[^a-zA-Z0-9]+", "-").replaceAll("^-+|-+$", "").toLowerCase(java.util.Locale.ROOT);
    if (base.isEmpty()) {
      base = "top";
    }
    if (base.length() > 48) {
      base = base.substring(0, 48);
    }
    String name = base;
    for (int i = 2; rules.containsKey(name) || PRIMITIVES.containsKey(name); i++) {
      name = base + "-" + i;
    }
    return name;
  }

  private void unsupportedBeside(Map<String, Object> node, String path, String keyword) {
    for (String other : node.keySet()) {
      if (!other.equals(keyword) && (other.equals("type") || other.equals("enum") || other.equals("const")
          || other.equals("anyOf") || OBJECT_WORDS.contains(other) || ARRAY_WORDS.contains(other)
          || STRING_WORDS.contains(other) || BOUND_WORDS.contains(other))) {
        unsupported(path, "'" + other + "' beside " + keyword);
      }
    }
  }

  private void unsupported(String path, String what) {
    if (strict) {
      throw new IllegalArgumentException(FIELD + "at " + path + ": " + what + " cannot be enforced by "
          + LocalProvider.NAME + "; remove it, or set strict to false to have it ignored");
    }
  }

  private static IllegalArgumentException invalid(String path, String message) {
    return new IllegalArgumentException(FIELD + "at " + path + ": " + message);
  }

  private static String pointer(String name) {
    return name.replace("~", "~0").replace("/", "~1");
  }

  private static BigDecimal max(BigDecimal a, BigDecimal b) {
    return a == null ? b : a.max(b);
  }

  private static BigDecimal min(BigDecimal a, BigDecimal b) {
    return a == null ? b : a.min(b);
  }
}
