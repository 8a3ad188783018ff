package dev.completions.local;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Where a model spec points: a path to a {@code .gguf} file, or {@code hf:OWNER/REPO/FILE.gguf},
 * downloaded once from Hugging Face into the cache. Thread-safe: downloads are serialised.
 */
final class ModelStore {

  /** The default model: small, instruction-tuned, Apache-2.0. */
  static final String DEFAULT_MODEL = "hf:Qwen/Qwen2.5-0.5B-Instruct-GGUF/qwen2.5-0.5b-instruct-q4_k_m.gguf";

  /** Checksums of the models this project names; others are checked against the server's when it sends one. */
  static final Map<String, String> KNOWN_SHA256 = Map.of(
      "hf:ggml-org/tiny-llamas/stories260K.gguf", "270cba1bd5109f42d03350f60406024560464db173c0e387d91f0426d3bd256d");

  private final String spec;
  private final Path cache;
  private final URI huggingFace;
  private final Downloader downloader;

  ModelStore(String spec, Path cache, URI huggingFace, Downloader downloader) {
    this.spec = spec;
    this.cache = cache;
    this.huggingFace = huggingFace;
    this.downloader = downloader;
    if (isHub(spec) && spec.substring(3).split("/").length != 3) {
      throw new IllegalArgumentException(
          "local.model: a Hugging Face model is hf:OWNER/REPO/FILE.gguf, got '" + spec + "'");
    }
  }

  /** The model's name: its file name without {@code .gguf}. Does no I/O. */
  static String nameOf(String spec) {
    String file = spec.substring(Math.max(spec.lastIndexOf('/'), spec.lastIndexOf('\\')) + 1);
    if (isHub(spec) && !spec.contains("/")) {
      file = spec.substring(3);
    }
    return file.toLowerCase(java.util.Locale.ROOT).endsWith(".gguf") ? file.substring(0, file.length() - 5) : file;
  }

  /**
   * The local file for the spec, downloading it first when it is a Hugging Face model not yet cached.
   *
   * @throws IOException when the download fails
   */
  synchronized Path resolve() throws IOException {
    if (!isHub(spec)) {
      return Path.of(spec);
    }
    String[] parts = spec.substring(3).split("/");
    Path target = cache.resolve("huggingface").resolve(parts[0]).resolve(parts[1]).resolve(parts[2]);
    if (!Files.isRegularFile(target)) {
      URI url = URI.create(huggingFace.toString().replaceAll("/+$", "") + "/" + parts[0] + "/" + parts[1]
          + "/resolve/main/" + parts[2]);
      downloader.download(url, target, KNOWN_SHA256.get(spec));
    }
    return target;
  }

  private static boolean isHub(String spec) {
    return spec.startsWith("hf:");
  }
}
