package dev.completions.local;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.StringJoiner;

/**
 * "Any JSON object" or a JSON Schema as a llama.cpp grammar (GBNF), so sampling can only produce
 * JSON of that shape. Made in Java rather than by the binding's {@code
 * LlamaModel.jsonSchemaToGrammar}: llama.cpp throws a C++ exception on a schema it does not know,
 * which de.kherud:llama 4.2.0 lets escape, aborting the JVM; and it would load the native library
 * before any request is made. Immutable; made when a request is, so schema errors come before any
 * I/O.
 *
 * <p>The schema subset: {@code type} (one name or a list), {@code enum}, {@code const}, {@code
 * anyOf}, local {@code $ref}s ({@code #}, {@code #/$defs/NAME}, {@code #/definitions/NAME});
 * objects with {@code properties} and {@code required} (only declared properties are generated, in
 * declared order, so {@code additionalProperties} always holds; an object with no properties takes
 * any members, of the {@code additionalProperties} schema when it is one); strings with {@code
 * minLength}/{@code maxLength}; integers with {@code minimum}, {@code maximum}, {@code
 * exclusiveMinimum}, {@code exclusiveMaximum}; numbers; booleans; null; arrays with {@code items},
 * {@code minItems}, {@code maxItems}. Annotations ({@code title}, {@code description}, {@code
 * default}, ...) and unknown keywords are ignored, as JSON Schema says. A known validation keyword
 * outside the subset ({@code pattern}, {@code format}, {@code oneOf}, a number's bounds, ...) is
 * refused when the schema is strict and otherwise ignored ({@code oneOf} is then taken as {@code
 * anyOf}).
 *
 * <p>Every output the grammar allows validates against the schema: where the grammar is narrower
 * (no undeclared properties, integers of at most 16 digits unless a bound asks for more, single
 * spaces as the only white space, exponents of at most two digits), it only leaves valid outputs
 * out.
 *
 * <p><strong>Sized to a budget.</strong> Under a grammar llama.cpp samples no token without text,
 * so an answer of at most N bytes takes at most N tokens. {@link #text(int)} bounds what the schema
 * leaves open (string lengths, item and member counts, the nesting of values of any type) so that
 * the longest output fits the budget, as long as the smallest can: the JSON always closes before
 * {@code max_tokens}. A small model keeps writing as long as a grammar lets it; this is what makes
 * it stop. A schema that is bounded and fits is not changed; a recursive one cannot be sized.
 */
final class JsonGrammar {

  /**
   * The most a length or item count may be bounded to; llama.cpp unrolls each bounded repetition.
   */
  static final int MAX_REPEAT = 1000;

  /** The most bytes one open string may take in a sized grammar (one rule per byte). */
  static final int MAX_STRING_BYTES = 4096;

  /** The deepest nesting of values of any type, below where they occur, in a sized grammar. */
  static final int MAX_NESTING = 3;

  private static final long UNBOUNDED = Long.MAX_VALUE / 4;
  private static final String FIELD = "response_format.schema: ";
  private static final long USUAL = 9_999_999_999_999_999L;
  private static final long LONGEST = 999_999_999_999_999_999L;

  private static final Set<String> UNSUPPORTED =
      Set.of(
          "pattern",
          "format",
          "multipleOf",
          "minProperties",
          "maxProperties",
          "patternProperties",
          "propertyNames",
          "dependentRequired",
          "dependentSchemas",
          "dependencies",
          "unevaluatedProperties",
          "unevaluatedItems",
          "prefixItems",
          "additionalItems",
          "contains",
          "minContains",
          "maxContains",
          "uniqueItems",
          "allOf",
          "oneOf",
          "not",
          "if",
          "then",
          "else",
          "$dynamicRef",
          "$recursiveRef");
  private static final Set<String> OBJECT_WORDS =
      Set.of("properties", "required", "additionalProperties");
  private static final Set<String> ARRAY_WORDS = Set.of("items", "minItems", "maxItems");
  private static final Set<String> STRING_WORDS = Set.of("minLength", "maxLength");
  private static final Set<String> BOUND_WORDS =
      Set.of("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum");
  private static final List<String> TYPES =
      List.of("object", "array", "string", "integer", "number", "boolean", "null");

  // ------------------------------------------------------------------ the shape of the JSON

  private sealed interface Shape {}

  /** One of these JSON texts. */
  private record Literals(List<String> texts, String hint) implements Shape {}

  /** A string of {@code min} to {@code max} characters (null: no bound). */
  private record Text(int min, Integer max, String hint) implements Shape {}

  /** An integer from {@code low} to {@code high}. */
  private record Range(long low, long high, String hint) implements Shape {}

  private enum Simple implements Shape {
    INTEGER,
    NUMBER,
    BOOLEAN,
    NULL,
    ANY
  }

  /** These members in this order, the optional ones optional. */
  private record Members(List<Member> members, String hint) implements Shape {}

  private record Member(String name, Shape shape, boolean required) {}

  /** An object of any members whose values have this shape. */
  private record Dictionary(Shape value, String hint) implements Shape {}

  private record Items(Shape item, int min, Integer max, String hint) implements Shape {}

  private record Union(List<Shape> options, String hint) implements Shape {}

  private record Reference(String target) implements Shape {}

  private static final JsonGrammar ANY_OBJECT =
      new JsonGrammar(new Dictionary(Simple.ANY, "object"), Map.of());

  private final Shape root;
  private final Map<String, Shape> definitions;

  private JsonGrammar(Shape root, Map<String, Shape> definitions) {
    this.root = root;
    this.definitions = definitions;
  }

  /** Any JSON object. */
  static JsonGrammar anyObject() {
    return ANY_OBJECT;
  }

  /**
   * The JSON values that validate against this schema.
   *
   * @param schema a JSON Schema as JSON text
   * @param strict refuse keywords that cannot be enforced, rather than ignore them
   * @throws IllegalArgumentException starting with {@code response_format.schema:}, naming where in
   *     the schema and what is wrong, when the schema is not valid JSON, is malformed, cannot be
   *     satisfied, or (when strict) uses a keyword outside the subset
   */
  static JsonGrammar schema(String schema, boolean strict) {
    Object parsed;
    try {
      parsed = Json.parse(schema);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(FIELD + "not valid JSON: " + e.getMessage(), e);
    }
    Compiler compiler = new Compiler(parsed, strict);
    Shape root = compiler.shape(parsed, "#", "");
    compiler.definitions.put("#", root);
    return new JsonGrammar(root, Map.copyOf(compiler.definitions));
  }

  /** The grammar with no bounds beyond the schema's own. */
  String text() {
    return new Renderer(null).render();
  }

  /**
   * The grammar bounded so that no output is longer than {@code budget} bytes (UTF-8), when the
   * shortest possible output allows; unbounded for a recursive schema.
   */
  String text(int budget) {
    return new Renderer(size(budget)).render();
  }

  /**
   * The longest output, in bytes, of {@link #text(int)} for this budget; {@link Long#MAX_VALUE}
   * when unbounded.
   */
  long longest(int budget) {
    long longest = worst(root, size(budget), new HashSet<>());
    return longest >= UNBOUNDED ? Long.MAX_VALUE : longest;
  }

  /** The bounds for a budget: null when none are needed or the schema is recursive. */
  private Size size(int budget) {
    if (worst(root, null, new HashSet<>()) <= budget
        || worst(root, Size.of(0, 0), new HashSet<>()) >= UNBOUNDED) {
      return null;
    }
    for (int nesting = MAX_NESTING; nesting >= 0; nesting--) {
      int low = -1; // the largest string size known to fit
      int high = MAX_STRING_BYTES + 1; // the smallest known not to
      while (high - low > 1) {
        int middle = (low + high) >>> 1;
        if (worst(root, Size.of(middle, nesting), new HashSet<>()) <= budget) {
          low = middle;
        } else {
          high = middle;
        }
      }
      if (low >= 64 || nesting == 0) { // deeper nesting only while strings and counts stay useful
        return Size.of(Math.max(low, 0), nesting);
      }
    }
    throw new AssertionError("unreachable");
  }

  /**
   * Bounds on what a schema leaves open: an open string takes at most {@code stringBytes} bytes
   * with its quotes, an open array or object at most {@code count} items or members, and values of
   * any type nest at most {@code nesting} deep.
   */
  private record Size(int stringBytes, int count, int nesting) {
    static Size of(int stringBytes, int nesting) {
      return new Size(stringBytes, Math.min(MAX_REPEAT, stringBytes / 16), nesting);
    }

    /** The most bytes an open string's characters may take, between its quotes. */
    int contentBytes(int minLength) {
      return Math.max(0, stringBytes - 2 - 4 * minLength);
    }

    /**
     * A length or count bounded by the schema to {@code max} (null: not), bounded further to this
     * size.
     */
    int bound(int min, Integer max, int open) {
      int bounded = Math.max(min, open);
      return max == null ? bounded : Math.min(max, bounded);
    }
  }

  /** The longest output in bytes; {@link #UNBOUNDED} or more when there is no bound. */
  private long worst(Shape shape, Size size, Set<String> visiting) {
    if (shape instanceof Literals literals) {
      return literals.texts().stream().mapToLong(JsonGrammar::bytes).max().orElse(0);
    } else if (shape instanceof Text text) {
      if (size == null) {
        return text.max() == null
            ? UNBOUNDED
            : 2 + 6L * text.max(); // \\uXXXX is the longest character
      }
      if (text.max() != null) {
        return 2 + 4L * size.bound(text.min(), text.max(), size.contentBytes(0) / 4);
      }
      return 2 + 4L * text.min() + size.contentBytes(text.min());
    } else if (shape instanceof Range range) {
      return Math.max(Long.toString(range.low()).length(), Long.toString(range.high()).length());
    } else if (shape instanceof Simple simple) {
      return switch (simple) {
        case INTEGER -> 17;
        case NUMBER -> 38;
        case BOOLEAN -> 5;
        case NULL -> 4;
        case ANY -> size == null ? UNBOUNDED : any(size.nesting(), size);
      };
    } else if (shape instanceof Members members) {
      long sum = 3;
      for (Member member : members.members()) {
        sum =
            add(sum, bytes(Json.quote(member.name())) + 4 + worst(member.shape(), size, visiting));
      }
      return add(sum, 2L * Math.max(0, members.members().size() - 1));
    } else if (shape instanceof Dictionary dictionary) {
      return size == null
          ? UNBOUNDED
          : container(
              size.count(),
              Math.max(2, size.stringBytes()) + 4 + worst(dictionary.value(), size, visiting));
    } else if (shape instanceof Items items) {
      Integer count =
          size == null ? items.max() : (Integer) size.bound(items.min(), items.max(), size.count());
      return count == null ? UNBOUNDED : container(count, worst(items.item(), size, visiting) + 1);
    } else if (shape instanceof Union union) {
      return union.options().stream()
          .mapToLong(option -> worst(option, size, visiting))
          .max()
          .orElse(0);
    }
    String target = ((Reference) shape).target();
    if (!visiting.add(target)) {
      return UNBOUNDED;
    }
    long longest = worst(definitions.get(target), size, visiting);
    visiting.remove(target);
    return longest;
  }

  /** A value of any type nested at most {@code nesting} deep. */
  private static long any(int nesting, Size size) {
    long scalar = Math.max(Math.max(2, size.stringBytes()), 38);
    if (nesting == 0) {
      return scalar;
    }
    long inner = any(nesting - 1, size);
    long object = container(size.count(), Math.max(2, size.stringBytes()) + 4 + inner);
    long array = container(size.count(), inner + 1);
    return Math.max(scalar, Math.max(object, array));
  }

  /**
   * Brackets, a first space, {@code count} entries of {@code each} bytes, and a comma and space
   * between.
   */
  private static long container(int count, long each) {
    if (count == 0) {
      return 3;
    }
    return add(add(3, multiply(count, each)), 2L * (count - 1));
  }

  private static long add(long a, long b) {
    return Math.min(UNBOUNDED, a + b);
  }

  private static long multiply(long a, long b) {
    return b >= UNBOUNDED / Math.max(1, a) ? UNBOUNDED : a * b;
  }

  private static long bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8).length;
  }

  // ------------------------------------------------------------------ schema to shape

  private static final class Compiler {
    private final Object root;
    private final boolean strict;
    private final Map<String, Shape> definitions = new HashMap<>();

    Compiler(Object root, boolean strict) {
      this.root = root;
      this.strict = strict;
    }

    Shape shape(Object schema, String path, String hint) {
      if (schema instanceof Boolean allowed) {
        if (!allowed) {
          throw invalid(path, "the schema false allows no value");
        }
        return Simple.ANY;
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
      String union =
          node.containsKey("anyOf") ? "anyOf" : node.containsKey("oneOf") ? "oneOf" : null;
      if (union != null) {
        unsupportedBeside(node, path, union);
        if (!(node.get(union) instanceof List<?> options) || options.isEmpty()) {
          throw invalid(path, union + " must be a non-empty array of schemas");
        }
        List<Shape> shapes = new ArrayList<>();
        for (int i = 0; i < options.size(); i++) {
          shapes.add(shape(options.get(i), path + "/" + union + "/" + i, hint + "-" + i));
        }
        return new Union(shapes, hint);
      }
      if (types.isEmpty()) {
        types = impliedTypes(node);
      }
      if (types.isEmpty()) {
        return Simple.ANY;
      }
      if (types.size() == 1) {
        return typed(node, types.get(0), path, hint);
      }
      List<Shape> shapes = new ArrayList<>();
      for (String type : types) {
        shapes.add(typed(node, type, path, hint + "-" + type));
      }
      return new Union(shapes, hint);
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
          throw invalid(
              path, "type must be one of " + TYPES + " or a list of them, got " + Json.write(type));
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

    /** Without a type, the types its keywords are about; any value satisfies the others. */
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

    private Shape typed(Map<String, Object> node, String type, String path, String hint) {
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
              unsupported(
                  path, "'" + bound + "' on a number (only an integer's bounds are enforced)");
            }
          }
          return Simple.NUMBER;
        case "boolean":
          return Simple.BOOLEAN;
        default:
          return Simple.NULL;
      }
    }

    private Shape object(Map<String, Object> node, String path, String hint) {
      Object declared = node.getOrDefault("properties", Map.of());
      if (!(declared instanceof Map<?, ?> properties)) {
        throw invalid(path, "properties must be an object, got " + Json.typeOf(declared));
      }
      Object additional = node.getOrDefault("additionalProperties", Boolean.TRUE);
      if (!(additional instanceof Boolean) && !(additional instanceof Map)) {
        throw invalid(
            path,
            "additionalProperties must be a schema (an object or a boolean), got "
                + Json.typeOf(additional));
      }
      List<String> required = new ArrayList<>();
      Object listed = node.getOrDefault("required", List.of());
      if (!(listed instanceof List<?> names)) {
        throw invalid(
            path, "required must be an array of property names, got " + Json.typeOf(listed));
      }
      for (Object name : names) {
        if (!(name instanceof String s)) {
          throw invalid(
              path, "required must list property names (strings), got " + Json.write(name));
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
            throw invalid(
                path,
                "requires '"
                    + name
                    + "', which is not a property, and additionalProperties is false");
          }
          members.put(name, additional);
        }
      }
      if (members.isEmpty()) {
        if (Boolean.FALSE.equals(additional)) {
          return new Members(List.of(), hint);
        }
        return new Dictionary(
            shape(additional, path + "/additionalProperties", hint + "-value"), hint);
      }
      List<Member> shapes = new ArrayList<>();
      members.forEach(
          (name, schema) ->
              shapes.add(
                  new Member(
                      name,
                      shape(schema, path + "/properties/" + pointer(name), hint + "-" + name),
                      required.contains(name))));
      return new Members(shapes, hint);
    }

    private Shape array(Map<String, Object> node, String path, String hint) {
      Object items = node.getOrDefault("items", Boolean.TRUE);
      if (items instanceof List) {
        unsupported(path, "items as an array (a tuple)");
        items = Boolean.TRUE;
      }
      int min = count(node, "minItems", path);
      Integer max = node.containsKey("maxItems") ? count(node, "maxItems", path) : null;
      if (max != null && max < min) {
        throw invalid(
            path, "maxItems " + max + " is below minItems " + min + ", so no array is allowed");
      }
      return new Items(shape(items, path + "/items", hint + "-item"), min, max, hint);
    }

    private Shape string(Map<String, Object> node, String path, String hint) {
      int min = count(node, "minLength", path);
      Integer max = node.containsKey("maxLength") ? count(node, "maxLength", path) : null;
      if (max != null && max < min) {
        throw invalid(
            path, "maxLength " + max + " is below minLength " + min + ", so no string is allowed");
      }
      return new Text(min, max, hint);
    }

    private Shape integer(Map<String, Object> node, String path, String hint) {
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
          case "exclusiveMinimum" ->
              low = max(low, v.setScale(0, RoundingMode.FLOOR).add(BigDecimal.ONE));
          case "maximum" -> high = min(high, v.setScale(0, RoundingMode.FLOOR));
          default -> high = min(high, v.setScale(0, RoundingMode.CEILING).subtract(BigDecimal.ONE));
        }
      }
      if (low == null && high == null) {
        return Simple.INTEGER;
      }
      if (low != null && high != null && low.compareTo(high) > 0) {
        throw invalid(path, "no integer lies within the bounds");
      }
      BigDecimal limit = BigDecimal.valueOf(LONGEST);
      BigDecimal usual = BigDecimal.valueOf(USUAL);
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
      return new Range(
          low.max(limit.negate()).longValueExact(), high.min(limit).longValueExact(), hint);
    }

    private Shape literals(Map<String, Object> node, List<String> types, String path, String hint) {
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
        if (OBJECT_WORDS.contains(keyword)
            || ARRAY_WORDS.contains(keyword)
            || STRING_WORDS.contains(keyword)
            || BOUND_WORDS.contains(keyword)
            || keyword.equals("anyOf")) {
          unsupported(path, "'" + keyword + "' beside enum or const");
        }
      }
      List<String> texts = new ArrayList<>();
      for (Object value : values) {
        String text = Json.write(value);
        if ((types.isEmpty() || types.stream().anyMatch(type -> isOfType(value, type)))
            && !texts.contains(text)) {
          texts.add(text);
        }
      }
      if (texts.isEmpty()) {
        throw invalid(path, "no enum or const value is of the type " + types);
      }
      return new Literals(texts, hint);
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

    private Shape reference(Object target, String path) {
      if (!(target instanceof String ref)) {
        throw invalid(path, "$ref must be a string");
      }
      if (ref.equals("#") || definitions.containsKey(ref)) {
        return new Reference(ref);
      }
      String[] parts = ref.split("/", -1);
      if (parts.length != 3
          || !parts[0].equals("#")
          || !(parts[1].equals("$defs") || parts[1].equals("definitions"))) {
        throw invalid(
            path,
            "$ref '" + ref + "' is not supported; only #, #/$defs/NAME and #/definitions/NAME are");
      }
      String name = parts[2].replace("~1", "/").replace("~0", "~");
      Object found = root instanceof Map<?, ?> map ? map.get(parts[1]) : null;
      if (!(found instanceof Map<?, ?> defs) || !defs.containsKey(name)) {
        throw invalid(path, "$ref '" + ref + "' points at nothing");
      }
      definitions.put(ref, Simple.NULL); // a placeholder: a recursive reference finds the name
      definitions.put(ref, shape(defs.get(name), ref, "def-" + name));
      return new Reference(ref);
    }

    private int count(Map<String, Object> node, String keyword, String path) {
      Object value = node.get(keyword);
      if (value == null) {
        return 0;
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

    private void unsupportedBeside(Map<String, Object> node, String path, String keyword) {
      for (String other : node.keySet()) {
        if (!other.equals(keyword)
            && (other.equals("type")
                || other.equals("enum")
                || other.equals("const")
                || other.equals("anyOf")
                || OBJECT_WORDS.contains(other)
                || ARRAY_WORDS.contains(other)
                || STRING_WORDS.contains(other)
                || BOUND_WORDS.contains(other))) {
          unsupported(path, "'" + other + "' beside " + keyword);
        }
      }
    }

    private void unsupported(String path, String what) {
      if (strict) {
        throw new IllegalArgumentException(
            FIELD
                + "at "
                + path
                + ": "
                + what
                + " cannot be enforced by "
                + LocalProvider.NAME
                + "; remove it, or set strict to false to have it ignored");
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

  // ------------------------------------------------------------------ shape to GBNF

  /** Writes the grammar, unbounded ({@code size} null) or within a size. */
  private final class Renderer {
    private final Size size;
    private final Map<String, String> rules = new LinkedHashMap<>();
    private final Map<String, String> names = new HashMap<>(); // body -> rule name
    private final Map<String, String> references = new HashMap<>(); // $ref -> rule name

    Renderer(Size size) {
      this.size = size;
    }

    String render() {
      rules.put("root", ""); // first in the text; recursion through "#" finds it
      references.put("#", "root");
      rules.put("root", expression(root));
      StringBuilder out = new StringBuilder();
      rules.forEach((name, body) -> out.append(name).append(" ::= ").append(body).append('\n'));
      return out.toString();
    }

    private String expression(Shape shape) {
      if (shape instanceof Literals literals) {
        StringJoiner alternatives = new StringJoiner(" | ");
        literals.texts().forEach(text -> alternatives.add(literal(text)));
        return rule(literals.hint(), alternatives.toString());
      } else if (shape instanceof Text text) {
        return text(text);
      } else if (shape instanceof Range range) {
        return rule(range.hint(), integerRange(range.low(), range.high()));
      } else if (shape instanceof Simple simple) {
        return switch (simple) {
          case INTEGER -> use("integer");
          case NUMBER -> use("number");
          case BOOLEAN -> use("boolean");
          case NULL -> use("null");
          case ANY -> size == null ? use("value") : any(size.nesting());
        };
      } else if (shape instanceof Members members) {
        return members(members);
      } else if (shape instanceof Dictionary dictionary) {
        String value = expression(dictionary.value());
        String member = use("string") + " space \":\" space " + value + " space";
        return rule(
            dictionary.hint(), container("{", "}", member, 0, size == null ? null : size.count()));
      } else if (shape instanceof Items items) {
        String item = expression(items.item()) + " space";
        Integer max =
            size == null
                ? items.max()
                : (Integer) size.bound(items.min(), items.max(), size.count());
        return rule(items.hint(), container("[", "]", item, items.min(), max));
      } else if (shape instanceof Union union) {
        StringJoiner alternatives = new StringJoiner(" | ");
        union.options().forEach(option -> alternatives.add(expression(option)));
        return rule(union.hint(), alternatives.toString());
      }
      return reference(((Reference) shape).target());
    }

    /**
     * Brackets around {@code min} to {@code max} (null: any number of) entries, a comma and space
     * between.
     */
    private String container(String open, String close, String entry, int min, Integer max) {
      use("space");
      String start = literal(open) + " space ";
      if (max != null && max == 0) {
        return start + literal(close);
      }
      String more =
          max != null && max == 1
              ? ""
              : " (\",\" space "
                  + entry
                  + ")"
                  + repeat(Math.max(min - 1, 0), max == null ? null : max - 1);
      return start + (min == 0 ? "(" + entry + more + ")?" : entry + more) + " " + literal(close);
    }

    private String text(Text text) {
      if (text.max() != null) {
        int max =
            size == null
                ? text.max()
                : size.bound(text.min(), text.max(), size.contentBytes(0) / 4);
        if (max == 0) {
          return rule(text.hint(), "\"\\\"\\\"\"");
        }
        use("char");
        return rule(text.hint(), "\"\\\"\" char" + repeat(text.min(), max) + " \"\\\"\"");
      }
      if (text.min() == 0) {
        return use("string");
      }
      use("char");
      if (size == null) {
        return rule(text.hint(), "\"\\\"\" char" + repeat(text.min(), null) + " \"\\\"\"");
      }
      return rule(
          text.hint(),
          "\"\\\"\" char"
              + repeat(text.min(), text.min())
              + " "
              + closedWithin(size.contentBytes(text.min())));
    }

    /**
     * Rules {@code rest-0} to {@code rest-N}: at most N more bytes of string characters, then the
     * closing quote; each character counted by its length in UTF-8 (an escape by its two).
     */
    private String closedWithin(int bytes) {
      for (int k = 0; k <= bytes; k++) {
        String name = "rest-" + k;
        if (rules.containsKey(name)) {
          continue;
        }
        StringJoiner alternatives = new StringJoiner(" | ");
        alternatives.add("\"\\\"\"");
        if (k >= 1) {
          alternatives.add("[\\x20-\\x21\\x23-\\x5B\\x5D-\\x7E] rest-" + (k - 1));
        }
        if (k >= 2) {
          alternatives.add("([\\\\] [\"\\\\/bfnrt] | [\\u0080-\\u07FF]) rest-" + (k - 2));
        }
        if (k >= 3) {
          alternatives.add("[\\u0800-\\uFFFF] rest-" + (k - 3));
        }
        if (k >= 4) {
          alternatives.add("[\\U00010000-\\U0010FFFF] rest-" + (k - 4));
        }
        rules.put(name, alternatives.toString());
      }
      return "rest-" + bytes;
    }

    /** Values of any type nested at most {@code nesting} deep, within the size. */
    private String any(int nesting) {
      String name = "any-" + nesting;
      if (rules.containsKey(name)) {
        return name;
      }
      rules.put(name, "");
      String scalar =
          use("string") + " | " + use("number") + " | " + use("boolean") + " | " + use("null");
      if (nesting == 0) {
        rules.put(name, scalar);
        return name;
      }
      String inner = any(nesting - 1);
      String member = use("string") + " space \":\" space " + inner + " space";
      rules.put(
          name,
          scalar
              + " | "
              + container("{", "}", member, 0, size.count())
              + " | "
              + container("[", "]", inner + " space", 0, size.count()));
      return name;
    }

    /**
     * The members in order, the optional ones optional, with commas only between present ones: rule
     * {@code from-i} holds members i.. when none came before, {@code after-i} when one did.
     */
    private String members(Members object) {
      List<String> pairs = new ArrayList<>();
      List<Boolean> needed = new ArrayList<>();
      use("space");
      for (Member member : object.members()) {
        String value = expression(member.shape());
        pairs.add(
            rule(
                object.hint() + "-" + member.name() + "-kv",
                literal(Json.quote(member.name())) + " space \":\" space " + value + " space"));
        needed.add(member.required());
      }
      String body;
      if (pairs.isEmpty()) {
        body = "";
      } else if (!needed.contains(false)) {
        body = String.join(" \",\" space ", pairs) + " ";
      } else {
        String first = "";
        String rest = "";
        for (int i = pairs.size() - 1; i >= 0; i--) {
          String then = rest.isEmpty() ? pairs.get(i) : pairs.get(i) + " " + rest;
          String comma = "\",\" space " + then;
          String newFirst;
          String newRest;
          if (needed.get(i)) {
            newFirst = then;
            newRest = comma;
          } else {
            newFirst =
                first.isEmpty()
                    ? "(" + then + ")?"
                    : "(" + then + " | " + first + ")"; // first may be empty
            newRest = rest.isEmpty() ? "(" + comma + ")?" : "(" + comma + " | " + rest + ")";
          }
          first = rule(object.hint() + "-from-" + i, newFirst);
          rest = rule(object.hint() + "-after-" + i, newRest);
        }
        body = first + " ";
      }
      return rule(object.hint(), "\"{\" space " + body + "\"}\"");
    }

    private String reference(String target) {
      String known = references.get(target);
      if (known != null) {
        return known;
      }
      String name =
          unique(
              target.substring(target.lastIndexOf('/') + 1).isEmpty()
                  ? "def"
                  : "def-" + target.substring(target.lastIndexOf('/') + 1));
      references.put(target, name);
      rules.put(name, ""); // reserved: a recursive reference finds the name
      rules.put(name, expression(definitions.get(target)));
      return name;
    }

    /** Adds a primitive rule and what it needs; returns its name. */
    private String use(String primitive) {
      if (rules.containsKey(primitive)) {
        return primitive;
      }
      String body =
          switch (primitive) {
            case "space" -> "\" \"?";
            case "char" ->
                size == null
                    ? "[^\"\\\\\\x7F\\x00-\\x1F] | [\\\\] ([\"\\\\/bfnrt] | \"u\" [0-9a-fA-F]{4})"
                    : "[^\"\\\\\\x7F\\x00-\\x1F] | [\\\\] [\"\\\\/bfnrt]"; // sized: no \\uXXXX, so
            // 4 bytes at most
            case "string" ->
                size == null
                    ? "\"\\\"\" char* \"\\\"\""
                    : "\"\\\"\" " + closedWithin(size.contentBytes(0));
            case "integer" -> "\"-\"? (\"0\" | [1-9] [0-9]{0,15})";
            case "number" ->
                "\"-\"? (\"0\" | [1-9] [0-9]{0,15}) (\".\" [0-9]{1,16})? ([eE] [-+]? [0-9]{1,2})?";
            case "boolean" -> "\"true\" | \"false\"";
            case "null" -> "\"null\"";
            case "value" -> "object | array | string | number | boolean | null";
            case "object" -> "\"{\" space (member (\",\" space member)*)? \"}\"";
            case "member" -> "string space \":\" space value space";
            case "array" -> "\"[\" space (value space (\",\" space value space)*)? \"]\"";
            default -> throw new IllegalArgumentException(primitive);
          };
      rules.put(primitive, body);
      switch (primitive) {
        case "string" -> {
          if (size == null) {
            use("char");
          }
        }
        case "value" ->
            List.of("object", "array", "string", "number", "boolean", "null").forEach(this::use);
        case "object" -> List.of("space", "member").forEach(this::use);
        case "member" -> List.of("string", "space", "value").forEach(this::use);
        case "array" -> List.of("space", "value").forEach(this::use);
        default -> {}
      }
      return primitive;
    }

    /** A named rule for this body (the same body reuses one rule); returns its name. */
    private String rule(String hint, String body) {
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
      String base =
          hint.replaceAll("[^a-zA-Z0-9]+", "-").replaceAll("^-+|-+$", "").toLowerCase(Locale.ROOT);
      if (base.isEmpty()) {
        base = "top";
      }
      if (base.length() > 48) {
        base = base.substring(0, 48);
      }
      String name = base;
      for (int i = 2; rules.containsKey(name) || isReserved(name); i++) {
        name = base + "-" + i;
      }
      return name;
    }

    private boolean isReserved(String name) {
      return List.of(
                  "space", "char", "string", "integer", "number", "boolean", "null", "value",
                  "object", "member", "array")
              .contains(name)
          || name.matches("(rest|any)-[0-9]+");
    }
  }

  /**
   * {@code {min,max}} in GBNF: {@code *}, {@code +}, {@code {m}}, {@code {m,}} or {@code {m,n}}.
   */
  private static String repeat(int min, Integer max) {
    if (max == null) {
      return min == 0 ? "*" : min == 1 ? "+" : "{" + min + ",}";
    }
    return min == max ? "{" + min + "}" : "{" + min + "," + max + "}";
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

  /**
   * The integers from {@code low} to {@code high}, at most 18 digits each, without a leading zero
   * or "-0".
   */
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
      alternatives.add(
          sameLength(Long.toString(Math.max(low, first)), Long.toString(Math.min(high, last))));
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
      parts.add(
          (from == middleTo ? "\"" + from + "\"" : "[" + from + "-" + middleTo + "]")
              + " [0-9]"
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
}
