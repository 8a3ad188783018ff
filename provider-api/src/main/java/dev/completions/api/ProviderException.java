package dev.completions.api;

import java.time.Duration;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * A failure of a provider, typed so callers can act on it: catch a subclass (for example {@link
 * RateLimited}) or switch on {@link #kind()}. Every instance says whether a retry may help, which
 * provider failed, the HTTP status where there was one, and the text delivered before a mid-stream
 * failure. Messages never contain secrets. Immutable.
 */
public abstract sealed class ProviderException extends RuntimeException
    permits ProviderException.AuthenticationFailed,
        ProviderException.RateLimited,
        ProviderException.QuotaExhausted,
        ProviderException.ModelNotFound,
        ProviderException.BadRequest,
        ProviderException.ContentFiltered,
        ProviderException.ServerError,
        ProviderException.Timeout,
        ProviderException.ConnectionFailed,
        ProviderException.ProtocolError,
        ProviderException.EmptyAnswer,
        ProviderException.Cancelled {

  private static final long serialVersionUID = 1L;

  /** The kinds of failure; {@link #wireName()} is the stable name used in machine output. */
  public enum Kind {
    /** Credentials missing or refused (HTTP 401/403). */
    AUTH("auth", false),
    /** Too many requests (HTTP 429); see {@link #retryAfter()}. */
    RATE_LIMIT("rate_limit", true),
    /** The account's quota or credit is used up; waiting does not help. */
    QUOTA("quota", false),
    /** The model (or the endpoint) does not exist. */
    MODEL_NOT_FOUND("model_not_found", false),
    /** The provider refused the request as malformed. */
    BAD_REQUEST("bad_request", false),
    /** The provider's content filter refused the prompt or the answer. */
    CONTENT_FILTER("content_filter", false),
    /** The provider failed (HTTP 5xx or an error reported inside the stream). */
    SERVER("server", true),
    /** Connecting, the first byte, or the next event took too long. */
    TIMEOUT("timeout", true),
    /** The connection could not be made or broke. */
    CONNECTION("connection", true),
    /** The answer broke the wire protocol (malformed event, invalid JSON, oversized event). */
    PROTOCOL("protocol", false),
    /** The answer ended without text, tool call or refusal. */
    EMPTY("empty", true),
    /** The caller closed the stream or interrupted the reading thread. */
    CANCELLED("cancelled", false);

    private final String wireName;
    private final boolean retryableByDefault;

    Kind(String wireName, boolean retryableByDefault) {
      this.wireName = wireName;
      this.retryableByDefault = retryableByDefault;
    }

    /** {@return the stable lower-case name, e.g. {@code rate_limit}} */
    public String wireName() {
      return wireName;
    }

    /**
     * {@return whether failures of this kind are worth retrying unless the provider says otherwise}
     */
    public boolean retryableByDefault() {
      return retryableByDefault;
    }
  }

  /**
   * @serial what kind of failure this is
   */
  private final Kind kind;

  /**
   * @serial the name of the provider that failed
   */
  private final String provider;

  /**
   * @serial the HTTP status, or 0
   */
  private final int httpStatus;

  /**
   * @serial whether repeating the request may succeed
   */
  private final boolean retryable;

  /**
   * @serial the text delivered before the failure
   */
  private final String partialText;

  /**
   * @serial the wait the provider asked for, or null
   */
  private final Duration retryAfter;

  /**
   * @serial the attempts made, at least 1
   */
  private final int attempts;

  /**
   * @serial the explanation without the provider prefix
   */
  private final String detail;

  private ProviderException(Builder builder) {
    super("[" + builder.provider + "] " + builder.message, builder.cause);
    this.detail = builder.message;
    this.kind = builder.kind;
    this.provider = builder.provider;
    this.httpStatus = builder.httpStatus;
    this.retryable = builder.retryable;
    this.partialText = builder.partialText;
    this.retryAfter = builder.retryAfter;
    this.attempts = builder.attempts;
  }

  /** {@return what kind of failure this is; matches the subclass} */
  public Kind kind() {
    return kind;
  }

  /** {@return the explanation without the {@code [provider]} prefix of {@link #getMessage()}} */
  public String detail() {
    return detail;
  }

  /** {@return the name of the provider that failed} */
  public String provider() {
    return provider;
  }

  /** {@return the HTTP status of the failed exchange, if the failure came with one} */
  public OptionalInt httpStatus() {
    return httpStatus > 0 ? OptionalInt.of(httpStatus) : OptionalInt.empty();
  }

  /** {@return whether repeating the same request may succeed} */
  public boolean isRetryable() {
    return retryable;
  }

  /** {@return the answer text delivered to the caller before the failure; "" when none} */
  public String partialText() {
    return partialText;
  }

  /** {@return how long the provider asked the caller to wait, when it said so} */
  public Optional<Duration> retryAfter() {
    return Optional.ofNullable(retryAfter);
  }

  /** {@return how many attempts were made before giving up (at least 1)} */
  public int attempts() {
    return attempts;
  }

  /** {@return a builder holding this exception's values, with this exception as the cause} */
  public Builder toBuilder() {
    return builder(kind, provider)
        .message(detail)
        .httpStatus(httpStatus)
        .retryable(retryable)
        .partialText(partialText)
        .retryAfter(retryAfter)
        .attempts(attempts)
        .cause(this);
  }

  /**
   * Starts building an exception of the given kind; {@link Builder#build()} returns the matching
   * subclass. Retryability defaults to {@link Kind#retryableByDefault()}.
   *
   * @param kind the kind of failure
   * @param provider the name of the provider that failed
   * @return the builder
   */
  public static Builder builder(Kind kind, String provider) {
    return new Builder(kind, provider);
  }

  /** Builds {@link ProviderException}s. Not thread-safe. */
  public static final class Builder {
    private final Kind kind;
    private final String provider;
    private String message;
    private Throwable cause;
    private int httpStatus;
    private boolean retryable;
    private String partialText = "";
    private Duration retryAfter;
    private int attempts = 1;

    private Builder(Kind kind, String provider) {
      if (kind == null || provider == null) {
        throw new IllegalArgumentException("kind and provider must not be null");
      }
      this.kind = kind;
      this.provider = provider;
      this.message = kind.wireName().replace('_', ' ');
      this.retryable = kind.retryableByDefault();
    }

    /**
     * The human-readable explanation; it must not contain secrets.
     *
     * @param message the explanation
     * @return this builder
     */
    public Builder message(String message) {
      this.message = message;
      return this;
    }

    /**
     * The underlying cause.
     *
     * @param cause the cause
     * @return this builder
     */
    public Builder cause(Throwable cause) {
      this.cause = cause;
      return this;
    }

    /**
     * The HTTP status, or 0 for none.
     *
     * @param httpStatus the status, or 0
     * @return this builder
     */
    public Builder httpStatus(int httpStatus) {
      this.httpStatus = httpStatus;
      return this;
    }

    /**
     * Whether a retry may help.
     *
     * @param retryable true when a retry may help
     * @return this builder
     */
    public Builder retryable(boolean retryable) {
      this.retryable = retryable;
      return this;
    }

    /**
     * The text delivered before the failure.
     *
     * @param partialText the text
     * @return this builder
     */
    public Builder partialText(String partialText) {
      this.partialText = partialText == null ? "" : partialText;
      return this;
    }

    /**
     * The wait the provider asked for, or null.
     *
     * @param retryAfter the wait, or null
     * @return this builder
     */
    public Builder retryAfter(Duration retryAfter) {
      this.retryAfter = retryAfter;
      return this;
    }

    /**
     * The number of attempts made, at least 1.
     *
     * @param attempts the number of attempts
     * @return this builder
     */
    public Builder attempts(int attempts) {
      this.attempts = Math.max(1, attempts);
      return this;
    }

    /** {@return the exception, as the subclass matching the kind} */
    public ProviderException build() {
      return switch (kind) {
        case AUTH -> new AuthenticationFailed(this);
        case RATE_LIMIT -> new RateLimited(this);
        case QUOTA -> new QuotaExhausted(this);
        case MODEL_NOT_FOUND -> new ModelNotFound(this);
        case BAD_REQUEST -> new BadRequest(this);
        case CONTENT_FILTER -> new ContentFiltered(this);
        case SERVER -> new ServerError(this);
        case TIMEOUT -> new Timeout(this);
        case CONNECTION -> new ConnectionFailed(this);
        case PROTOCOL -> new ProtocolError(this);
        case EMPTY -> new EmptyAnswer(this);
        case CANCELLED -> new Cancelled(this);
      };
    }
  }

  /** {@link Kind#AUTH}: credentials missing or refused. */
  public static final class AuthenticationFailed extends ProviderException {
    private static final long serialVersionUID = 1L;

    AuthenticationFailed(Builder builder) {
      super(builder);
    }
  }

  /** {@link Kind#RATE_LIMIT}: too many requests; see {@link #retryAfter()}. */
  public static final class RateLimited extends ProviderException {
    private static final long serialVersionUID = 1L;

    RateLimited(Builder builder) {
      super(builder);
    }
  }

  /** {@link Kind#QUOTA}: quota or credit used up. */
  public static final class QuotaExhausted extends ProviderException {
    private static final long serialVersionUID = 1L;

    QuotaExhausted(Builder builder) {
      super(builder);
    }
  }

  /** {@link Kind#MODEL_NOT_FOUND}: the model or endpoint does not exist. */
  public static final class ModelNotFound extends ProviderException {
    private static final long serialVersionUID = 1L;

    ModelNotFound(Builder builder) {
      super(builder);
    }
  }

  /** {@link Kind#BAD_REQUEST}: the provider refused the request. */
  public static final class BadRequest extends ProviderException {
    private static final long serialVersionUID = 1L;

    BadRequest(Builder builder) {
      super(builder);
    }
  }

  /** {@link Kind#CONTENT_FILTER}: refused by a content filter. */
  public static final class ContentFiltered extends ProviderException {
    private static final long serialVersionUID = 1L;

    ContentFiltered(Builder builder) {
      super(builder);
    }
  }

  /** {@link Kind#SERVER}: the provider failed. */
  public static final class ServerError extends ProviderException {
    private static final long serialVersionUID = 1L;

    ServerError(Builder builder) {
      super(builder);
    }
  }

  /** {@link Kind#TIMEOUT}: connecting, the first byte or the next event took too long. */
  public static final class Timeout extends ProviderException {
    private static final long serialVersionUID = 1L;

    Timeout(Builder builder) {
      super(builder);
    }
  }

  /** {@link Kind#CONNECTION}: the connection could not be made or broke. */
  public static final class ConnectionFailed extends ProviderException {
    private static final long serialVersionUID = 1L;

    ConnectionFailed(Builder builder) {
      super(builder);
    }
  }

  /** {@link Kind#PROTOCOL}: the answer broke the wire protocol. */
  public static final class ProtocolError extends ProviderException {
    private static final long serialVersionUID = 1L;

    ProtocolError(Builder builder) {
      super(builder);
    }
  }

  /** {@link Kind#EMPTY}: the answer had no text, tool call or refusal. */
  public static final class EmptyAnswer extends ProviderException {
    private static final long serialVersionUID = 1L;

    EmptyAnswer(Builder builder) {
      super(builder);
    }
  }

  /** {@link Kind#CANCELLED}: the caller closed the stream or interrupted the reading thread. */
  public static final class Cancelled extends ProviderException {
    private static final long serialVersionUID = 1L;

    Cancelled(Builder builder) {
      super(builder);
    }
  }
}
