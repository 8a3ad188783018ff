package dev.completions.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.completions.tck.LoopbackServer;
import dev.completions.tck.RecordedRequest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The hf: download path against a local server: progress, resume, checksum, offline message. */
class LocalDownloadTest {

  @TempDir Path cache;

  private final LoopbackServer server = LoopbackServer.start();
  private final ByteArrayOutputStream progress = new ByteArrayOutputStream();
  private final byte[] model = SyntheticGguf.withArchitecture("llama", 600_000);
  private final AtomicLong clock = new AtomicLong();

  @AfterEach
  void close() {
    server.close();
  }

  private ModelStore store(String spec) {
    // every read of the clock advances it by 100 ms, so progress lines appear without waiting
    Downloader downloader =
        new Downloader(
            new PrintStream(progress, true, StandardCharsets.UTF_8),
            () -> clock.addAndGet(Duration.ofMillis(100).toNanos()),
            Duration.ofSeconds(5));
    return new ModelStore(spec, cache, server.url(), downloader);
  }

  private static String sha256(byte[] bytes) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
  }

  private static String etag(String checksum) {
    return "X-Linked-Etag: \"" + checksum + "\"";
  }

  /** A 200 with {@code body} and a Content-Length, plus {@code headers}. */
  private static LoopbackServer.Script serve(byte[] body, String... headers) {
    return exchange -> {
      exchange.raw(
          "HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\nContent-Length: "
              + body.length
              + "\r\n"
              + Arrays.stream(headers).map(header -> header + "\r\n").collect(Collectors.joining())
              + "\r\n");
      for (int i = 0; i < body.length; i += 65_536) {
        exchange.raw(Arrays.copyOfRange(body, i, Math.min(body.length, i + 65_536)));
      }
    };
  }

  @Test
  void downloadsOnceIntoTheCacheShowingProgressAndVerifyingTheChecksum() throws Exception {
    server.enqueue(serve(model, etag(sha256(model))));

    Path file = store("hf:owner/repo/tiny.gguf").resolve();
    Path again = store("hf:owner/repo/tiny.gguf").resolve();

    assertThat(file).isEqualTo(cache.resolve("huggingface/owner/repo/tiny.gguf")).isEqualTo(again);
    assertThat(Files.readAllBytes(file)).isEqualTo(model);
    assertThat(server.requestCount()).isEqualTo(1);
    assertThat(server.takeRequest().path()).isEqualTo("/owner/repo/resolve/main/tiny.gguf");
    assertThat(progress.toString(StandardCharsets.UTF_8))
        .contains("Downloading tiny.gguf: ")
        .contains(" / 585.9 KiB, ")
        .contains("/s, ETA ");
    assertThat(Files.exists(file.resolveSibling("tiny.gguf.part"))).isFalse();
  }

  @Test
  void resumesAPartialDownloadAfterADroppedConnection() throws Exception {
    int half = model.length / 2;
    server.enqueue(
        exchange -> {
          exchange.raw("HTTP/1.1 200 OK\r\nContent-Length: " + model.length + "\r\n\r\n");
          exchange.raw(Arrays.copyOfRange(model, 0, half));
          exchange.reset();
        });
    String checksum = sha256(model);
    server.enqueue(
        exchange -> {
          int from =
              Integer.parseInt(
                  exchange.request().header("Range").replaceAll("bytes=(\\d+)-", "$1"));
          byte[] rest = Arrays.copyOfRange(model, from, model.length);
          exchange.raw(
              "HTTP/1.1 206 Partial Content\r\nContent-Length: "
                  + rest.length
                  + "\r\nContent-Range: bytes "
                  + from
                  + "-"
                  + (model.length - 1)
                  + "/"
                  + model.length
                  + "\r\nX-Linked-Etag: \""
                  + checksum
                  + "\"\r\n\r\n");
          exchange.raw(rest);
        });
    ModelStore store = store("hf:owner/repo/tiny.gguf");

    IOException dropped = catchThrowableOfType(IOException.class, store::resolve);
    assertThat(dropped)
        .hasMessageContaining("; the partial download is kept and resumed next time.");
    Path part = cache.resolve("huggingface/owner/repo/tiny.gguf.part");
    assertThat(Files.size(part)).isPositive().isLessThan(model.length);
    long kept = Files.size(part);

    Path file = store.resolve();

    server.takeRequest();
    RecordedRequest resumed = server.takeRequest();
    assertThat(resumed.header("Range")).isEqualTo("bytes=" + kept + "-");
    assertThat(Files.readAllBytes(file)).isEqualTo(model);
  }

  @Test
  void aChecksumMismatchRemovesTheFileAndSaysSo() throws Exception {
    String wrong = "0".repeat(64);
    server.enqueue(serve(model, etag(wrong)));

    IOException e =
        catchThrowableOfType(IOException.class, () -> store("hf:owner/repo/tiny.gguf").resolve());

    assertThat(e)
        .hasMessage(
            "the download of "
                + server.url()
                + "/owner/repo/resolve/main/tiny.gguf is corrupt: "
                + "its sha256 is "
                + sha256(model)
                + " but "
                + wrong
                + " was expected; the file was removed");
    assertThat(filesIn(cache.resolve("huggingface/owner/repo"))).containsExactly("tiny.gguf.lock");
  }

  @Test
  void aPinnedChecksumWinsOverTheServers() throws Exception {
    server.enqueue(serve(model, etag(sha256(model))));

    IOException e =
        catchThrowableOfType(
            IOException.class, () -> store("hf:ggml-org/tiny-llamas/stories260K.gguf").resolve());

    assertThat(e)
        .hasMessageContaining(
            "but " + dev.completions.tck.TestModels.STORIES_260K_SHA256 + " was expected");
  }

  @Test
  void offlineTheErrorSaysHowToUseALocalFile() throws Exception {
    int closed;
    try (ServerSocket socket = new ServerSocket(0)) {
      closed = socket.getLocalPort();
    }
    Downloader downloader =
        new Downloader(new PrintStream(progress), System::nanoTime, Duration.ofSeconds(2));
    ModelStore store =
        new ModelStore(
            "hf:owner/repo/tiny.gguf", cache, URI.create("http://127.0.0.1:" + closed), downloader);

    IOException e = catchThrowableOfType(IOException.class, store::resolve);

    assertThat(e.getMessage())
        .startsWith(
            "cannot download http://127.0.0.1:" + closed + "/owner/repo/resolve/main/tiny.gguf")
        .doesNotContain("partial")
        .endsWith("). Offline? Set local.model or LOCAL_MODEL to a .gguf file on disk");
  }

  @Test
  void aMalformedHubSpecIsRefusedNamingTheForm() {
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> store("hf:just-a-file.gguf"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "local.model: a Hugging Face model is hf:OWNER/REPO/FILE.gguf, got 'hf:just-a-file.gguf'");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "hf:../../NAME.gguf | OWNER | ..",
        "hf:owner/../x.gguf | REPO | ..",
        "hf:owner/repo/.. | FILE | ..",
        "hf:owner/./x.gguf | REPO | .",
        "hf:owner//x.gguf | REPO | ''",
        "hf:own\\er/repo/x.gguf | OWNER | own\\er"
      })
  void aHubSpecWhosePartsAreNotPlainNamesIsRefusedNamingThePart(
      String spec, String field, String part) {
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> store(spec))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "local.model: "
                + field
                + " in hf:OWNER/REPO/FILE.gguf must be a plain name (not empty, not '.' or"
                + " '..', no '/' or '\\'), got '"
                + part
                + "' in '"
                + spec
                + "'");
  }

  @Test
  void aDownloadThatIsNotGgufIsRemovedAndTheErrorSaysSo() throws Exception {
    byte[] page = "<html>Sign in to continue</html>".getBytes(StandardCharsets.UTF_8);
    server.enqueue(serve(page));

    IOException e =
        catchThrowableOfType(IOException.class, () -> store("hf:owner/repo/tiny.gguf").resolve());

    Path part = cache.resolve("huggingface/owner/repo/tiny.gguf.part");
    assertThat(e)
        .hasMessage(
            "the download of "
                + server.url()
                + "/owner/repo/resolve/main/tiny.gguf is not a usable"
                + " model: "
                + part
                + " is not a GGUF model (it does not start with \"GGUF\"); the file was removed");
    assertThat(filesIn(cache.resolve("huggingface/owner/repo"))).containsExactly("tiny.gguf.lock");
  }

  @Test
  void theChecksumSentWithARedirectIsVerifiedBeforeTheRename() throws Exception {
    String wrong = "1".repeat(64);
    server.enqueue(
        exchange ->
            exchange.raw(
                "HTTP/1.1 302 Found\r\nLocation: /cdn/tiny.gguf\r\n"
                    + etag(wrong)
                    + "\r\nContent-Length: 0\r\n\r\n"));
    server.enqueue(serve(model));

    IOException e =
        catchThrowableOfType(IOException.class, () -> store("hf:owner/repo/tiny.gguf").resolve());

    assertThat(e).hasMessageEndingWith("but " + wrong + " was expected; the file was removed");
    assertThat(server.takeRequest().path()).isEqualTo("/owner/repo/resolve/main/tiny.gguf");
    assertThat(server.takeRequest().path()).isEqualTo("/cdn/tiny.gguf");
    assertThat(filesIn(cache.resolve("huggingface/owner/repo"))).containsExactly("tiny.gguf.lock");
  }

  @Test
  void aDownloadShorterThanTheLinkedSizeIsKeptForResumingAndNotRenamed() throws Exception {
    server.enqueue(serve(model, "X-Linked-Size: " + (model.length + 100)));

    IOException e =
        catchThrowableOfType(IOException.class, () -> store("hf:owner/repo/tiny.gguf").resolve());

    assertThat(e)
        .hasMessage(
            "the download of "
                + server.url()
                + "/owner/repo/resolve/main/tiny.gguf ended early at "
                + model.length
                + " of "
                + (model.length + 100)
                + " bytes; the partial download is kept and resumed next time");
    assertThat(filesIn(cache.resolve("huggingface/owner/repo")))
        .containsExactlyInAnyOrder("tiny.gguf.lock", "tiny.gguf.part");
  }

  /**
   * Resolves a model spec against a server into a cache, printing progress and the file on standard
   * output.
   */
  static final class DownloadChild {
    public static void main(String[] args) throws IOException {
      Downloader downloader = new Downloader(System.out, System::nanoTime, Duration.ofSeconds(60));
      System.out.println(
          "resolved "
              + new ModelStore(args[2], Path.of(args[0]), URI.create(args[1]), downloader)
                  .resolve());
    }
  }

  @Test
  void concurrentFirstDownloadsInTwoProcessesFetchOnceAndBothUseTheFile() throws Exception {
    CountDownLatch requested = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    LoopbackServer.Script file = serve(model, etag(sha256(model)));
    server.enqueue(
        exchange -> {
          requested.countDown();
          release.await(60, TimeUnit.SECONDS);
          file.answer(exchange);
        });
    String[] args = {cache.toString(), server.url().toString(), "hf:owner/repo/tiny.gguf"};
    String resolved = "resolved " + cache.resolve("huggingface/owner/repo/tiny.gguf");

    try (ChildJvm first = ChildJvm.start(DownloadChild.class, Map.of(), args)) {
      assertThat(requested.await(60, TimeUnit.SECONDS)).isTrue();
      try (ChildJvm second = ChildJvm.start(DownloadChild.class, Map.of(), args)) {
        second.awaitLine("Waiting for another download of tiny.gguf to finish");
        release.countDown();

        assertThat(first.awaitExit()).as(String.join("\n", first.lines())).isZero();
        assertThat(second.awaitExit()).as(String.join("\n", second.lines())).isZero();
        assertThat(first.lines()).contains(resolved);
        assertThat(second.lines()).contains(resolved);
      }
    }
    assertThat(server.requestCount()).isEqualTo(1);
    assertThat(Files.readAllBytes(cache.resolve("huggingface/owner/repo/tiny.gguf")))
        .isEqualTo(model);
  }

  private static List<String> filesIn(Path folder) throws IOException {
    try (Stream<Path> files = Files.list(folder)) {
      return files.map(file -> file.getFileName().toString()).toList();
    }
  }
}
