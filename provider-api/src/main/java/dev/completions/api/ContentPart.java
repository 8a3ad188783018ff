package dev.completions.api;

import java.net.URI;
import java.util.Arrays;
import java.util.Locale;

/** One part of a message's content: text, or an image. Immutable and thread-safe. */
public sealed interface ContentPart {

  /**
   * A text part.
   *
   * @param text the text
   * @return the part
   */
  static ContentPart text(String text) {
    return new Text(text);
  }

  /**
   * An image at a URL ({@code https:} or a {@code data:} URI), with the provider's default detail.
   *
   * @param url the image's URL
   * @return the part
   */
  static ContentPart image(URI url) {
    return new Image(url, null, null, Detail.AUTO);
  }

  /**
   * An image given as bytes, sent inline.
   *
   * @param mediaType such as {@code image/png}
   * @param data the image's bytes (copied)
   * @return the part
   */
  static ContentPart image(byte[] data, String mediaType) {
    return new Image(null, data, mediaType, Detail.AUTO);
  }

  /**
   * Text.
   *
   * @param text never null (it may be empty)
   */
  record Text(String text) implements ContentPart {
    /**
     * @param text never null (it may be empty)
     * @throws IllegalArgumentException when the text is null
     */
    public Text {
      if (text == null) {
        throw new IllegalArgumentException("content: text must not be null (use \"\")");
      }
    }
  }

  /** How closely the model looks at an image: {@code auto}, {@code low} or {@code high}. */
  enum Detail {
    /** The provider decides. */
    AUTO,
    /** A low-resolution look, cheaper. */
    LOW,
    /** A high-resolution look. */
    HIGH;

    /** {@return the lower-case name chat APIs use} */
    public String wireName() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /**
   * An image: either a URL, or bytes with their media type.
   *
   * @param url the image's URL, or null when bytes are given
   * @param data the image's bytes (copied), or null when a URL is given
   * @param mediaType the bytes' media type, {@code image/...}; null with a URL
   * @param detail how closely to look; never null
   */
  record Image(URI url, byte[] data, String mediaType, Detail detail) implements ContentPart {
    /**
     * @throws IllegalArgumentException naming the field: neither or both of URL and bytes, a URL
     *     that is not absolute, bytes without an {@code image/} media type, or a null detail
     * @param url the image's URL, or null when bytes are given
     * @param data the image's bytes (copied), or null when a URL is given
     * @param mediaType the bytes' media type, {@code image/...}; null with a URL
     * @param detail how closely to look; never null
     */
    public Image {
      if ((url == null) == (data == null)) {
        throw new IllegalArgumentException(
            "image: give either a URL or bytes with their media type");
      }
      if (url != null && !url.isAbsolute()) {
        throw new IllegalArgumentException(
            "image.url: must be an absolute URL (https: or data:), got " + url);
      }
      if (data != null
          && (mediaType == null || !mediaType.toLowerCase(Locale.ROOT).startsWith("image/"))) {
        throw new IllegalArgumentException(
            "image.mediaType: must be an image/ media type such as image/png, got "
                + (mediaType == null ? "none" : "'" + mediaType + "'"));
      }
      if (detail == null) {
        throw new IllegalArgumentException("image.detail: must be auto, low or high");
      }
      data = data == null ? null : data.clone();
    }

    /**
     * The same image with another detail level.
     *
     * @param level the detail level
     * @return the image part with that detail
     */
    public Image withDetail(Detail level) {
      return new Image(url, data, mediaType, level);
    }

    /** {@return the bytes (a copy), or null when the image is a URL} */
    @Override
    public byte[] data() {
      return data == null ? null : data.clone();
    }

    @Override
    public boolean equals(Object other) {
      return other instanceof Image image
          && java.util.Objects.equals(url, image.url)
          && Arrays.equals(data, image.data)
          && java.util.Objects.equals(mediaType, image.mediaType)
          && detail == image.detail;
    }

    @Override
    public int hashCode() {
      return java.util.Objects.hash(url, Arrays.hashCode(data), mediaType, detail);
    }

    @Override
    public String toString() {
      return "Image["
          + (url != null
              ? (url.getScheme().equals("data") ? "data: URI" : url.toString())
              : data.length + " bytes of " + mediaType)
          + ", detail="
          + detail.wireName()
          + "]";
    }
  }
}
