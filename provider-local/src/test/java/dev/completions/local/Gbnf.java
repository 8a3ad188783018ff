package dev.completions.local;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * A small GBNF interpreter for the tests: reads one rule per line ({@code name ::= body}: literals,
 * character classes, rule names, groups, {@code |}, and {@code ? * + {m} {m,} {m,n}}) and says
 * whether a whole text matches {@code root}. It explores every way to match, so it is for short
 * texts; llama.cpp itself is exercised by the engine tests.
 */
final class Gbnf {

  private interface Node {}

  private record Literal(String text) implements Node {}

  private record CharClass(boolean negated, List<int[]> ranges) implements Node {}

  private record Ref(String name) implements Node {}

  private record Seq(List<Node> items) implements Node {}

  private record Alt(List<Node> options) implements Node {}

  private record Repeat(Node node, int min, int max) implements Node {} // max -1: unbounded

  private final Map<String, Node> rules = new java.util.LinkedHashMap<>();
  private final Map<String, Set<Integer>> memo = new HashMap<>();
  private String line;
  private int at;
  private String input;

  Gbnf(String grammar) {
    for (String text : grammar.split("\n")) {
      if (text.isBlank()) {
        continue;
      }
      int sep = text.indexOf(" ::= ");
      if (sep < 0) {
        throw new IllegalArgumentException("not a rule: " + text);
      }
      line = text;
      at = sep + 5;
      Node body = alt();
      skip();
      if (at != line.length()) {
        throw new IllegalArgumentException("unparsed rest at " + at + ": " + text);
      }
      if (rules.put(text.substring(0, sep), body) != null) {
        throw new IllegalArgumentException("rule defined twice: " + text);
      }
    }
    for (String name : rules.keySet()) {
      checkRefs(rules.get(name), name);
    }
  }

  private void checkRefs(Node node, String in) {
    if (node instanceof Ref ref && !rules.containsKey(ref.name())) {
      throw new IllegalArgumentException("rule " + in + " uses undefined " + ref.name());
    } else if (node instanceof Seq seq) {
      seq.items().forEach(n -> checkRefs(n, in));
    } else if (node instanceof Alt alt) {
      alt.options().forEach(n -> checkRefs(n, in));
    } else if (node instanceof Repeat repeat) {
      checkRefs(repeat.node(), in);
    }
  }

  /** Whether the whole text matches the rule {@code root}. */
  synchronized boolean accepts(String text) {
    input = text;
    memo.clear();
    return ends(new Ref("root"), 0).contains(text.length());
  }

  /**
   * The longest text the grammar accepts, in UTF-8 bytes; {@link Long#MAX_VALUE} when there is no
   * longest (an open repetition or a recursive rule).
   */
  long longest() {
    // rule by rule, each once what it uses is known (in the order written, a chain of rules takes
    // one
    // pass); what is never known uses itself: no longest
    Map<String, Long> known = new HashMap<>();
    for (boolean changed = true; changed; ) {
      changed = false;
      for (Map.Entry<String, Node> rule : rules.entrySet()) {
        if (!known.containsKey(rule.getKey())) {
          Long longest = longest(rule.getValue(), known);
          if (longest != null) {
            known.put(rule.getKey(), longest);
            changed = true;
          }
        }
      }
    }
    return known.getOrDefault("root", Long.MAX_VALUE);
  }

  /** The longest match of a node, or null when a rule it uses is not known yet. */
  private static Long longest(Node node, Map<String, Long> known) {
    if (node instanceof Literal literal) {
      return (long) literal.text().getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
    } else if (node instanceof CharClass cc) {
      return cc.negated()
          ? 4L
          : cc.ranges().stream()
              .mapToLong(
                  r ->
                      Character.toString(r[1])
                          .getBytes(java.nio.charset.StandardCharsets.UTF_8)
                          .length)
              .max()
              .orElse(0);
    } else if (node instanceof Ref ref) {
      return known.get(ref.name());
    } else if (node instanceof Seq seq) {
      long sum = 0;
      for (Node item : seq.items()) {
        Long one = longest(item, known);
        if (one == null) {
          return null;
        }
        sum = one == Long.MAX_VALUE ? Long.MAX_VALUE : Math.min(Long.MAX_VALUE, sum + one);
      }
      return sum;
    } else if (node instanceof Alt alt) {
      long most = 0;
      for (Node option : alt.options()) {
        Long one = longest(option, known);
        if (one == null) {
          return null;
        }
        most = Math.max(most, one);
      }
      return most;
    }
    Repeat repeat = (Repeat) node;
    Long one = longest(repeat.node(), known);
    if (one == null || one == 0) {
      return one;
    }
    return one == Long.MAX_VALUE || repeat.max() < 0 ? Long.MAX_VALUE : one * repeat.max();
  }

  /**
   * A random text the grammar accepts: random alternatives, counts and characters. Not for
   * recursive grammars.
   */
  String sample(java.util.Random random) {
    StringBuilder out = new StringBuilder();
    sample(new Ref("root"), random, out, 0);
    return out.toString();
  }

  private static final int[] PROBES = {
    ' ', 'a', 'Z', '~', '"', '\\', '\n', 0x7f, 0xe9, 0x540d, 0x1f600
  };

  private void sample(Node node, java.util.Random random, StringBuilder out, int depth) {
    if (depth > 4000) {
      throw new IllegalStateException("too deep: a recursive grammar?");
    }
    if (node instanceof Literal literal) {
      out.append(literal.text());
    } else if (node instanceof CharClass cc) {
      List<Integer> choices = new ArrayList<>();
      for (int probe : PROBES) {
        boolean in = cc.ranges().stream().anyMatch(r -> probe >= r[0] && probe <= r[1]);
        if (in != cc.negated()) {
          choices.add(probe);
        }
      }
      if (!cc.negated()) {
        int[] range = cc.ranges().get(random.nextInt(cc.ranges().size()));
        int c = range[0] + random.nextInt(range[1] - range[0] + 1);
        if (c < 0xd800 || c > 0xdfff) {
          choices.add(c);
        }
      }
      out.appendCodePoint(choices.get(random.nextInt(choices.size())));
    } else if (node instanceof Ref ref) {
      sample(rules.get(ref.name()), random, out, depth + 1);
    } else if (node instanceof Seq seq) {
      seq.items().forEach(item -> sample(item, random, out, depth + 1));
    } else if (node instanceof Alt alt) {
      sample(alt.options().get(random.nextInt(alt.options().size())), random, out, depth + 1);
    } else {
      Repeat repeat = (Repeat) node;
      int count = repeat.min();
      int max = repeat.max() < 0 ? repeat.min() + 8 : repeat.max();
      while (count < max && random.nextInt(4) != 0) {
        count++;
      }
      for (int i = 0; i < count; i++) {
        sample(repeat.node(), random, out, depth + 1);
      }
    }
  }

  private Set<Integer> ends(Node node, int start) {
    Set<Integer> out = new TreeSet<>();
    if (node instanceof Literal literal) {
      if (input.startsWith(literal.text(), start)) {
        out.add(start + literal.text().length());
      }
    } else if (node instanceof CharClass cc) {
      if (start < input.length()) {
        int c = input.codePointAt(start);
        boolean in = cc.ranges().stream().anyMatch(r -> c >= r[0] && c <= r[1]);
        if (in != cc.negated()) {
          out.add(start + Character.charCount(c));
        }
      }
    } else if (node instanceof Ref ref) {
      String key = ref.name() + "@" + start;
      Set<Integer> known = memo.get(key);
      if (known == null) {
        known = ends(rules.get(ref.name()), start);
        memo.put(key, known);
      }
      out.addAll(known);
    } else if (node instanceof Seq seq) {
      Set<Integer> positions = new TreeSet<>(Set.of(start));
      for (Node item : seq.items()) {
        Set<Integer> next = new TreeSet<>();
        for (int p : positions) {
          next.addAll(ends(item, p));
        }
        positions = next;
      }
      out.addAll(positions);
    } else if (node instanceof Alt alt) {
      for (Node option : alt.options()) {
        out.addAll(ends(option, start));
      }
    } else {
      Repeat repeat = (Repeat) node;
      Set<Integer> frontier = new TreeSet<>(Set.of(start));
      Set<Integer> seen = new TreeSet<>();
      for (int count = 0; !frontier.isEmpty(); count++) {
        if (count >= repeat.min()) {
          out.addAll(frontier);
        }
        if (repeat.max() >= 0 && count == repeat.max()) {
          break;
        }
        Set<Integer> next = new TreeSet<>();
        for (int p : frontier) {
          next.addAll(ends(repeat.node(), p));
        }
        if (count >= repeat.min()) {
          seen.addAll(frontier);
          next.removeAll(
              seen); // past the minimum, a position reached before (with more left) adds nothing
        }
        frontier = next;
      }
    }
    return out;
  }

  private Node alt() {
    List<Node> options = new ArrayList<>();
    options.add(seq());
    while (true) {
      skip();
      if (at < line.length() && line.charAt(at) == '|') {
        at++;
        options.add(seq());
      } else {
        return options.size() == 1 ? options.get(0) : new Alt(options);
      }
    }
  }

  private Node seq() {
    List<Node> items = new ArrayList<>();
    while (true) {
      skip();
      if (at >= line.length() || line.charAt(at) == '|' || line.charAt(at) == ')') {
        return new Seq(items);
      }
      Node item = primary();
      while (at < line.length()) {
        char c = line.charAt(at);
        if (c == '?') {
          item = new Repeat(item, 0, 1);
        } else if (c == '*') {
          item = new Repeat(item, 0, -1);
        } else if (c == '+') {
          item = new Repeat(item, 1, -1);
        } else if (c == '{') {
          int close = line.indexOf('}', at);
          String[] bounds = line.substring(at + 1, close).split(",", -1);
          int min = Integer.parseInt(bounds[0]);
          int max =
              bounds.length == 1 ? min : bounds[1].isEmpty() ? -1 : Integer.parseInt(bounds[1]);
          item = new Repeat(item, min, max);
          at = close;
        } else {
          break;
        }
        at++;
      }
      items.add(item);
    }
  }

  private Node primary() {
    char c = line.charAt(at);
    if (c == '"') {
      at++;
      StringBuilder text = new StringBuilder();
      while (line.charAt(at) != '"') {
        text.appendCodePoint(character());
      }
      at++;
      return new Literal(text.toString());
    }
    if (c == '[') {
      at++;
      boolean negated = line.charAt(at) == '^';
      if (negated) {
        at++;
      }
      List<int[]> ranges = new ArrayList<>();
      while (line.charAt(at) != ']') {
        int from = character();
        int to = from;
        if (line.charAt(at) == '-' && line.charAt(at + 1) != ']') {
          at++;
          to = character();
        }
        ranges.add(new int[] {from, to});
      }
      at++;
      return new CharClass(negated, ranges);
    }
    if (c == '(') {
      at++;
      Node inner = alt();
      skip();
      if (line.charAt(at) != ')') {
        throw new IllegalArgumentException("expected ) at " + at + ": " + line);
      }
      at++;
      return inner;
    }
    int start = at;
    while (at < line.length()
        && (Character.isLetterOrDigit(line.charAt(at)) || line.charAt(at) == '-')) {
      at++;
    }
    if (start == at) {
      throw new IllegalArgumentException("unexpected '" + c + "' at " + at + ": " + line);
    }
    return new Ref(line.substring(start, at));
  }

  private int character() {
    char c = line.charAt(at++);
    if (c != '\\') {
      if (Character.isHighSurrogate(c)) {
        return Character.toCodePoint(c, line.charAt(at++));
      }
      return c;
    }
    char e = line.charAt(at++);
    switch (e) {
      case 'n':
        return '\n';
      case 'r':
        return '\r';
      case 't':
        return '\t';
      case 'x':
        at += 2;
        return Integer.parseInt(line.substring(at - 2, at), 16);
      case 'u':
        at += 4;
        return Integer.parseInt(line.substring(at - 4, at), 16);
      case 'U':
        at += 8;
        return Integer.parseInt(line.substring(at - 8, at), 16);
      default:
        return e; // \\ \" \] \[ and the like
    }
  }

  private void skip() {
    while (at < line.length() && line.charAt(at) == ' ') {
      at++;
    }
  }
}
