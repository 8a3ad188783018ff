package dev.completions.openai;

import java.util.Objects;
import java.util.Optional;

/**
 * Where a provider's secret goes on each request: nowhere, an {@code Authorization: Bearer} header,
 * a header of its own, or a query parameter. The secret may be absent (a hosted service whose key
 * variable is unset): such a provider fails before any I/O with an authentication error. Whatever
 * the placement, the secret is redacted from every message, log line and {@code toString()}.
 * Immutable and thread-safe.
 */
public sealed interface Auth {

  /** {@return the placement that sends no credentials (one shared instance)} */
  static Auth none() {
    return None.INSTANCE;
  }

  /**
   * {@code Authorization: Bearer {token}}.
   *
   * @param token the token, or null (or empty) when it is not configured
   * @return a bearer placement holding the token
   * @throws IllegalArgumentException when the token has CR, LF or NUL characters
   */
  static Auth bearer(String token) {
    return new Bearer(token);
  }

  /**
   * A header of the service's own, such as {@code x-api-key: {value}}.
   *
   * @param name the header name, not null: a header token (letters, digits and {@code
   *     -_.!#$%&'*+^`|~})
   * @param value the secret, or null (or empty) when it is not configured
   * @return a header placement holding the secret
   * @throws IllegalArgumentException when the name is not a header token or the value has CR, LF or
   *     NUL characters
   */
  static Auth header(String name, String value) {
    return new Header(name, value);
  }

  /**
   * A query parameter, such as {@code ?auth={value}}.
   *
   * @param name the parameter name, not null: letters, digits and {@code -_.!#$%&'*+^`|~}
   * @param value the secret, or null (or empty) when it is not configured
   * @return a query placement holding the secret
   * @throws IllegalArgumentException when the name is not a plain token or the value has CR, LF or
   *     NUL characters
   */
  static Auth query(String name, String value) {
    return new Query(name, value);
  }

  /**
   * {@return the secret, or empty when there is none: no auth, or not configured (null or the empty
   * string)}
   */
  Optional<String> secret();

  /**
   * The same placement with another secret; {@link #none()} stays none.
   *
   * @param secret the new secret, or null (or empty) for none configured
   * @return a new placement of the same kind and name holding {@code secret}, or this one for
   *     {@link #none()}
   * @throws IllegalArgumentException when the secret has CR, LF or NUL characters
   */
  Auth withSecret(String secret);

  /**
   * {@return whether the provider needs a secret at all: true for every placement but {@link
   * #none()}, whether or not the secret is set}
   */
  default boolean needsSecret() {
    return !(this instanceof None);
  }

  /** No credentials. */
  final class None implements Auth {
    private static final None INSTANCE = new None();

    private None() {}

    @Override
    public Optional<String> secret() {
      return Optional.empty();
    }

    @Override
    public Auth withSecret(String secret) {
      return this;
    }

    @Override
    public String toString() {
      return "none";
    }
  }

  /**
   * {@code Authorization: Bearer {token}}.
   *
   * @param token the token, or null when it is not configured
   */
  record Bearer(String token) implements Auth {
    /**
     * Checks the token.
     *
     * @param token the token, or null (or empty) when it is not configured
     * @throws IllegalArgumentException when the token has CR, LF or NUL characters
     */
    public Bearer {
      ProviderConfig.requireHeaderSafe("apiKey", token);
    }

    @Override
    public Optional<String> secret() {
      return present(token);
    }

    @Override
    public Auth withSecret(String secret) {
      return new Bearer(secret);
    }

    @Override
    public String toString() {
      return "bearer(" + shown(token) + ")";
    }
  }

  /**
   * A header of the service's own.
   *
   * @param name the header name
   * @param value the secret, or null when it is not configured
   */
  record Header(String name, String value) implements Auth {
    /**
     * Checks the name and the secret.
     *
     * @param name the header name, not null: a header token (letters, digits and {@code
     *     -_.!#$%&'*+^`|~})
     * @param value the secret, or null (or empty) when it is not configured
     * @throws IllegalArgumentException when the name is not a header token or the value has CR, LF
     *     or NUL
     */
    public Header {
      ProviderConfig.requireToken("auth header name", name);
      ProviderConfig.requireHeaderSafe("apiKey", value);
    }

    @Override
    public Optional<String> secret() {
      return present(value);
    }

    @Override
    public Auth withSecret(String secret) {
      return new Header(name, secret);
    }

    @Override
    public String toString() {
      return "header(" + name + ": " + shown(value) + ")";
    }
  }

  /**
   * A query parameter.
   *
   * @param name the parameter name
   * @param value the secret, or null when it is not configured
   */
  record Query(String name, String value) implements Auth {
    /**
     * Checks the name and the secret.
     *
     * @param name the parameter name, not null: letters, digits and {@code -_.!#$%&'*+^`|~}
     * @param value the secret, or null (or empty) when it is not configured
     * @throws IllegalArgumentException when the name is not a plain token or the value has CR, LF
     *     or NUL
     */
    public Query {
      ProviderConfig.requireToken("auth query parameter name", name);
      ProviderConfig.requireHeaderSafe("apiKey", value);
    }

    @Override
    public Optional<String> secret() {
      return present(value);
    }

    @Override
    public Auth withSecret(String secret) {
      return new Query(name, secret);
    }

    @Override
    public String toString() {
      return "query(" + name + "=" + shown(value) + ")";
    }
  }

  /**
   * Parses the declaration form used in provider files: {@code none}, {@code bearer}, {@code
   * header:NAME} or {@code query:NAME}, with no secret yet.
   *
   * @param text the declaration, not null; case matters
   * @return the placement, with its secret not configured
   * @throws NullPointerException when {@code text} is null
   * @throws IllegalArgumentException naming the allowed forms, or when the NAME is not a plain
   *     token
   */
  static Auth parse(String text) {
    Objects.requireNonNull(text, "text");
    int colon = text.indexOf(':');
    String kind = colon < 0 ? text : text.substring(0, colon);
    String name = colon < 0 ? "" : text.substring(colon + 1);
    if (kind.equals("none") && colon < 0) {
      return none();
    }
    if (kind.equals("bearer") && colon < 0) {
      return bearer(null);
    }
    if (kind.equals("header") && !name.isEmpty()) {
      return header(name, null);
    }
    if (kind.equals("query") && !name.isEmpty()) {
      return query(name, null);
    }
    throw new IllegalArgumentException(
        "must be bearer, none, header:NAME or query:NAME, got '" + text + "'");
  }

  /** A configured secret: empty when unset or "". */
  private static Optional<String> present(String secret) {
    return Optional.ofNullable(secret).filter(s -> !s.isEmpty());
  }

  /** How {@code toString()} shows a secret: never its value. */
  private static String shown(String secret) {
    return secret == null ? "unset" : "***";
  }
}
