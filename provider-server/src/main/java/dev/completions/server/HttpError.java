package dev.completions.server;

import dev.completions.api.ProviderException;
import java.time.Duration;

/**
 * A request answered with an error in OpenAI's shape, {@code {"error":{"message", "type", "param",
 * "code"}}}. Thrown inside the gateway and turned into the response by {@link Gateway}; its message
 * never holds a secret (provider messages are redacted by their providers). Immutable.
 */
final class HttpError extends RuntimeException {
  private static final long serialVersionUID = 1L;

  final int status;
  final String type;
  final String code;
  final String param;
  final transient Duration retryAfter;

  HttpError(int status, String type, String code, String param, String message) {
    this(status, type, code, param, message, null, null);
  }

  private HttpError(
      int status,
      String type,
      String code,
      String param,
      String message,
      Duration retryAfter,
      Throwable cause) {
    super(message, cause, false, false);
    this.status = status;
    this.type = type;
    this.code = code;
    this.param = param;
    this.retryAfter = retryAfter;
  }

  /** A 400 for a field of the request: {@code param} names it. */
  static HttpError badRequest(String param, String message) {
    return new HttpError(400, "invalid_request_error", null, param, message);
  }

  /**
   * The field an {@link IllegalArgumentException} of ours names at its start ({@code "max_tokens:
   * ..."}, {@code "option 'seed' ..."}), or null.
   */
  static String field(String message) {
    if (message == null) {
      return null;
    }
    java.util.regex.Matcher named =
        java.util.regex.Pattern.compile("^(?:option '([a-z_]+)'|([a-z_]+)[:\\[. ])")
            .matcher(message);
    if (!named.find()) {
      return null;
    }
    return named.group(1) != null ? named.group(1) : named.group(2);
  }

  /** A 404 for a path, a provider or a model that is not there. */
  static HttpError notFound(String code, String param, String message) {
    return new HttpError(404, "invalid_request_error", code, param, message);
  }

  /**
   * The status, type and code of a provider's failure, by its kind: auth 401; rate limit 429 with
   * {@code Retry-After}; quota 429 ({@code insufficient_quota}); model not found 404; bad request
   * 400; content filter 400 ({@code content_filter}); timeout 504; server, connection, protocol and
   * empty 502; cancelled 503 (the gateway is closing, or the client went away).
   */
  static HttpError of(ProviderException e) {
    String kind = e.kind().wireName();
    return switch (e.kind()) {
      case AUTH -> from(e, 401, "authentication_error", kind);
      case RATE_LIMIT -> from(e, 429, "rate_limit_error", "rate_limit_exceeded");
      case QUOTA -> from(e, 429, "insufficient_quota", "insufficient_quota");
      case MODEL_NOT_FOUND -> from(e, 404, "invalid_request_error", "model_not_found");
      case BAD_REQUEST -> from(e, 400, "invalid_request_error", kind);
      case CONTENT_FILTER -> from(e, 400, "invalid_request_error", "content_filter");
      case TIMEOUT -> from(e, 504, "server_error", kind);
      case SERVER, CONNECTION, PROTOCOL, EMPTY -> from(e, 502, "server_error", kind);
      case CANCELLED -> from(e, 503, "server_error", kind);
    };
  }

  private static HttpError from(ProviderException e, int status, String type, String code) {
    return new HttpError(status, type, code, null, e.getMessage(), e.retryAfter().orElse(null), e);
  }
}
