package dev.completions.local;

import de.kherud.llama.LlamaModel;
import de.kherud.llama.ModelParameters;
import dev.completions.api.ProviderException;
import dev.completions.api.ProviderException.Kind;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * The loaded model, shared by every request of a provider instance: loaded on first use, once; one
 * generation at a time (one llama.cpp context; on a few cores parallel decoding only splits them),
 * later requests queue for at most the queue timeout. Thread-safe.
 */
final class Engine implements AutoCloseable {

  private final LocalSettings settings;
  private final ModelStore store;
  private final Semaphore turn = new Semaphore(1, true);
  private LlamaModel model;
  private GgufHeader header;
  private boolean closed;

  Engine(LocalSettings settings, ModelStore store) {
    this.settings = settings;
    this.store = store;
  }

  /** A loaded model with its header. */
  record Loaded(LlamaModel model, GgufHeader header) {}

  /**
   * The model, loading it on first call.
   *
   * @throws ProviderException when the file is missing, invalid, or llama.cpp refuses it
   */
  synchronized Loaded load() {
    if (closed) {
      throw new IllegalStateException(LocalProvider.NAME + " provider is closed");
    }
    if (model == null) {
      Path cache = settings.cache();
      if (Files.exists(cache) && !Files.isDirectory(cache)) {
        throw failure(
            Kind.BAD_REQUEST,
            "local.cache: "
                + cache.toAbsolutePath()
                + " is a file, not a folder;"
                + " set local.cache or LOCAL_CACHE to a folder",
            null);
      }
      Path file;
      try {
        file = store.resolve();
      } catch (IOException e) {
        throw failure(Kind.CONNECTION, e.getMessage(), e);
      }
      checkIsAFile(file);
      try {
        header = GgufHeader.read(file);
      } catch (GgufHeader.InvalidModelException e) {
        throw failure(Kind.BAD_REQUEST, e.getMessage(), null);
      } catch (IOException e) {
        throw failure(
            Kind.MODEL_NOT_FOUND, "cannot read the model file " + file + ": " + e.getMessage(), e);
      }
      try {
        NativeLibrary.load(cache);
      } catch (IOException e) {
        throw failure(
            Kind.BAD_REQUEST,
            "cannot keep llama.cpp's native library in "
                + cache.toAbsolutePath()
                + " (local.cache): "
                + e,
            e);
      } catch (LinkageError e) { // UnsatisfiedLinkError at first, NoClassDefFoundError after
        throw failure(
            Kind.BAD_REQUEST,
            "llama.cpp's native library cannot be loaded on "
                + System.getProperty("os.name")
                + " "
                + System.getProperty("os.arch")
                + ": "
                + e.getMessage(),
            e);
      }
      ModelParameters parameters =
          new ModelParameters()
              .setModel(file.toString())
              .setThreads(settings.threads())
              .setThreadsBatch(settings.threads())
              .setCtxSize(settings.contextSize())
              .setParallel(1)
              .skipWarmup()
              .disableLog(); // llama.cpp otherwise writes hundreds of lines straight to standard
      // error
      try {
        model = new LlamaModel(parameters);
      } catch (RuntimeException e) {
        throw failure(
            Kind.BAD_REQUEST,
            "llama.cpp cannot load "
                + file.getFileName()
                + " (architecture '"
                + header.architecture()
                + "'): "
                + e.getMessage(),
            e);
      }
    }
    return new Loaded(model, header);
  }

  /** Says what the model path is when it is not a regular file: missing, a folder, or a device. */
  private static void checkIsAFile(Path file) {
    if (Files.isRegularFile(file)) {
      return;
    }
    String how = "; set local.model or LOCAL_MODEL to a .gguf file, or to hf:OWNER/REPO/FILE.gguf";
    if (Files.isDirectory(file)) {
      throw failure(
          Kind.BAD_REQUEST,
          "local.model: " + file.toAbsolutePath() + " is a folder, not a model file" + how,
          null);
    }
    if (Files.exists(file)) {
      throw failure(
          Kind.BAD_REQUEST,
          "local.model: "
              + file.toAbsolutePath()
              + " is a device, pipe or socket, not a model file"
              + how,
          null);
    }
    throw failure(
        Kind.MODEL_NOT_FOUND, "model file not found: " + file.toAbsolutePath() + how, null);
  }

  /**
   * Waits for this request's turn.
   *
   * @throws ProviderException a timeout after the queue timeout, or cancelled when interrupted
   */
  void awaitTurn() {
    try {
      if (!turn.tryAcquire(settings.queueTimeout().toMillis(), TimeUnit.MILLISECONDS)) {
        throw failure(
            Kind.TIMEOUT,
            "waited "
                + settings.queueTimeout().toMillis()
                + " ms for the model to finish other requests (local.queueTimeout)",
            null);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw failure(
          Kind.CANCELLED, "the reading thread was interrupted while waiting for the model", e);
    }
  }

  void endTurn() {
    turn.release();
  }

  @Override
  public synchronized void close() {
    closed = true;
    if (model != null) {
      model.close();
      model = null;
    }
  }

  static ProviderException failure(Kind kind, String message, Throwable cause) {
    return ProviderException.builder(kind, LocalProvider.NAME)
        .message(message)
        .cause(cause)
        .build();
  }
}
