package dev.completions.registry;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.spi.ToolProvider;
import java.util.stream.Stream;

/**
 * Compiles provider sources into real jars with services files, as third parties would ship them.
 */
final class ProviderJars {

  private static final String SERVICES = "META-INF/services/dev.completions.api.CompletionProvider";
  private static final String CATALOG_SERVICES =
      "META-INF/services/dev.completions.api.ProviderCatalog";

  private static final String LISTENER_SERVICES =
      "META-INF/services/dev.completions.api.CallListener";

  private final Path dir;
  private final List<URL> jars = new ArrayList<>();
  private final List<String> classPath =
      new ArrayList<>(List.of(System.getProperty("java.class.path")));

  ProviderJars(Path dir) {
    this.dir = dir;
  }

  /**
   * Java source of a provider class named {@code pkg.cls} claiming {@code name}, with a constructor
   * body.
   */
  static String provider(String pkg, String cls, String name, String constructorBody) {
    return """
        package %1$s;

        import dev.completions.api.*;
        import java.net.URI;
        import java.util.List;

        public final class %2$s implements CompletionProvider {
          public record Params(String model, List<Message> messages, boolean stream, double temperature) {}

          public %2$s() { %4$s }

          public ProviderInfo info() {
            return new ProviderInfo("%3$s", URI.create("https://example.com/%3$s"), List.of("m1", "m2"), "m1", true, false);
          }

          public Class<? extends Record> parameters() { return Params.class; }

          public CompletionStream complete(CompletionRequest request) { throw new UnsupportedOperationException(); }

          public void close() { System.setProperty("closed." + getClass().getName(), "yes"); }
        }
        """
        .formatted(pkg, cls, name, constructorBody);
  }

  /**
   * Java source of a {@code ProviderCatalog} named {@code pkg.cls} that loads no provider and
   * reports one problem with this source and reason, as a providers.json entry that failed does.
   */
  static String catalog(String pkg, String cls, String source, String reason) {
    return """
        package %1$s;

        import dev.completions.api.*;
        import java.util.List;

        public final class %2$s implements ProviderCatalog {
          public Contents load(ClassLoader loader) {
            return new Contents(List.of(), List.of(new Problem("%3$s", "%4$s")));
          }
        }
        """
        .formatted(pkg, cls, source, reason);
  }

  /**
   * Compiles the sources (class name, source, ...) against the API and the jars written before, and
   * writes a jar whose services file has these lines.
   */
  ProviderJars jar(String jarName, List<String> servicesLines, String... classAndSource) {
    return jar(jarName, SERVICES, servicesLines, classAndSource);
  }

  /** As {@link #jar}, with the lines in the services file of {@code ProviderCatalog}. */
  ProviderJars catalogJar(String jarName, List<String> servicesLines, String... classAndSource) {
    return jar(jarName, CATALOG_SERVICES, servicesLines, classAndSource);
  }

  /** As {@link #jar}, with the lines in the services file of {@code CallListener}. */
  ProviderJars listenerJar(String jarName, List<String> servicesLines, String... classAndSource) {
    return jar(jarName, LISTENER_SERVICES, servicesLines, classAndSource);
  }

  private ProviderJars jar(
      String jarName, String servicesFile, List<String> servicesLines, String... classAndSource) {
    try {
      Path src = Files.createDirectories(dir.resolve(jarName + "-src"));
      Path classes = Files.createDirectories(dir.resolve(jarName + "-classes"));
      List<String> files = new ArrayList<>();
      for (int i = 0; i < classAndSource.length; i += 2) {
        Path file = src.resolve(classAndSource[i].replace('.', '/') + ".java");
        Files.createDirectories(file.getParent());
        Files.writeString(file, classAndSource[i + 1]);
        files.add(file.toString());
      }
      if (!files.isEmpty()) {
        ToolProvider javac =
            ToolProvider.findFirst("javac")
                .orElseThrow(() -> new IllegalStateException("tests need a JDK"));
        List<String> args =
            new ArrayList<>(
                List.of(
                    "-d",
                    classes.toString(),
                    "-cp",
                    String.join(java.io.File.pathSeparator, classPath)));
        args.addAll(files);
        if (javac.run(System.out, System.err, args.toArray(String[]::new)) != 0) {
          throw new IllegalStateException("test provider sources did not compile");
        }
      }
      classPath.add(classes.toString());
      Path jar = dir.resolve(jarName + ".jar");
      try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar));
          Stream<Path> walk = Files.walk(classes)) {
        for (Path file : walk.filter(Files::isRegularFile).toList()) {
          out.putNextEntry(new JarEntry(classes.relativize(file).toString().replace('\\', '/')));
          Files.copy(file, out);
        }
        out.putNextEntry(new JarEntry(servicesFile));
        write(out, String.join("\n", servicesLines) + "\n");
      }
      jars.add(jar.toUri().toURL());
      return this;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A class loader over every jar written so far, whose parent sees the provider API. */
  URLClassLoader loader() {
    return new URLClassLoader(jars.toArray(URL[]::new), ProviderJars.class.getClassLoader());
  }

  private static void write(OutputStream out, String text) throws IOException {
    out.write(text.getBytes(StandardCharsets.UTF_8));
  }
}
