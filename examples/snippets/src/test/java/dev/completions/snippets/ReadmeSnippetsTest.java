package dev.completions.snippets;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every Java snippet in the README is code the build compiles: each ```java block, with comments
 * and whitespace ignored, appears in a source file under examples/. So a snippet cannot rot.
 */
class ReadmeSnippetsTest {

  private static final Path ROOT = Path.of("..", "..");
  private static final Pattern JAVA_BLOCK = Pattern.compile("```java\\n(.*?)```", Pattern.DOTALL);
  private static final Pattern COMMENTS =
      Pattern.compile("(?<![:\"])//[^\\n]*|/\\*.*?\\*/", Pattern.DOTALL);

  @Test
  void everyJavaSnippetInTheReadmeIsCompiledSource() throws IOException {
    List<String> snippets = new ArrayList<>();
    Matcher block = JAVA_BLOCK.matcher(Files.readString(ROOT.resolve("README.md")));
    while (block.find()) {
      snippets.add(block.group(1));
    }
    List<String> sources;
    try (Stream<Path> files = Files.walk(ROOT.resolve("examples"))) {
      sources =
          files
              .filter(f -> f.toString().endsWith(".java") && !f.toString().contains("/target/"))
              .map(ReadmeSnippetsTest::read)
              .map(ReadmeSnippetsTest::normalized)
              .toList();
    }

    assertThat(snippets).as("the README's Java snippets").isNotEmpty();
    for (String snippet : snippets) {
      String code = normalized(snippet);
      assertThat(sources)
          .as("a source under examples/ holding this README snippet:%n%s", snippet)
          .anyMatch(source -> source.contains(code));
    }
  }

  private static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /**
   * Comments removed (a {@code //} after {@code :} is a URL, not a comment), every run of
   * whitespace made one space, and none around punctuation.
   */
  private static String normalized(String code) {
    String text = COMMENTS.matcher(code).replaceAll(" ").replaceAll("\\s+", " ");
    return text.replaceAll(" ?([(){};,.=<>+\\-*/!?:\\[\\]]) ?", "$1").strip();
  }
}
