package dev.completions.local;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * Downloads a model file: into {@code FILE.part}, resuming a partial download with a Range request,
 * showing progress (bytes, rate, ETA) on standard error, and renaming it to {@code FILE} only once
 * verified: its size against {@code X-Linked-Size} or {@code Content-Length}, its sha256 against
 * the pinned one or the server's ({@code X-Linked-Etag}, else a sha256 {@code ETag}), and its GGUF
 * header. Redirects (up to five, http and https only) are followed here, because Hugging Face sends
 * the {@code X-Linked-*} headers on the redirect, not on the file. Not thread-safe: {@link
 * ModelStore} holds a cross-process lock around each download.
 */
final class Downloader {

  /** Why a download failed; the message says what to do instead. */
  static final class DownloadException extends IOException {
    private static final long serialVersionUID = 1L;

    DownloadException(String message, Throwable cause) {
      super(message, cause);
    }
  }

  private static final Duration PROGRESS_EVERY = Duration.ofMillis(500);
  private static final int MAX_REDIRECTS = 5;

  private final PrintStream progress;
  private final LongSupplier clock;
  private final Duration timeout;

  Downloader(PrintStream progress, LongSupplier nanoClock, Duration timeout) {
    this.progress = progress;
    this.clock = nanoClock;
    this.timeout = timeout;
  }

  /** Says that another process or thread is downloading {@code name} and this one waits for it. */
  void waitingForAnotherDownload(String name) {
    progress.println("Waiting for another download of " + name + " to finish");
    progress.flush();
  }

  /**
   * Makes {@code target} hold the file at {@code url}; nothing unverified is ever given that name.
   *
   * @param expectedSha256 the pinned checksum in hex, or null to trust the server's when it sends
   *     one
   * @throws DownloadException when the download fails (a partial download is kept for resuming), or
   *     when the file is corrupt or not a GGUF model (it is then removed)
   */
  void download(URI url, Path target, String expectedSha256) throws IOException {
    Files.createDirectories(target.getParent());
    Path part = target.resolveSibling(target.getFileName() + ".part");
    long have = Files.exists(part) ? Files.size(part) : 0;
    Opened opened = null;
    try {
      opened = open(url, have);
      HttpURLConnection http = opened.http();
      int status = http.getResponseCode();
      boolean resumed = status == 206;
      if (status == 416 && have > 0) {
        Files.delete(part);
        throw new DownloadException(
            "the partial download of "
                + url
                + " no longer matches the server's file; "
                + "it was removed, try again",
            null);
      }
      if (status != 200 && status != 206) {
        throw new DownloadException("downloading " + url + " failed with HTTP " + status, null);
      }
      if (!resumed) {
        have = 0;
      }
      String expected = expectedSha256 != null ? expectedSha256 : opened.sha256();
      long length = http.getContentLengthLong();
      long total = opened.size() >= 0 ? opened.size() : length < 0 ? -1 : have + length;
      try (InputStream in = http.getInputStream();
          OutputStream out =
              Files.newOutputStream(
                  part,
                  StandardOpenOption.CREATE,
                  StandardOpenOption.WRITE,
                  resumed ? StandardOpenOption.APPEND : StandardOpenOption.TRUNCATE_EXISTING)) {
        copy(in, out, target.getFileName().toString(), have, total);
      }
      verify(url, part, total, expected);
      Files.move(part, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (DownloadException e) {
      throw e;
    } catch (IOException e) {
      boolean partial = Files.exists(part) && Files.size(part) > 0;
      throw new DownloadException(
          "cannot download "
              + url
              + " ("
              + e
              + ")"
              + (partial ? "; the partial download is kept and resumed next time" : "")
              + ". Offline? Set local.model or LOCAL_MODEL to a .gguf file on disk",
          e);
    } finally {
      if (opened != null) {
        opened.http().disconnect();
      }
    }
  }

  /**
   * The response to a GET of {@code url} after redirects, with the X-Linked headers seen on the
   * way.
   */
  private record Opened(HttpURLConnection http, String sha256, long size) {}

  private Opened open(URI url, long from) throws IOException {
    URI current = url;
    String sha256 = null;
    long size = -1;
    for (int redirects = 0; ; redirects++) {
      HttpURLConnection http = (HttpURLConnection) current.toURL().openConnection();
      http.setConnectTimeout((int) timeout.toMillis());
      http.setReadTimeout((int) timeout.toMillis());
      http.setInstanceFollowRedirects(false);
      http.setRequestProperty("User-Agent", "completions-local/0.1");
      if (from > 0) {
        http.setRequestProperty("Range", "bytes=" + from + "-");
      }
      int status = http.getResponseCode();
      sha256 = sha256 != null ? sha256 : serverChecksum(http);
      size = size >= 0 ? size : linkedSize(http);
      String location = http.getHeaderField("Location");
      if (status / 100 != 3 || location == null) {
        return new Opened(http, sha256, size);
      }
      http.disconnect();
      URI next = current.resolve(location);
      if (redirects == MAX_REDIRECTS
          || !(next.getScheme().equalsIgnoreCase("http")
              || next.getScheme().equalsIgnoreCase("https"))) {
        throw new DownloadException(
            "downloading "
                + url
                + " was redirected "
                + (redirects == MAX_REDIRECTS
                    ? "more than " + MAX_REDIRECTS + " times"
                    : "to " + next + ", which is not http or https"),
            null);
      }
      current = next;
    }
  }

  /** Removes the part file, or keeps it for resuming, when it is not the whole, right model. */
  private static void verify(URI url, Path part, long total, String expectedSha256)
      throws IOException {
    long size = Files.size(part);
    if (total >= 0 && size < total) {
      throw new DownloadException(
          "the download of "
              + url
              + " ended early at "
              + size
              + " of "
              + total
              + " bytes; the partial download is kept and resumed next time",
          null);
    }
    if (total >= 0 && size > total) {
      Files.delete(part);
      throw new DownloadException(
          "the download of "
              + url
              + " has "
              + size
              + " bytes but the server announced "
              + total
              + "; the file was removed",
          null);
    }
    if (expectedSha256 != null) {
      String actual = sha256(part);
      if (!actual.equalsIgnoreCase(expectedSha256)) {
        Files.delete(part);
        throw new DownloadException(
            "the download of "
                + url
                + " is corrupt: its sha256 is "
                + actual
                + " but "
                + expectedSha256
                + " was expected; the file was removed",
            null);
      }
    }
    try {
      GgufHeader.read(part);
    } catch (GgufHeader.InvalidModelException e) {
      Files.delete(part);
      throw new DownloadException(
          "the download of "
              + url
              + " is not a usable model: "
              + e.getMessage()
              + "; the file was removed",
          null);
    }
  }

  private void copy(InputStream in, OutputStream out, String name, long start, long total)
      throws IOException {
    byte[] buffer = new byte[1 << 16];
    long done = start;
    long began = clock.getAsLong();
    long lastReport = began;
    int n;
    while ((n = in.read(buffer)) >= 0) {
      out.write(buffer, 0, n);
      done += n;
      long now = clock.getAsLong();
      if (now - lastReport >= PROGRESS_EVERY.toNanos()) {
        report(name, start, done, total, now - began);
        lastReport = now;
      }
    }
    report(name, start, done, total, Math.max(1, clock.getAsLong() - began));
    progress.println();
  }

  private void report(String name, long start, long done, long total, long elapsedNanos) {
    double rate = (done - start) / Math.max(1e-9, elapsedNanos / 1e9);
    String eta = total > 0 && rate > 0 ? formatDuration((long) ((total - done) / rate)) : "?";
    progress.print(
        String.format(
            Locale.ROOT,
            "\rDownloading %s: %s / %s, %s/s, ETA %s   ",
            name,
            bytes(done),
            total < 0 ? "?" : bytes(total),
            bytes((long) rate),
            eta));
    progress.flush();
  }

  static String bytes(long n) {
    if (n < 1024) {
      return n + " B";
    }
    if (n < 1024 * 1024) {
      return String.format(Locale.ROOT, "%.1f KiB", n / 1024.0);
    }
    return String.format(Locale.ROOT, "%.1f MiB", n / (1024.0 * 1024));
  }

  private static String formatDuration(long seconds) {
    return seconds >= 60 ? (seconds / 60) + "m" + (seconds % 60) + "s" : seconds + "s";
  }

  /** Hugging Face sends a large file's size as {@code X-Linked-Size}; -1 when absent. */
  private static long linkedSize(HttpURLConnection http) {
    String value = http.getHeaderField("X-Linked-Size");
    return value != null && value.strip().matches("\\d{1,18}") ? Long.parseLong(value.strip()) : -1;
  }

  /** Hugging Face sends a file's sha256 as {@code X-Linked-Etag} (large files) or {@code ETag}. */
  private static String serverChecksum(HttpURLConnection http) {
    for (String header : new String[] {"X-Linked-Etag", "ETag"}) {
      String value = http.getHeaderField(header);
      if (value != null) {
        String hex = value.replace("\"", "").replace("W/", "").strip();
        if (hex.matches("[0-9a-fA-F]{64}")) {
          return hex;
        }
      }
    }
    return null;
  }

  static String sha256(Path file) throws IOException {
    MessageDigest digest = sha256();
    try (InputStream in = Files.newInputStream(file)) {
      byte[] buffer = new byte[1 << 16];
      int n;
      while ((n = in.read(buffer)) >= 0) {
        digest.update(buffer, 0, n);
      }
    }
    return HexFormat.of().formatHex(digest.digest());
  }

  static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }
}
