package dev.completions.local;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Where a model spec points: a path to a {@code .gguf} file, or {@code hf:OWNER/REPO/FILE.gguf},
 * downloaded once from Hugging Face into {@code CACHE/huggingface/OWNER/REPO/FILE}. OWNER, REPO and
 * FILE must be plain names, so the file always lands inside the cache. Thread-safe and safe across
 * processes sharing the cache: one downloads while the others wait for its verified file.
 */
final class ModelStore {

  /** The default model: small, instruction-tuned, Apache-2.0. */
  static final String DEFAULT_MODEL =
      "hf:Qwen/Qwen2.5-0.5B-Instruct-GGUF/qwen2.5-0.5b-instruct-q4_k_m.gguf";

  /**
   * Checksums of the models this project names; others are checked against the server's when it
   * sends one.
   */
  static final Map<String, String> KNOWN_SHA256 =
      Map.of(
          "hf:ggml-org/tiny-llamas/stories260K.gguf",
          "270cba1bd5109f42d03350f60406024560464db173c0e387d91f0426d3bd256d");

  private static final List<String> FIELDS = List.of("OWNER", "REPO", "FILE");

  private final String spec;
  private final URI huggingFace;
  private final Downloader downloader;

  /** OWNER, REPO and FILE of a Hugging Face spec; null for a path. */
  private final String[] parts;

  /** The cached file of a Hugging Face spec; null for a path. */
  private final Path target;

  /**
   * Checks the spec; does no I/O.
   *
   * @throws IllegalArgumentException naming local.model when a Hugging Face spec is malformed or
   *     would leave the cache
   */
  ModelStore(String spec, Path cache, URI huggingFace, Downloader downloader) {
    this.spec = spec;
    this.huggingFace = huggingFace;
    this.downloader = downloader;
    this.parts = isHub(spec) ? spec.substring(3).split("/", -1) : null;
    this.target = isHub(spec) ? cachedFile(spec, parts, cache.resolve("huggingface")) : null;
  }

  private static Path cachedFile(String spec, String[] parts, Path hub) {
    if (parts.length != FIELDS.size()) {
      throw new IllegalArgumentException(
          "local.model: a Hugging Face model is hf:OWNER/REPO/FILE.gguf, got '" + spec + "'");
    }
    Path file = hub;
    for (int i = 0; i < parts.length; i++) {
      String part = parts[i];
      if (part.isEmpty()
          || part.equals(".")
          || part.equals("..")
          || part.contains("\\")
          || part.indexOf('\0') >= 0) {
        throw new IllegalArgumentException(
            "local.model: "
                + FIELDS.get(i)
                + " in hf:OWNER/REPO/FILE.gguf must be a plain"
                + " name (not empty, not '.' or '..', no '/' or '\\'), got '"
                + part
                + "' in '"
                + spec
                + "'");
      }
      file = file.resolve(part);
    }
    Path root = hub.toAbsolutePath().normalize();
    Path normal = file.toAbsolutePath().normalize();
    if (!normal.startsWith(root) || normal.getNameCount() != root.getNameCount() + parts.length) {
      throw new IllegalArgumentException(
          "local.model: '" + spec + "' would be stored outside " + root);
    }
    return file;
  }

  /** The model's name: its file name without {@code .gguf}. Does no I/O. */
  static String nameOf(String spec) {
    String file = spec.substring(Math.max(spec.lastIndexOf('/'), spec.lastIndexOf('\\')) + 1);
    if (isHub(spec) && !spec.contains("/")) {
      file = spec.substring(3);
    }
    return file.toLowerCase(java.util.Locale.ROOT).endsWith(".gguf")
        ? file.substring(0, file.length() - 5)
        : file;
  }

  /**
   * The local file for the spec, downloading it first when it is a Hugging Face model not yet
   * cached. When another thread or process is downloading it, waits for that download and uses its
   * file (or downloads itself when that one failed).
   *
   * @throws IOException when the download fails
   */
  Path resolve() throws IOException {
    if (target == null) {
      return Path.of(spec);
    }
    if (Files.isRegularFile(target)) {
      return target; // only a verified download is ever renamed to this name
    }
    Files.createDirectories(target.getParent());
    String name = target.getFileName().toString();
    try (CacheLock lock =
        CacheLock.acquire(
            target.resolveSibling(name + ".lock"),
            () -> downloader.waitingForAnotherDownload(name))) {
      if (!Files.isRegularFile(target)) {
        URI url =
            URI.create(
                huggingFace.toString().replaceAll("/+$", "")
                    + "/"
                    + parts[0]
                    + "/"
                    + parts[1]
                    + "/resolve/main/"
                    + parts[2]);
        downloader.download(url, target, KNOWN_SHA256.get(spec));
      }
    }
    return target;
  }

  private static boolean isHub(String spec) {
    return spec.startsWith("hf:");
  }
}
