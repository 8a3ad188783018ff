package dev.completions.cli;

import dev.completions.api.ContentPart;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Locale;

/**
 * The images of {@code --image PATH|URL}: an {@code http:} or {@code https:} URL is passed on as a
 * URL; anything else is a file, read whole and sent inline with the media type its first bytes show
 * (PNG, JPEG, GIF or WebP, whatever its name says). A file that is missing, larger than {@value
 * #MAX_BYTES} bytes (20 MB) or not one of those images is an {@link IllegalArgumentException}
 * naming it, before any request is sent. Stateless.
 */
final class Images {

  /** The largest image file sent inline: 20 MB (20 × 2²⁰ bytes), OpenAI's limit per image. */
  static final long MAX_BYTES = 20L * 1024 * 1024;

  private Images() {}

  /** The image that {@code --image ARGUMENT} names. */
  static ContentPart image(String argument) {
    String source = "--image " + argument;
    String lower = argument.toLowerCase(Locale.ROOT);
    if (lower.startsWith("http://") || lower.startsWith("https://")) {
      try {
        URI url = new URI(argument);
        if (url.getHost() == null) {
          throw new IllegalArgumentException(source + ": not a URL: it names no host");
        }
        return ContentPart.image(url);
      } catch (URISyntaxException e) {
        throw new IllegalArgumentException(source + ": not a URL: " + e.getMessage(), e);
      }
    }
    Path file;
    try {
      file = Path.of(argument);
    } catch (InvalidPathException e) {
      throw new IllegalArgumentException(
          source + ": not a file name or an http(s) URL: " + e.getMessage(), e);
    }
    if (Files.isDirectory(file)) {
      throw new IllegalArgumentException(source + ": is a directory, not an image file");
    }
    byte[] bytes = read(file, source);
    String mediaType = mediaType(bytes);
    if (mediaType == null) {
      throw new IllegalArgumentException(
          source
              + ": "
              + (bytes.length == 0
                  ? "is empty, not an image"
                  : "is not a PNG, JPEG, GIF or WebP image (judged by its content, not its name)"));
    }
    return ContentPart.image(bytes, mediaType);
  }

  /**
   * The file's bytes, refusing one over the limit before reading it (and one that grew past it
   * while read).
   */
  private static byte[] read(Path file, String source) {
    try {
      long size = Files.size(file);
      if (size > MAX_BYTES) {
        throw tooLarge(source, size);
      }
      try (InputStream in = Files.newInputStream(file)) {
        byte[] bytes = in.readNBytes((int) MAX_BYTES + 1);
        if (bytes.length > MAX_BYTES) {
          throw tooLarge(source, Math.max(size, bytes.length));
        }
        return bytes;
      }
    } catch (NoSuchFileException e) {
      throw new IllegalArgumentException(source + ": no such file (and not an http(s) URL)");
    } catch (IOException e) {
      throw new IllegalArgumentException(
          source + ": cannot be read: " + e.getClass().getSimpleName() + " " + e.getMessage(), e);
    }
  }

  private static IllegalArgumentException tooLarge(String source, long size) {
    return new IllegalArgumentException(
        source
            + ": is "
            + size
            + " bytes; an image file may have at most "
            + MAX_BYTES
            + " (20 MB)");
  }

  /**
   * The media type the bytes begin with: {@code image/png}, {@code image/jpeg}, {@code image/gif}
   * or {@code image/webp}; null for anything else.
   */
  static String mediaType(byte[] bytes) {
    if (startsWith(bytes, 0, 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A)) {
      return "image/png";
    }
    if (startsWith(bytes, 0, 0xFF, 0xD8, 0xFF)) {
      return "image/jpeg";
    }
    if (startsWith(bytes, 0, 'G', 'I', 'F', '8', '7', 'a')
        || startsWith(bytes, 0, 'G', 'I', 'F', '8', '9', 'a')) {
      return "image/gif";
    }
    if (startsWith(bytes, 0, 'R', 'I', 'F', 'F') && startsWith(bytes, 8, 'W', 'E', 'B', 'P')) {
      return "image/webp";
    }
    return null;
  }

  private static boolean startsWith(byte[] bytes, int offset, int... signature) {
    if (bytes.length < offset + signature.length) {
      return false;
    }
    for (int i = 0; i < signature.length; i++) {
      if ((bytes[offset + i] & 0xFF) != signature[i]) {
        return false;
      }
    }
    return true;
  }
}
