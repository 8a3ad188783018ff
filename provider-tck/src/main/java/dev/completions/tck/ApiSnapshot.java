package dev.completions.tck;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.URISyntaxException;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Guards a package's public API: every public and protected signature of the package is compared
 * with a recorded file, and any difference fails with the diff, so an API change is always a
 * deliberate edit of that file. Run with {@code -Dapi.update=true} to rewrite the file after
 * review. Stateless.
 */
public final class ApiSnapshot {

  private ApiSnapshot() {}

  /**
   * Asserts that the public API of {@code member}'s package (not its sub-packages) equals the one
   * recorded in {@code recorded}.
   *
   * @param member any class of the package, loaded from the classes being built
   * @param recorded the file holding one signature per line, sorted
   * @throws AssertionError listing the removed ({@code -}) and added ({@code +}) signatures
   * @throws Exception when the package's classes or the recorded file cannot be read
   */
  public static void assertMatches(Class<?> member, Path recorded) throws Exception {
    List<String> actual = signatures(member);
    if (Boolean.getBoolean("api.update")) {
      Files.createDirectories(recorded.toAbsolutePath().getParent());
      Files.write(recorded, actual);
    }
    List<String> expected = Files.exists(recorded) ? Files.readAllLines(recorded) : List.of();
    List<String> added =
        actual.stream().filter(line -> !expected.contains(line)).map(line -> "+ " + line).toList();
    List<String> removed =
        expected.stream().filter(line -> !actual.contains(line)).map(line -> "- " + line).toList();
    List<String> diff = Stream.concat(removed.stream(), added.stream()).toList();
    assertThat(diff)
        .as(
            "the public API differs from %s (update it with -Dapi.update=true after review):%n%s",
            recorded.toAbsolutePath(), String.join("\n", diff))
        .isEmpty();
  }

  private static List<String> signatures(Class<?> member)
      throws IOException, URISyntaxException, ClassNotFoundException {
    Path location = Path.of(member.getProtectionDomain().getCodeSource().getLocation().toURI());
    if (Files.isDirectory(location)) {
      return signatures(member, location);
    }
    try (FileSystem jar = FileSystems.newFileSystem(location)) {
      return signatures(member, jar.getPath("/"));
    }
  }

  private static List<String> signatures(Class<?> member, Path classes)
      throws IOException, ClassNotFoundException {
    TreeSet<String> lines = new TreeSet<>();
    List<Path> files;
    // the package alone: a sub-package such as .internal is not part of it
    try (Stream<Path> list =
        Files.list(classes.resolve(member.getPackageName().replace('.', '/')))) {
      files = list.filter(f -> f.toString().endsWith(".class")).toList();
    }
    for (Path file : files) {
      String name =
          classes
              .relativize(file)
              .toString()
              .replace('/', '.')
              .replace('\\', '.')
              .replaceAll("\\.class$", "");
      Class<?> type = Class.forName(name, false, member.getClassLoader());
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
    String kind =
        type.isAnnotation()
            ? "@interface"
            : type.isInterface()
                ? "interface"
                : type.isEnum() ? "enum" : type.isRecord() ? "record" : "class";
    String modifiers =
        Modifier.toString(
            type.getModifiers()
                & ~Modifier.INTERFACE
                & ~Modifier.ABSTRACT
                & (type.isInterface() ? ~Modifier.STATIC : ~0));
    String supertypes =
        Stream.concat(
                type.getGenericSuperclass() == null
                        || type.getSuperclass() == Object.class
                        || type.isEnum()
                        || type.isRecord()
                    ? Stream.empty()
                    : Stream.of("extends " + type.getGenericSuperclass().getTypeName()),
                Arrays.stream(type.getGenericInterfaces())
                    .map(t -> "implements " + t.getTypeName()))
            .collect(Collectors.joining(" "));
    String sealed = type.isSealed() ? " sealed" : "";
    String abstractness =
        Modifier.isAbstract(type.getModifiers()) && !type.isInterface() ? " abstract" : "";
    return (modifiers
            + abstractness
            + sealed
            + " "
            + kind
            + " "
            + type.getName()
            + " "
            + supertypes)
        .strip();
  }
}
