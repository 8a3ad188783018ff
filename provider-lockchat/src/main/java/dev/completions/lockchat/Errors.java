package dev.completions.lockchat;

import dev.completions.api.ProviderException;
import dev.completions.api.ProviderException.Kind;
import java.util.Locale;
import java.util.regex.Pattern;

/** Maps HTTP statuses, error bodies and error events to typed {@link ProviderException}s. */
final class Errors {

  private static final int BODY_EXCERPT = 200;
  private static final Pattern TAGS = Pattern.compile("<[^>]*>");
  private static final Pattern SPACES = Pattern.compile("\\s+");

  private Errors() {}

  /** Whether a text is the service's "The model: `x` does not exist" answer, for any model name. */
  static boolean isModelMissing(String text) {
    if (text == null) {
      return false;
    }
    String lower = text.toLowerCase(Locale.ROOT);
    return lower.contains("model") && lower.contains("does not exist");
  }

  /**
   * An error for an HTTP status >= 400.
   *
   * @param body the start of the response body (may be JSON, HTML or plain text)
   * @param error the decoded JSON error, or null when the body was not a JSON error
   */
  static ProviderException.Builder forStatus(String provider, int status, String body, Chunk error) {
    String detail = error != null ? errorText(error) : excerpt(body);
    String text = (error != null ? detail + " " + error.errorType + " " + error.errorCode : body).toLowerCase(Locale.ROOT);
    Kind kind;
    Boolean retryable = null;
    if (isModelMissing(text)) {
      kind = Kind.MODEL_NOT_FOUND;
      retryable = true;
    } else if (status == 400 && isContentFilter(text)) {
      kind = Kind.CONTENT_FILTER;
    } else if (status == 401 || status == 403) {
      kind = Kind.AUTH;
    } else if (status == 404) {
      kind = Kind.MODEL_NOT_FOUND;
    } else if (status == 408) {
      kind = Kind.TIMEOUT;
    } else if (status == 409) {
      kind = Kind.BAD_REQUEST;
      retryable = true;
    } else if (status == 429) {
      kind = text.contains("insufficient_quota") || text.contains("quota") ? Kind.QUOTA : Kind.RATE_LIMIT;
    } else if (status >= 500) {
      kind = Kind.SERVER;
    } else {
      kind = Kind.BAD_REQUEST;
    }
    ProviderException.Builder builder = ProviderException.builder(kind, provider)
        .httpStatus(status)
        .message("HTTP " + status + (detail.isEmpty() ? "" : ": " + detail));
    return retryable == null ? builder : builder.retryable(retryable);
  }

  /** An error reported inside the stream: a {@code data: {"error": ...}} event or {@code event: error}. */
  static ProviderException.Builder forEvent(String provider, String detail, Chunk error) {
    String text = (detail + " " + (error == null ? "" : error.errorType + " " + error.errorCode)).toLowerCase(Locale.ROOT);
    Kind kind;
    if (isModelMissing(text)) {
      kind = Kind.MODEL_NOT_FOUND;
    } else if (isContentFilter(text)) {
      kind = Kind.CONTENT_FILTER;
    } else if (text.contains("insufficient_quota")) {
      kind = Kind.QUOTA;
    } else if (text.contains("rate_limit") || text.contains("rate limit")) {
      kind = Kind.RATE_LIMIT;
    } else if (text.contains("invalid_request") || text.contains("context length") || text.contains("context_length")) {
      kind = Kind.BAD_REQUEST;
    } else if (text.contains("authentication") || text.contains("invalid_api_key")) {
      kind = Kind.AUTH;
    } else {
      kind = Kind.SERVER;
    }
    ProviderException.Builder builder =
        ProviderException.builder(kind, provider).message("error in the stream: " + detail);
    return kind == Kind.MODEL_NOT_FOUND ? builder.retryable(true) : builder;
  }

  /** The readable text of a decoded JSON error. */
  static String errorText(Chunk error) {
    StringBuilder text = new StringBuilder(error.errorMessage == null ? "unspecified error" : error.errorMessage);
    if (error.errorType != null) {
      text.append(" (type ").append(error.errorType).append(')');
    }
    if (error.errorCode != null) {
      text.append(" (code ").append(error.errorCode).append(')');
    }
    return text.toString();
  }

  /** The start of a body as one readable line: markup removed, whitespace collapsed. */
  static String excerpt(String body) {
    if (body == null) {
      return "";
    }
    String text = SPACES.matcher(TAGS.matcher(body).replaceAll(" ")).replaceAll(" ").strip();
    return text.length() <= BODY_EXCERPT ? text : text.substring(0, BODY_EXCERPT) + "…";
  }

  private static boolean isContentFilter(String lowerText) {
    return lowerText.contains("content_filter") || lowerText.contains("content_policy")
        || lowerText.contains("content management policy") || lowerText.contains("content filter");
  }
}
