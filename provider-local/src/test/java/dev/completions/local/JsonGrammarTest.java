package dev.completions.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The grammars made from schemas, checked with the tests' own GBNF interpreter against texts whose
 * validity the tests' own JSON Schema checker decides; no native code.
 */
class JsonGrammarTest {

  static final String PERSON =
      """
      {"type": "object",
       "properties": {
         "name": {"type": "string"},
         "age": {"type": "integer", "minimum": 1, "maximum": 120},
         "color": {"enum": ["red", "green", "blue"]}},
       "required": ["name", "age", "color"],
       "additionalProperties": false}""";

  private static Gbnf grammar(String schema) {
    return new Gbnf(JsonGrammar.schema(schema, true).text());
  }

  /**
   * Asserts the grammar accepts exactly the texts listed as accepted, and that each accepted one
   * validates.
   */
  private static void check(String schema, List<String> accepted, List<String> rejected) {
    Gbnf grammar = grammar(schema);
    for (String text : accepted) {
      assertThat(TinyJson.violation(schema, text))
          .as("the test's own expectation for %s", text)
          .isNull();
      assertThat(grammar.accepts(text)).as("accepts %s", text).isTrue();
    }
    for (String text : rejected) {
      assertThat(grammar.accepts(text)).as("rejects %s", text).isFalse();
    }
  }

  @Test
  void integerRangesMatchExactlyTheirIntegers() {
    List<long[]> ranges =
        new ArrayList<>(
            List.of(
                new long[] {1, 120},
                new long[] {0, 0},
                new long[] {-5, 5},
                new long[] {-120, -3},
                new long[] {7, 7},
                new long[] {10, 99},
                new long[] {100, 999},
                new long[] {99, 101},
                new long[] {-1000, 1000},
                new long[] {0, 9},
                new long[] {1, 1000},
                new long[] {23, 4567},
                new long[] {-999, -100},
                new long[] {-1, 0},
                new long[] {190, 210},
                new long[] {1001, 1999}));
    Random random = new Random(14);
    for (int i = 0; i < 16; i++) {
      long a = random.nextInt(4001) - 2000;
      long b = random.nextInt(4001) - 2000;
      ranges.add(new long[] {Math.min(a, b), Math.max(a, b)});
    }
    for (long[] range : ranges) {
      String gbnf = JsonGrammar.integerRange(range[0], range[1]);
      // these rules use only literals of digits or "-", classes, groups, | and {n}: a Java regex
      // says the same
      Pattern grammar = Pattern.compile(gbnf.replace(" ", "").replaceAll("\"([-0-9]*)\"", "$1"));
      for (long n = -2200; n <= 2200; n++) {
        boolean inside = n >= range[0] && n <= range[1];
        assertThat(grammar.matcher(Long.toString(n)).matches())
            .as("%d in [%d, %d]: %s", n, range[0], range[1], gbnf)
            .isEqualTo(inside);
      }
      assertThat(grammar.matcher("-0").matches()).isFalse();
      assertThat(grammar.matcher("01").matches()).isFalse();
      assertThat(new Gbnf("root ::= " + gbnf + "\n").accepts(Long.toString(range[0]))).isTrue();
    }
  }

  @Test
  void integerBoundsCanBeLongOrOneSided() {
    Gbnf big =
        new Gbnf(
            "root ::= "
                + JsonGrammar.integerRange(1_000_000_000_000L, 999_999_999_999_999_999L)
                + "\n");
    assertThat(big.accepts("1000000000000")).isTrue();
    assertThat(big.accepts("999999999999999999")).isTrue();
    assertThat(big.accepts("999999999999")).isFalse();
    assertThat(big.accepts("1000000000000000000")).isFalse();

    check(
        "{\"type\": \"integer\", \"minimum\": 5}",
        List.of("5", "6", "1234567890123456"),
        List.of("4", "0", "-7"));
    check(
        "{\"type\": \"integer\", \"exclusiveMaximum\": 0}",
        List.of("-1", "-9999"),
        List.of("0", "1"));
    check(
        "{\"type\": \"integer\", \"exclusiveMinimum\": 2.5, \"maximum\": 4.9}",
        List.of("3", "4"),
        List.of("2", "5", "3.5"));
  }

  @Test
  void aPersonHasItsRequiredMembersInOrderWithBoundedAgeAndAnEnumColor() {
    check(
        PERSON,
        List.of(
            "{\"name\":\"Ann\",\"age\":7,\"color\":\"red\"}",
            "{ \"name\" : \"A \\\"quoted\\\" \\u00e9 name\" , \"age\" : 120 , \"color\" : \"blue\" }",
            "{\"name\":\"\",\"age\":1,\"color\":\"green\"}"),
        List.of(
            "{\"name\":\"Ann\",\"age\":0,\"color\":\"red\"}",
            "{\"name\":\"Ann\",\"age\":121,\"color\":\"red\"}",
            "{\"name\":\"Ann\",\"age\":7,\"color\":\"pink\"}",
            "{\"name\":\"Ann\",\"age\":7}",
            "{\"name\":\"Ann\",\"age\":7,\"color\":\"red\",\"more\":1}",
            "{\"name\":\"Ann\",\"age\":7.5,\"color\":\"red\"}",
            "{\"name\":\"Ann\",\"age\":\"7\",\"color\":\"red\"}",
            "{\"name\":\"Ann\",\"age\":07,\"color\":\"red\"}",
            "{\"name\":\"A\nB\",\"age\":7,\"color\":\"red\"}",
            "{\"name\":\"Ann\",\"age\":7,\"color\":\"red\"} ",
            "{\"name\":\"Ann\",\"age\":7,\"color\":\"red\",}"));
  }

  @Test
  void optionalPropertiesMayBeLeftOutWithCommasOnlyBetweenMembers() {
    String schema =
        """
        {"type": "object", "required": ["b"], "properties": {
          "a": {"type": "boolean"}, "b": {"type": "null"}, "c": {"type": "number"}, "d": {"type": "string"}}}""";
    List<String> accepted = new ArrayList<>();
    for (int mask = 0; mask < 8; mask++) {
      List<String> members = new ArrayList<>();
      if ((mask & 1) != 0) {
        members.add("\"a\":true");
      }
      members.add("\"b\":null");
      if ((mask & 2) != 0) {
        members.add("\"c\":-1.5e3");
      }
      if ((mask & 4) != 0) {
        members.add("\"d\":\"x\"");
      }
      accepted.add("{" + String.join(",", members) + "}");
    }
    check(
        schema,
        accepted,
        List.of(
            "{}",
            "{\"a\":true}",
            "{,\"b\":null}",
            "{\"b\":null,}",
            "{\"a\":true,,\"b\":null}",
            "{\"a\":true,\"c\":1}",
            "{\"b\":null,\"a\":true}"));

    check(
        "{\"type\": \"object\", \"properties\": {\"x\": {\"type\": \"integer\"}, \"y\": {\"type\": \"integer\"}}}",
        List.of("{}", "{\"x\":1}", "{\"y\":2}", "{\"x\":1,\"y\":2}"),
        List.of("{,}", "{\"x\":1,}", "{\"y\":2,\"x\":1}"));
  }

  @Test
  void arraysHonourTheirItemsAndCounts() {
    check(
        "{\"type\": \"array\", \"items\": {\"type\": \"integer\"}, \"minItems\": 1, \"maxItems\": 3}",
        List.of("[1]", "[1,2,3]", "[ 1 , 2 ]"),
        List.of("[]", "[1,2,3,4]", "[\"a\"]", "[1,]"));
    check(
        "{\"type\": \"array\", \"items\": {\"type\": \"boolean\"}, \"maxItems\": 1}",
        List.of("[]", "[true]"),
        List.of("[true,false]"));
    check("{\"type\": \"array\", \"maxItems\": 0}", List.of("[]", "[ ]"), List.of("[1]"));
    check(
        "{\"type\": \"array\", \"items\": {\"type\": \"string\"}, \"minItems\": 2}",
        List.of("[\"a\",\"b\"]", "[\"a\",\"b\",\"c\",\"d\"]"),
        List.of("[\"a\"]", "[]"));
    check(
        "{\"type\": \"array\"}",
        List.of("[]", "[1,\"a\",null,{\"k\":[true]}]"),
        List.of("[1 2]", "{}"));
  }

  @Test
  void stringsHonourTheirLengthsCountingAnEscapeAsOneCharacter() {
    check(
        "{\"type\": \"string\", \"minLength\": 2, \"maxLength\": 3}",
        List.of("\"ab\"", "\"abc\"", "\"a\\n\"", "\"\\u00e9\\\"x\""),
        List.of("\"a\"", "\"abcd\"", "ab"));
    check("{\"type\": \"string\", \"maxLength\": 0}", List.of("\"\""), List.of("\"a\""));
  }

  @Test
  void typeListsAnyOfConstAndReferencesIncludingRecursion() {
    check(
        "{\"type\": [\"integer\", \"null\"], \"maximum\": 3}",
        List.of("3", "-2", "null"),
        List.of("4", "\"x\""));
    check(
        "{\"anyOf\": [{\"type\": \"string\", \"maxLength\": 1}, {\"type\": \"null\"}]}",
        List.of("\"a\"", "null"),
        List.of("\"ab\"", "1"));
    check(
        "{\"const\": {\"k\": [1, \"two\"]}}",
        List.of("{\"k\":[1,\"two\"]}"),
        List.of("{\"k\":[1]}"));
    check(
        "{\"type\": \"integer\", \"enum\": [1, \"1\", 2.5, 3]}",
        List.of("1", "3"),
        List.of("\"1\"", "2.5", "2"));
    String tree =
        """
        {"$ref": "#/$defs/node",
         "$defs": {"node": {"type": "object", "required": ["value", "children"], "properties": {
           "value": {"type": "integer", "minimum": 0, "maximum": 9},
           "children": {"type": "array", "items": {"$ref": "#/$defs/node"}, "maxItems": 2}}}}}""";
    check(
        tree,
        List.of(
            "{\"value\":1,\"children\":[]}",
            "{\"value\":1,\"children\":[{\"value\":2,\"children\":[{\"value\":3,\"children\":[]}]}]}"),
        List.of(
            "{\"value\":1}",
            "{\"value\":10,\"children\":[]}",
            "{\"value\":1,\"children\":[{\"value\":2}]}"));
    check(
        "{\"type\": \"object\", \"required\": [\"next\"], \"properties\": {\"next\": {\"anyOf\": [{\"$ref\": \"#\"},"
            + " {\"type\": \"null\"}]}}}",
        List.of("{\"next\":null}", "{\"next\":{\"next\":null}}"),
        List.of("{}"));
  }

  @Test
  void objectsWithoutPropertiesTakeAnyMembersOfTheirAdditionalSchema() {
    check(
        "{\"type\": \"object\", \"additionalProperties\": {\"type\": \"integer\"}}",
        List.of("{}", "{\"a\":1,\"b\":2}"),
        List.of("{\"a\":\"x\"}"));
    check(
        "{\"type\": \"object\", \"additionalProperties\": false}",
        List.of("{}"),
        List.of("{\"a\":1}"));
    check(
        "{\"type\": \"object\", \"required\": [\"id\"]}",
        List.of("{\"id\":[1]}", "{\"id\":null}"),
        List.of("{}", "{\"other\":1}"));
    check("{}", List.of("1", "\"s\"", "{\"a\":{}}", "[]", "null"), List.of("", "nul"));
  }

  @Test
  void namesAndValuesWithQuotesBackslashesAndOtherScriptsAreWrittenExactly() {
    check(
        "{\"type\": \"object\", \"required\": [\"é \\\"q\\\" \\\\ 名\"], \"properties\": {\"é \\\"q\\\" \\\\ 名\":"
            + " {\"enum\": [\"a\\\"b\", \"tab\\there\", \"ü\"]}}}",
        List.of(
            "{\"é \\\"q\\\" \\\\ 名\":\"a\\\"b\"}",
            "{\"é \\\"q\\\" \\\\ 名\":\"tab\\there\"}",
            "{\"é \\\"q\\\" \\\\ 名\":\"ü\"}"),
        List.of("{\"é \\\"q\\\" \\\\ 名\":\"ab\"}"));
  }

  @Test
  void anyObjectIsAnyJsonObject() {
    Gbnf grammar = new Gbnf(JsonGrammar.anyObject().text());
    for (String text :
        List.of("{}", "{ }", "{\"a\":[1,2.5e-3,{\"b\":null}],\"c\":\"x\",\"d\":true}")) {
      assertThat(grammar.accepts(text)).as(text).isTrue();
    }
    for (String text : List.of("[]", "\"x\"", "{\"a\":1,}", "{a:1}", "{\"a\":01}", "{\"a\":1}x")) {
      assertThat(grammar.accepts(text)).as(text).isFalse();
    }
  }

  static final String STORY =
      """
      {"type": "object", "required": ["title", "tags", "rating", "pet"],
       "properties": {
         "title": {"type": "string", "minLength": 1, "maxLength": 40},
         "draft": {"type": "boolean"},
         "tags": {"type": "array", "items": {"enum": ["happy", "sad", "dog"]}, "minItems": 1, "maxItems": 3},
         "rating": {"type": "number"},
         "year": {"type": ["integer", "null"], "minimum": 1900, "maximum": 2100},
         "notes": {"type": "array", "items": {"type": "string"}},
         "extra": {},
         "pet": {"$ref": "#/$defs/pet"}},
       "$defs": {"pet": {"type": "object", "required": ["kind"], "properties": {
         "kind": {"const": "dog"}, "name": {"type": "string", "minLength": 2}, "age": {"type": "integer",
         "minimum": 0, "maximum": 30}}}}}""";

  @Test
  void aSizedGrammarsLongestOutputFitsItsBudgetAndEverySampleValidates() {
    Random random = new Random(14);
    for (String schema :
        List.of(
            PERSON,
            STORY,
            "{\"type\": \"array\", \"items\": {\"type\": \"string\"}}",
            "{\"type\": \"string\", \"maxLength\": 500}",
            "{}")) {
      JsonGrammar grammar = JsonGrammar.schema(schema, true);
      long smallest = grammar.longest(0);
      for (int budget : List.of(0, 30, 48, 49, 64, 255, 2047)) {
        Gbnf sized = new Gbnf(grammar.text(budget));
        long longest = sized.longest();

        assertThat(longest).as("%s within %d", schema, budget).isEqualTo(grammar.longest(budget));
        if (budget >= smallest) {
          assertThat(longest).as("%s within %d", schema, budget).isLessThanOrEqualTo(budget);
        }
        for (int i = 0; i < 25; i++) {
          String sample = sized.sample(random);
          assertThat(TinyJson.violation(schema, sample))
              .as("%s within %d: %s", schema, budget, sample)
              .isNull();
          assertThat(sized.accepts(sample)).isTrue();
        }
      }
    }
  }

  @Test
  void anyObjectSizedToABudgetStaysAnObjectAndNestsLessAsTheBudgetShrinks() {
    JsonGrammar object = JsonGrammar.anyObject();
    Random random = new Random(14);
    String nested = "{\"a\":{\"b\":1}}";
    for (int budget : List.of(3, 20, 100, 255, 2047, 8000)) {
      Gbnf sized = new Gbnf(object.text(budget));

      assertThat(sized.longest()).isLessThanOrEqualTo(budget);
      assertThat(sized.accepts("{}")).isTrue();
      for (int i = 0; i < 40; i++) {
        assertThat(TinyJson.parse(sized.sample(random))).isInstanceOf(java.util.Map.class);
      }
      assertThat(sized.accepts(nested)).as("nesting within %d", budget).isEqualTo(budget >= 8000);
    }
    assertThat(new Gbnf(object.text(8000)).accepts("{\"a\":[1,\"x\"],\"b\":{\"c\":true}}"))
        .isTrue();
  }

  @Test
  void aBoundedSchemaThatFitsIsNotChangedAndARecursiveOneCannotBeSized() {
    JsonGrammar flag =
        JsonGrammar.schema(
            "{\"type\": \"object\", \"properties\": {\"ok\": {\"type\": \"boolean\"}}}", true);
    assertThat(flag.text(100)).isEqualTo(flag.text());
    assertThat(flag.longest(100))
        .isEqualTo(new Gbnf(flag.text()).longest())
        .isEqualTo(16); // { "ok" : false }

    JsonGrammar list =
        JsonGrammar.schema(
            "{\"type\": \"object\", \"properties\": {\"next\": {\"$ref\": \"#\"}}}", true);
    assertThat(list.text(100)).isEqualTo(list.text());
    assertThat(list.longest(100)).isEqualTo(Long.MAX_VALUE);
  }

  @Test
  void strictRefusesWhatItCannotEnforceAndLaxIgnoresIt() {
    List<String> unenforceable =
        List.of(
            "{\"type\": \"string\", \"pattern\": \"^a+$\"}",
            "{\"type\": \"string\", \"format\": \"email\"}",
            "{\"oneOf\": [{\"type\": \"string\"}, {\"type\": \"integer\"}]}",
            "{\"allOf\": [{\"type\": \"string\"}]}",
            "{\"type\": \"number\", \"minimum\": 0}",
            "{\"type\": \"array\", \"uniqueItems\": true}",
            "{\"type\": \"array\", \"items\": [{\"type\": \"string\"}]}",
            "{\"type\": \"object\", \"properties\": {\"a\": {\"type\": \"integer\", \"multipleOf\": 2}}}",
            "{\"enum\": [\"a\", \"bb\"], \"maxLength\": 1}",
            "{\"$ref\": \"#/$defs/a\", \"type\": \"object\", \"$defs\": {\"a\": {}}}");
    for (String schema : unenforceable) {
      assertThatThrownBy(() -> JsonGrammar.schema(schema, true))
          .as(schema)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageStartingWith("response_format.schema: at #")
          .hasMessageContaining(
              "cannot be enforced by Local; remove it, or set strict to false to have it ignored");
      assertThat(new Gbnf(JsonGrammar.schema(schema, false).text())).as(schema).isNotNull();
    }
    Gbnf lax =
        new Gbnf(
            JsonGrammar.schema(
                    "{\"type\": \"string\", \"pattern\": \"^a+$\", \"maxLength\": 2}", false)
                .text());
    assertThat(lax.accepts("\"bc\"")).isTrue();
    assertThat(lax.accepts("\"abc\"")).isFalse();
    Gbnf oneOf =
        new Gbnf(
            JsonGrammar.schema(
                    "{\"oneOf\": [{\"type\": \"string\"}, {\"type\": \"integer\"}]}", false)
                .text());
    assertThat(List.of("\"s\"", "12", "null").stream().map(oneOf::accepts))
        .containsExactly(true, true, false);
    assertThatThrownBy(
            () ->
                JsonGrammar.schema(
                    "{\"properties\": {\"a\": {\"type\": \"string\", \"pattern\": \"x\"}}}", true))
        .hasMessageStartingWith(
            "response_format.schema: at #/properties/a: 'pattern' cannot be enforced");
  }

  @Test
  void annotationsAndUnknownKeywordsAreIgnored() {
    check(
        "{\"$schema\": \"https://json-schema.org/draft/2020-12/schema\", \"title\": \"T\", \"description\": \"d\","
            + " \"default\": 1, \"examples\": [2], \"x-vendor\": true, \"type\": \"integer\", \"maximum\": 2}",
        List.of("1", "2"),
        List.of("3"));
  }

  @Test
  void malformedOrUnsatisfiableSchemasAreRefusedSayingWhereAndWhy() {
    assertThatThrownBy(() -> JsonGrammar.schema("{\"type\": }", false))
        .hasMessageStartingWith(
            "response_format.schema: not valid JSON: unexpected character '}' at offset 9");
    assertThatThrownBy(() -> JsonGrammar.schema("{\"type\": \"a\", \"type\": \"b\"}", false))
        .hasMessageContaining("the member name \"type\" appears twice");
    List<String[]> cases =
        List.of(
            new String[] {"false", "at #: the schema false allows no value"},
            new String[] {
              "{\"type\": \"text\"}",
              "at #: type must be one of [object, array, string, integer, number,"
                  + " boolean, null] or a list of them, got \"text\""
            },
            new String[] {
              "{\"type\": \"string\", \"minLength\": 3, \"maxLength\": 2}",
              "at #: maxLength 2 is below minLength 3, so no string is allowed"
            },
            new String[] {
              "{\"type\": \"string\", \"maxLength\": -1}",
              "at #: maxLength must be a non-negative integer, got -1"
            },
            new String[] {
              "{\"properties\": {\"n\": {\"type\": \"integer\", \"minimum\": 5, \"maximum\": 4}}}",
              "at #/properties/n: no integer lies within the bounds"
            },
            new String[] {
              "{\"type\": \"object\", \"required\": [\"x\"], \"additionalProperties\": false}",
              "at #: requires 'x', which is not a property, and additionalProperties is false"
            },
            new String[] {"{\"enum\": []}", "at #: enum must be a non-empty array"},
            new String[] {
              "{\"type\": \"string\", \"enum\": [1, 2]}",
              "at #: no enum or const value is of the type [string]"
            },
            new String[] {
              "{\"$ref\": \"#/$defs/missing\"}", "at #: $ref '#/$defs/missing' points at nothing"
            },
            new String[] {
              "{\"$ref\": \"https://example.com/s.json\"}",
              "at #: $ref 'https://example.com/s.json' is not"
                  + " supported; only #, #/$defs/NAME and #/definitions/NAME are"
            },
            new String[] {
              "{\"items\": {\"minimum\": \"one\"}}",
              "at #/items: minimum must be a number, got a string"
            },
            new String[] {
              "{\"properties\": {\"a\": 1}}",
              "at #/properties/a: a schema must be an object or a boolean," + " got a number"
            });
    for (String[] c : cases) {
      assertThatThrownBy(() -> JsonGrammar.schema(c[0], false))
          .as(c[0])
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("response_format.schema: " + c[1]);
    }
  }
}
