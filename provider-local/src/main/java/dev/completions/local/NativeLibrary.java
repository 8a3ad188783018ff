package dev.completions.local;

import de.kherud.llama.LlamaModel;
import de.kherud.llama.LogLevel;
import de.kherud.llama.args.LogFormat;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads llama.cpp's native library once per JVM, taming de.kherud:llama 4.2.0: it extracts into a
 * private folder (its loader deletes every {@code llama*} file in the temp folder it uses), its
 * "Extracted ..." line is kept off standard output, and llama.cpp's log goes to SLF4J.
 */
final class NativeLibrary {

  private static final Logger LOG = LoggerFactory.getLogger("dev.completions.local.llama");
  private static boolean loaded;

  private NativeLibrary() {}

  static synchronized void load(Path cache) {
    if (loaded) {
      return;
    }
    try {
      Path folder = Files.createDirectories(cache.resolve("native").resolve("llama-4.2.0"));
      if (System.getProperty("de.kherud.llama.tmpdir") == null) {
        System.setProperty("de.kherud.llama.tmpdir", folder.toString());
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the native library folder under " + cache, e);
    }
    PrintStream stdout = System.out;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try {
      LlamaModel.setLogger(LogFormat.TEXT, NativeLibrary::log);
    } finally {
      System.setOut(stdout);
    }
    captured.toString(StandardCharsets.UTF_8).lines().forEach(line -> LOG.debug("loader: {}", line));
    loaded = true;
  }

  private static void log(LogLevel level, String message) {
    String line = message.stripTrailing();
    if (line.isEmpty()) {
      return;
    }
    if (level == LogLevel.ERROR) {
      LOG.warn("{}", line);
    } else {
      LOG.debug("{}", line);
    }
  }
}
