package dev.completions.local;

import de.kherud.llama.LlamaModel;
import de.kherud.llama.LogLevel;
import de.kherud.llama.args.LogFormat;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Method;
import java.net.JarURLConnection;
import java.net.URL;
import java.net.URLConnection;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Locale;
import java.util.jar.JarEntry;
import java.util.zip.CRC32;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads llama.cpp's native library once per JVM, taming de.kherud:llama 4.2.0, whose own loader
 * deletes every {@code jllama*} and {@code llama*} file in its temp folder and then rewrites the
 * library in place, so processes sharing a folder crash each other (SIGBUS, UnsatisfiedLinkError).
 *
 * <p>Here the library is extracted into the cache once per content: into {@code
 * native/llama-4.2.0/CRC32-SIZE/}, written to a temporary file and renamed atomically under a
 * cross-process {@link CacheLock}, and never deleted or rewritten afterwards. The loader is pointed
 * at that copy ({@code de.kherud.llama.lib.path}) so it never extracts, and its clean-up at a
 * private folder that holds none of its names ({@code de.kherud.llama.tmpdir}). Values the
 * application already set for either property are kept. llama.cpp's log goes to SLF4J.
 */
final class NativeLibrary {

  static final String LIB_PATH = "de.kherud.llama.lib.path";
  static final String TEMP_DIR = "de.kherud.llama.tmpdir";

  private static final Logger LOG = LoggerFactory.getLogger("dev.completions.local.llama");
  private static boolean loaded;

  private NativeLibrary() {}

  /**
   * Loads the library, extracting it into {@code cache} first when no process has yet.
   *
   * @throws IOException when the cache cannot hold the library
   * @throws LinkageError when this system cannot load it
   */
  static synchronized void load(Path cache) throws IOException {
    if (loaded) {
      return;
    }
    Path folder = Files.createDirectories(cache.resolve("native").resolve("llama-4.2.0"));
    if (System.getProperty(LIB_PATH) == null) {
      Path library = extract(folder);
      if (library != null) {
        System.setProperty(LIB_PATH, library.getParent().toString());
      }
    }
    if (System.getProperty(TEMP_DIR) == null) {
      System.setProperty(TEMP_DIR, folder.toString());
    }
    long start = System.nanoTime();
    LlamaModel.setLogger(LogFormat.TEXT, NativeLibrary::log);
    LOG.debug(
        "loaded llama.cpp from {} in {} ms",
        System.getProperty(LIB_PATH),
        (System.nanoTime() - start) / 1_000_000);
    loaded = true;
  }

  /**
   * The library for this platform inside {@code folder}, extracted when missing; null when the
   * binding has none for this platform (its loader then says so).
   */
  static Path extract(Path folder) throws IOException {
    String name = System.mapLibraryName("jllama");
    URL resource =
        LlamaModel.class.getResource("/de/kherud/llama/" + platformFolder() + "/" + name);
    if (resource == null) {
      return null;
    }
    URLConnection connection = resource.openConnection();
    // the jar's own CRC-32 and size name the content without inflating 5 MB at every start
    JarEntry entry = connection instanceof JarURLConnection jar ? jar.getJarEntry() : null;
    byte[] bytes = entry != null && entry.getCrc() >= 0 ? null : read(connection);
    long crc = bytes == null ? entry.getCrc() : crc32(bytes);
    long size = bytes == null ? entry.getSize() : bytes.length;
    Path directory = folder.resolve(String.format(Locale.ROOT, "%08x-%d", crc, size));
    Path library = directory.resolve(name);
    if (Files.isRegularFile(library)) {
      return library; // only a complete copy is ever renamed to this name
    }
    try (CacheLock lock = CacheLock.acquire(folder.resolve("extract.lock"), () -> {})) {
      if (!Files.isRegularFile(library)) {
        Files.createDirectories(directory);
        Path temporary = Files.createTempFile(directory, "extracting-", ".tmp");
        try {
          write(temporary, bytes != null ? bytes : read(resource.openConnection()));
          Files.move(temporary, library, StandardCopyOption.ATOMIC_MOVE);
          LOG.debug("extracted llama.cpp to {}", library);
        } finally {
          Files.deleteIfExists(temporary);
        }
      }
    }
    return library;
  }

  private static byte[] read(URLConnection connection) throws IOException {
    try (InputStream in = connection.getInputStream()) {
      return in.readAllBytes();
    }
  }

  private static long crc32(byte[] bytes) {
    CRC32 crc = new CRC32();
    crc.update(bytes);
    return crc.getValue();
  }

  private static void write(Path file, byte[] bytes) throws IOException {
    try (FileChannel out = FileChannel.open(file, StandardOpenOption.WRITE)) {
      ByteBuffer buffer = ByteBuffer.wrap(bytes);
      while (buffer.hasRemaining()) {
        out.write(buffer);
      }
      out.force(
          true); // a crash after the rename must not leave an empty library under the final name
    }
  }

  /**
   * The binding's folder for this platform, such as {@code Linux/x86_64}: its loader's own answer.
   */
  private static String platformFolder() {
    try {
      Method method =
          Class.forName("de.kherud.llama.OSInfo")
              .getDeclaredMethod("getNativeLibFolderPathForCurrentOS");
      method.setAccessible(true);
      return (String) method.invoke(null);
    } catch (ReflectiveOperationException | RuntimeException e) {
      throw new IllegalStateException(
          "de.kherud:llama 4.2.0 is expected, with OSInfo.getNativeLibFolderPathForCurrentOS()", e);
    }
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
