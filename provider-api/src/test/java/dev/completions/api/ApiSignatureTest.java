package dev.completions.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The public API of provider-api, every public and protected signature, is recorded in
 * {@code api/provider-api.txt}; any difference fails with the diff, so an API change is always a
 * deliberate edit of that file. Regenerate it with {@code ./mvnw -pl provider-api test -Dapi.update=true}.
 */
class ApiSignatureTest {

  private static final Path RECORDED = Path.of("api", "provider-api.txt");

  @Test
  void thePublicApiMatchesTheRecordedOne() throws Exception {
    List<String> actual = signatures();
    if (Boolean.getBoolean("api.update")) {
      Files.createDirectories(RECORDED.getParent());
      Files.write(RECORDED, actual);
    }
    List<String> recorded = Files.exists(RECORDED) ? Files.readAllLines(RECORDED) : List.of();
    List<String> added = actual.stream().filter(line -> !recorded.contains(line)).map(line -> "+ " + line).toList();
    List<String> removed = recorded.stream().filter(line -> !actual.contains(line)).map(line -> "- " + line).toList();
    assertThat(Stream.concat(removed.stream(), added.stream()).toList())
        .as("the public API differs from %s (update it with -Dapi.update=true after review):%n%s", RECORDED.toAbsolutePath(),
            Stream.concat(removed.stream(), added.stream()).collect(Collectors.joining("\n")))
        .isEmpty();
  }

  private static List<String> signatures() throws IOException, URISyntaxException, ClassNotFoundException {
    Path classes = Path.of(CompletionProvider.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    TreeSet<String> lines = new TreeSet<>();
    List<Path> files;
    try (Stream<Path> walk = Files.walk(classes.resolve("dev/completions/api"))) {
      files = walk.filter(f -> f.toString().endsWith(".class")).toList();
    }
    for (Path file : files) {
      String name = classes.relativize(file).toString().replace('/', '.').replace('\\', '.').replaceAll("\\.class$", "");
      Class<?> type = Class.forName(name, false, ApiSignatureTest.class.getClassLoader());
      if (!isVisible(type)) {
        continue;
      }
      String owner = type.getName();
      lines.add(owner + " : " + describe(type));
      for (Constructor<?> constructor : type.getDeclaredConstructors()) {
        if (exposed(constructor.getModifiers()) && !constructor.isSynthetic()) {
          lines.add(owner + " : " + constructor.toGenericString());
        }
      }
      for (Method method : type.getDeclaredMethods()) {
        if (exposed(method.getModifiers()) && !method.isSynthetic() && !method.isBridge()) {
          lines.add(owner + " : " + method.toGenericString());
        }
      }
      for (Field field : type.getDeclaredFields()) {
        if (exposed(field.getModifiers()) && !field.isSynthetic()) {
          lines.add(owner + " : " + field.toGenericString());
        }
      }
    }
    return new ArrayList<>(lines);
  }

  private static boolean isVisible(Class<?> type) {
    for (Class<?> c = type; c != null; c = c.getDeclaringClass()) {
      if (!Modifier.isPublic(c.getModifiers()) && !Modifier.isProtected(c.getModifiers())) {
        return false;
      }
    }
    return !type.isAnonymousClass() && !type.isSynthetic();
  }

  private static boolean exposed(int modifiers) {
    return Modifier.isPublic(modifiers) || Modifier.isProtected(modifiers);
  }

  private static String describe(Class<?> type) {
    String kind = type.isAnnotation() ? "@interface" : type.isInterface() ? "interface" : type.isEnum() ? "enum"
        : type.isRecord() ? "record" : "class";
    String modifiers = Modifier.toString(type.getModifiers() & ~Modifier.INTERFACE & ~Modifier.ABSTRACT
        & (type.isInterface() ? ~Modifier.STATIC : ~0));
    String supertypes = Stream.concat(
            type.getGenericSuperclass() == null || type.getSuperclass() == Object.class || type.isEnum() || type.isRecord()
                ? Stream.empty() : Stream.of("extends " + type.getGenericSuperclass().getTypeName()),
            Arrays.stream(type.getGenericInterfaces()).map(t -> "implements " + t.getTypeName()))
        .collect(Collectors.joining(" "));
    String sealed = type.isSealed() ? " sealed" : "";
    String abstractness = Modifier.isAbstract(type.getModifiers()) && !type.isInterface() ? " abstract" : "";
    return (modifiers + abstractness + sealed + " " + kind + " " + type.getName() + " " + supertypes).strip();
  }
}
