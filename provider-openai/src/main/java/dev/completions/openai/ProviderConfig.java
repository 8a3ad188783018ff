package dev.completions.openai;

import dev.completions.api.Capability;
import dev.completions.api.ConfigSource;
import dev.completions.openai.internal.RetryPolicy;
import java.net.URI;
import java.time.Duration;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import javax.net.ssl.SSLContext;

/**
 * Everything an HTTP provider needs to know: who it is, where it sends requests, how it
 * authenticates, and its timeouts, retries and limits. Immutable and thread-safe, in the style of
 * HttpClient 5's {@code RequestConfig}: start from {@link #custom()}, change a copy with {@link
 * #toBuilder()}, and apply the user's settings with {@link #withSettings(ConfigSource)}.
 *
 * <p>The endpoint is {@link #baseUrl()} followed by {@link #path()}. The base URL ends where the
 * OpenAI SDKs' {@code base_url} ends (usually with {@code /v1}), so the default path {@code
 * /chat/completions} gives {@code https://api.groq.com/openai/v1/chat/completions}.
 *
 * <p>{@link #toString()} never shows the secret.
 */
public final class ProviderConfig {

  /** The largest {@link #maxEventBytes()} accepted: 256 MiB. */
  public static final int MAX_EVENT_BYTES_LIMIT = 256 * 1024 * 1024;

  private final String name;
  private final URI baseUrl;
  private final String path;
  private final List<String> models;
  private final String defaultModel;
  private final URI homePage;
  private final Auth auth;
  private final String apiKeyVariable;
  private final Map<String, String> headers;
  private final String userAgent;
  private final String maxTokensField;
  private final Duration connectTimeout;
  private final Duration firstByteTimeout;
  private final Duration idleTimeout;
  private final int attempts;
  private final Duration maxRetryWait;
  private final int maxEventBytes;
  private final int maxConnections;
  private final SSLContext sslContext;
  private final ErrorRules errorRules;
  private final String settingsPrefix;
  private final Set<Capability> capabilities;
  private final RetryPolicy.Sleeper retrySleeper;

  private ProviderConfig(Builder b) {
    this.name = requireName(b.name);
    this.settingsPrefix = b.settingsPrefix != null ? b.settingsPrefix : defaultPrefix(name);
    this.baseUrl = requireBaseUrl(settingsPrefix + ".url", b.baseUrl);
    this.path = b.path;
    if (path == null || !path.startsWith("/") || path.contains("?") || path.contains("#")) {
      throw new IllegalArgumentException(
          "path: must start with / and have no query or fragment, got '" + path + "'");
    }
    this.models = List.copyOf(Objects.requireNonNull(b.models, "models: must be set"));
    if (models.isEmpty() || models.stream().anyMatch(String::isBlank)) {
      throw new IllegalArgumentException(
          "models: must list at least one non-blank model id, got " + models);
    }
    this.defaultModel = b.defaultModel != null ? b.defaultModel : models.get(0);
    if (!models.contains(defaultModel)) {
      throw new IllegalArgumentException(
          "defaultModel: must be one of " + models + ", got '" + defaultModel + "'");
    }
    this.homePage =
        b.homePage != null
            ? b.homePage
            : URI.create(baseUrl.getScheme() + "://" + baseUrl.getRawAuthority());
    this.auth = Objects.requireNonNull(b.auth, "auth");
    this.apiKeyVariable = b.apiKeyVariable;
    this.headers = Map.copyOf(b.headers);
    headers.forEach(
        (header, value) -> {
          requireToken("headers", header);
          requireHeaderSafe("headers." + header, value);
        });
    this.userAgent = b.userAgent;
    requireHeaderSafe(settingsPrefix + ".userAgent", userAgent);
    if (userAgent == null || userAgent.isBlank()) {
      throw new IllegalArgumentException(settingsPrefix + ".userAgent: must be set and not blank");
    }
    this.maxTokensField = requireFieldName("maxTokensField", b.maxTokensField);
    this.connectTimeout = requirePositive(settingsPrefix + ".connectTimeout", b.connectTimeout);
    this.firstByteTimeout =
        requirePositive(settingsPrefix + ".firstByteTimeout", b.firstByteTimeout);
    this.idleTimeout = requirePositive(settingsPrefix + ".idleTimeout", b.idleTimeout);
    this.attempts = b.attempts;
    if (attempts < 1 || attempts > 100) {
      throw new IllegalArgumentException(
          settingsPrefix + ".attempts: must be between 1 and 100, got " + attempts);
    }
    this.maxRetryWait = b.maxRetryWait;
    if (maxRetryWait == null || maxRetryWait.isNegative()) {
      throw new IllegalArgumentException(
          settingsPrefix + ".maxRetryWait: must be zero or positive, got " + maxRetryWait);
    }
    this.maxEventBytes = b.maxEventBytes;
    if (maxEventBytes < 1024 || maxEventBytes > MAX_EVENT_BYTES_LIMIT) {
      throw new IllegalArgumentException(
          settingsPrefix
              + ".maxEventBytes: must be between 1024 and "
              + MAX_EVENT_BYTES_LIMIT
              + " (256 MiB), got "
              + maxEventBytes);
    }
    this.maxConnections = b.maxConnections;
    if (maxConnections < 1 || maxConnections > 10_000) {
      throw new IllegalArgumentException(
          settingsPrefix + ".maxConnections: must be between 1 and 10000, got " + maxConnections);
    }
    this.sslContext = b.sslContext;
    this.errorRules = Objects.requireNonNull(b.errorRules, "errorRules");
    this.capabilities =
        b.capabilities.isEmpty()
            ? Set.of()
            : Collections.unmodifiableSet(EnumSet.copyOf(b.capabilities));
    this.retrySleeper = b.retrySleeper;
  }

  /**
   * {@return a new builder with every default set and no name, base URL or models yet, the three
   * settings {@link Builder#build()} requires}
   */
  public static Builder custom() {
    return new Builder();
  }

  /**
   * {@return a new builder holding this configuration's values, for a changed copy; this
   * configuration stays as it is}
   */
  public Builder toBuilder() {
    return new Builder(this);
  }

  /**
   * This configuration with the user's settings applied, each looked up under {@link
   * #settingsPrefix()} (property {@code groq.url}, else variable {@code GROQ_URL}): {@code url},
   * {@code apiKey} (else the variable {@link #apiKeyVariable()}), {@code userAgent}, {@code
   * connectTimeout}, {@code firstByteTimeout}, {@code idleTimeout}, {@code attempts}, {@code
   * maxRetryWait}, {@code maxEventBytes} and {@code maxConnections}. Unset settings keep this
   * configuration's values.
   *
   * @param source where the settings are looked up, such as {@link ConfigSource#system()}; not null
   * @return a new configuration with the settings applied; this one is unchanged
   * @throws IllegalArgumentException naming the setting when a value is invalid
   */
  public ProviderConfig withSettings(ConfigSource source) {
    String p = settingsPrefix + ".";
    Builder b = toBuilder();
    source.get(p + "url").ifPresent(url -> b.baseUrl(parseUrl(p + "url", url)));
    String key =
        source
            .get(p + "apiKey")
            .or(
                () ->
                    apiKeyVariable == null
                        ? java.util.Optional.empty()
                        : source.variable(apiKeyVariable))
            .orElse(null);
    if (key != null) {
      b.auth(auth.withSecret(key));
    }
    source.get(p + "userAgent").ifPresent(b::userAgent);
    b.connectTimeout(source.duration(p + "connectTimeout", connectTimeout));
    b.firstByteTimeout(source.duration(p + "firstByteTimeout", firstByteTimeout));
    b.idleTimeout(source.duration(p + "idleTimeout", idleTimeout));
    b.attempts(source.integer(p + "attempts", attempts));
    b.maxRetryWait(source.duration(p + "maxRetryWait", maxRetryWait));
    b.maxEventBytes(source.integer(p + "maxEventBytes", maxEventBytes));
    b.maxConnections(source.integer(p + "maxConnections", maxConnections));
    return b.build();
  }

  /**
   * {@return the provider's name, unique in a registry: not blank, without surrounding spaces or
   * commas} Required; no default.
   */
  public String name() {
    return name;
  }

  /**
   * {@return the base URL, to which {@link #path()} is appended} An absolute {@code http} or {@code
   * https} URL with a host and no user name, password, query or fragment. Required; no default.
   * Setting {@code <prefix>.url}.
   */
  public URI baseUrl() {
    return baseUrl;
  }

  /**
   * {@return the path appended to the base URL: starts with {@code /}, no query or fragment}
   * Default: {@code /chat/completions}.
   */
  public String path() {
    return path;
  }

  /** {@return the request endpoint: the base URL (without trailing slashes) and the path} */
  public URI endpoint() {
    String base = baseUrl.toString();
    while (base.endsWith("/")) {
      base = base.substring(0, base.length() - 1);
    }
    return URI.create(base + path);
  }

  /**
   * {@return the model ids the provider serves, in the order given; unmodifiable, never empty, no
   * id blank} Required; no default.
   */
  public List<String> models() {
    return models;
  }

  /**
   * {@return the model used when a request names none; one of {@link #models()}} Default: the first
   * of {@link #models()}.
   */
  public String defaultModel() {
    return defaultModel;
  }

  /**
   * {@return the provider's home page, shown in its {@link dev.completions.api.ProviderInfo}}
   * Default: the base URL's scheme and authority.
   */
  public URI homePage() {
    return homePage;
  }

  /**
   * {@return where the secret goes, and the secret when it is set; never null} Default: {@link
   * Auth#none()}. Setting {@code <prefix>.apiKey} (else the variable {@link #apiKeyVariable()})
   * replaces the secret.
   */
  public Auth auth() {
    return auth;
  }

  /**
   * {@return the environment variable that holds the secret, named in the error when it is missing,
   * or null} Default: null.
   */
  public String apiKeyVariable() {
    return apiKeyVariable;
  }

  /**
   * {@return the static headers sent with every request, by name; unmodifiable} Names are header
   * tokens, values have no CR, LF or NUL. A configured {@code Accept} replaces the one the exchange
   * sends. Default: none.
   */
  public Map<String, String> headers() {
    return headers;
  }

  /**
   * {@return the {@code User-Agent} header: not blank, no CR, LF or NUL} Default: {@code
   * completions/0.1 (Java)}. Setting {@code <prefix>.userAgent}.
   */
  public String userAgent() {
    return userAgent;
  }

  /**
   * {@return the body field that carries the request's token limit} Default: {@code max_tokens},
   * which OpenAI-compatible servers take. OpenAI's own API takes {@code max_completion_tokens}, and
   * its reasoning models refuse {@code max_tokens}.
   */
  public String maxTokensField() {
    return maxTokensField;
  }

  /**
   * {@return the longest wait to establish a connection; positive} Default: 10 s. Setting {@code
   * <prefix>.connectTimeout}.
   */
  public Duration connectTimeout() {
    return connectTimeout;
  }

  /**
   * {@return the longest wait for the whole response head once the request was sent; positive} A
   * deadline, not a per-read timeout. Default: 60 s. Setting {@code <prefix>.firstByteTimeout}.
   */
  public Duration firstByteTimeout() {
    return firstByteTimeout;
  }

  /**
   * {@return the longest silence between two reads of the answer; positive} Default: 30 s. Setting
   * {@code <prefix>.idleTimeout}.
   */
  public Duration idleTimeout() {
    return idleTimeout;
  }

  /**
   * {@return the attempts in all, including the first, from 1 to 100; retries happen only before
   * the first token} Default: 3. Setting {@code <prefix>.attempts}.
   */
  public int attempts() {
    return attempts;
  }

  /**
   * {@return the longest server-requested wait ({@code Retry-After}) honoured, zero or positive;
   * longer ones fail at once} Default: 60 s. Setting {@code <prefix>.maxRetryWait}.
   */
  public Duration maxRetryWait() {
    return maxRetryWait;
  }

  /**
   * {@return the largest event (or non-streamed JSON answer) accepted, in bytes, from 1024 to
   * {@link #MAX_EVENT_BYTES_LIMIT}} Default: 8 MiB. Setting {@code <prefix>.maxEventBytes}.
   */
  public int maxEventBytes() {
    return maxEventBytes;
  }

  /**
   * {@return the connection pool's size: the most concurrent exchanges, from 1 to 10000} Default:
   * 128. Setting {@code <prefix>.maxConnections}.
   */
  public int maxConnections() {
    return maxConnections;
  }

  /**
   * {@return the trust material for HTTPS, or null for the JVM's trust store} Host names are always
   * verified. Default: null.
   */
  public SSLContext sslContext() {
    return sslContext;
  }

  /** {@return how errors are classified; never null} Default: {@link ErrorRules#openAi()}. */
  public ErrorRules errorRules() {
    return errorRules;
  }

  /**
   * {@return the prefix of the provider's settings and of the setting names in its messages, the
   * {@code <prefix>} of the settings named here} Default: the name lower-cased, spaces and dots
   * turned into {@code -} ({@code "LM Studio"} → {@code lm-studio}).
   */
  public String settingsPrefix() {
    return settingsPrefix;
  }

  /**
   * {@return what the service can do beyond plain text (tools, images, JSON output); unmodifiable}
   * Requests that need anything else are refused before any I/O. Default: none.
   */
  public Set<Capability> capabilities() {
    return capabilities;
  }

  RetryPolicy.Sleeper retrySleeper() {
    return retrySleeper;
  }

  /** The name of a JSON field we write without escaping: letters, digits and _. */
  static String requireFieldName(String setting, String field) {
    if (field == null || !field.matches("[A-Za-z][A-Za-z0-9_]*")) {
      throw new IllegalArgumentException(
          setting
              + ": must be a field name of letters, digits and _, starting with a letter,"
              + " such as max_tokens or max_completion_tokens, got '"
              + field
              + "'");
    }
    return field;
  }

  @Override
  public String toString() {
    return "ProviderConfig[name="
        + name
        + ", endpoint="
        + endpoint()
        + ", models="
        + models
        + ", defaultModel="
        + defaultModel
        + ", auth="
        + auth
        + ", headers="
        + headers.keySet()
        + ", maxTokensField="
        + maxTokensField
        + ", connectTimeout="
        + connectTimeout
        + ", firstByteTimeout="
        + firstByteTimeout
        + ", idleTimeout="
        + idleTimeout
        + ", attempts="
        + attempts
        + ", maxRetryWait="
        + maxRetryWait
        + ", maxEventBytes="
        + maxEventBytes
        + ", maxConnections="
        + maxConnections
        + ", capabilities="
        + capabilities
        + "]";
  }

  /** Builds a {@link ProviderConfig}. Not thread-safe. */
  public static final class Builder {
    private String name;
    private URI baseUrl;
    private String path = "/chat/completions";
    private List<String> models;
    private String defaultModel;
    private URI homePage;
    private Auth auth = Auth.none();
    private String apiKeyVariable;
    private final Map<String, String> headers = new LinkedHashMap<>();
    private String userAgent = "completions/0.1 (Java)";
    private String maxTokensField = "max_tokens";
    private Duration connectTimeout = Duration.ofSeconds(10);
    private Duration firstByteTimeout = Duration.ofSeconds(60);
    private Duration idleTimeout = Duration.ofSeconds(30);
    private int attempts = 3;
    private Duration maxRetryWait = Duration.ofSeconds(60);
    private int maxEventBytes = 8 * 1024 * 1024;
    private int maxConnections = 128;
    private SSLContext sslContext;
    private ErrorRules errorRules = ErrorRules.openAi();
    private String settingsPrefix;
    private final Set<Capability> capabilities = EnumSet.noneOf(Capability.class);
    private RetryPolicy.Sleeper retrySleeper;

    private Builder() {}

    private Builder(ProviderConfig c) {
      name = c.name;
      baseUrl = c.baseUrl;
      path = c.path;
      models = c.models;
      defaultModel = c.defaultModel;
      homePage = c.homePage;
      auth = c.auth;
      apiKeyVariable = c.apiKeyVariable;
      headers.putAll(c.headers);
      userAgent = c.userAgent;
      maxTokensField = c.maxTokensField;
      connectTimeout = c.connectTimeout;
      firstByteTimeout = c.firstByteTimeout;
      idleTimeout = c.idleTimeout;
      attempts = c.attempts;
      maxRetryWait = c.maxRetryWait;
      maxEventBytes = c.maxEventBytes;
      maxConnections = c.maxConnections;
      sslContext = c.sslContext;
      errorRules = c.errorRules;
      settingsPrefix = c.settingsPrefix;
      capabilities.addAll(c.capabilities);
      retrySleeper = c.retrySleeper;
    }

    /**
     * See {@link ProviderConfig#name()}. Required.
     *
     * @param name the name; checked by {@link #build()}: not blank, without surrounding spaces or
     *     commas
     * @return this builder
     */
    public Builder name(String name) {
      this.name = name;
      return this;
    }

    /**
     * See {@link ProviderConfig#baseUrl()}. Required.
     *
     * @param baseUrl the base URL; checked by {@link #build()}: an absolute http or https URL with
     *     a host and no user name, password, query or fragment
     * @return this builder
     */
    public Builder baseUrl(URI baseUrl) {
      this.baseUrl = baseUrl;
      return this;
    }

    /**
     * See {@link ProviderConfig#baseUrl()}. Required.
     *
     * @param baseUrl the base URL as text, such as {@code https://api.groq.com/openai/v1}; not
     *     null, surrounding spaces ignored; the rest is checked by {@link #build()}
     * @return this builder
     * @throws IllegalArgumentException when the text is not a URI (the message shows it without any
     *     user name or password)
     */
    public Builder baseUrl(String baseUrl) {
      return baseUrl(parseUrl("baseUrl", baseUrl));
    }

    /**
     * See {@link ProviderConfig#path()}.
     *
     * @param path the path, such as {@code /v1/chat/completions}; checked by {@link #build()}:
     *     starts with {@code /}, no query or fragment
     * @return this builder
     */
    public Builder path(String path) {
      this.path = path;
      return this;
    }

    /**
     * See {@link ProviderConfig#models()}. Required.
     *
     * @param models the model ids, copied by {@link #build()}, which checks there is at least one
     *     and none is blank
     * @return this builder
     */
    public Builder models(List<String> models) {
      this.models = models;
      return this;
    }

    /**
     * See {@link ProviderConfig#models()}. Required.
     *
     * @param models the model ids, none null; {@link #build()} checks there is at least one and
     *     none is blank
     * @return this builder
     */
    public Builder models(String... models) {
      return models(List.of(models));
    }

    /**
     * See {@link ProviderConfig#defaultModel()}.
     *
     * @param defaultModel the default model, or null for the first of the models; checked by {@link
     *     #build()} to be one of them
     * @return this builder
     */
    public Builder defaultModel(String defaultModel) {
      this.defaultModel = defaultModel;
      return this;
    }

    /**
     * See {@link ProviderConfig#homePage()}.
     *
     * @param homePage the home page, or null for the base URL's scheme and authority
     * @return this builder
     */
    public Builder homePage(URI homePage) {
      this.homePage = homePage;
      return this;
    }

    /**
     * See {@link ProviderConfig#auth()}.
     *
     * @param auth where the secret goes, with the secret or not; {@link #build()} fails when it is
     *     null
     * @return this builder
     */
    public Builder auth(Auth auth) {
      this.auth = auth;
      return this;
    }

    /**
     * See {@link ProviderConfig#apiKeyVariable()}.
     *
     * @param variable the environment variable's name, such as {@code GROQ_API_KEY}, or null for
     *     none
     * @return this builder
     */
    public Builder apiKeyVariable(String variable) {
      this.apiKeyVariable = variable;
      return this;
    }

    /**
     * Adds a static header, replacing one added before under the same name (case matters); see
     * {@link ProviderConfig#headers()}.
     *
     * @param name the header name; checked by {@link #build()} to be a header token
     * @param value the value, sent as it is; checked by {@link #build()}: not null, no CR, LF or
     *     NUL
     * @return this builder
     */
    public Builder header(String name, String value) {
      headers.put(name, value);
      return this;
    }

    /**
     * See {@link ProviderConfig#userAgent()}.
     *
     * @param userAgent the header's value; checked by {@link #build()}: not blank, no CR, LF or NUL
     * @return this builder
     */
    public Builder userAgent(String userAgent) {
      this.userAgent = userAgent;
      return this;
    }

    /**
     * See {@link ProviderConfig#maxTokensField()}.
     *
     * @param field the body field for the token limit, e.g. {@code max_completion_tokens}; checked
     *     by {@link #build()}: letters, digits and {@code _}, starting with a letter
     * @return this builder
     */
    public Builder maxTokensField(String field) {
      this.maxTokensField = field;
      return this;
    }

    /**
     * See {@link ProviderConfig#connectTimeout()}.
     *
     * @param timeout the timeout; checked by {@link #build()} to be positive
     * @return this builder
     */
    public Builder connectTimeout(Duration timeout) {
      this.connectTimeout = timeout;
      return this;
    }

    /**
     * See {@link ProviderConfig#firstByteTimeout()}.
     *
     * @param timeout the deadline for the response head; checked by {@link #build()} to be positive
     * @return this builder
     */
    public Builder firstByteTimeout(Duration timeout) {
      this.firstByteTimeout = timeout;
      return this;
    }

    /**
     * See {@link ProviderConfig#idleTimeout()}.
     *
     * @param timeout the timeout; checked by {@link #build()} to be positive
     * @return this builder
     */
    public Builder idleTimeout(Duration timeout) {
      this.idleTimeout = timeout;
      return this;
    }

    /**
     * See {@link ProviderConfig#attempts()}.
     *
     * @param attempts attempts in all, 1 for no retry; checked by {@link #build()} to be from 1 to
     *     100
     * @return this builder
     */
    public Builder attempts(int attempts) {
      this.attempts = attempts;
      return this;
    }

    /**
     * See {@link ProviderConfig#maxRetryWait()}.
     *
     * @param wait the longest wait honoured; checked by {@link #build()} to be zero or positive
     * @return this builder
     */
    public Builder maxRetryWait(Duration wait) {
      this.maxRetryWait = wait;
      return this;
    }

    /**
     * See {@link ProviderConfig#maxEventBytes()}.
     *
     * @param bytes the limit in bytes; checked by {@link #build()} to be from 1024 to {@link
     *     ProviderConfig#MAX_EVENT_BYTES_LIMIT}
     * @return this builder
     */
    public Builder maxEventBytes(int bytes) {
      this.maxEventBytes = bytes;
      return this;
    }

    /**
     * See {@link ProviderConfig#maxConnections()}.
     *
     * @param connections the pool's size; checked by {@link #build()} to be from 1 to 10000
     * @return this builder
     */
    public Builder maxConnections(int connections) {
      this.maxConnections = connections;
      return this;
    }

    /**
     * See {@link ProviderConfig#sslContext()}.
     *
     * @param sslContext the trust material, or null for the JVM's trust store
     * @return this builder
     */
    public Builder sslContext(SSLContext sslContext) {
      this.sslContext = sslContext;
      return this;
    }

    /**
     * See {@link ProviderConfig#errorRules()}.
     *
     * @param rules the rules, such as {@code ErrorRules.openAi().rule(...)}; {@link #build()} fails
     *     when they are null
     * @return this builder
     */
    public Builder errorRules(ErrorRules rules) {
      this.errorRules = rules;
      return this;
    }

    /**
     * See {@link ProviderConfig#settingsPrefix()}.
     *
     * @param prefix the prefix, such as {@code groq}, or null for the one derived from the name
     * @return this builder
     */
    public Builder settingsPrefix(String prefix) {
      this.settingsPrefix = prefix;
      return this;
    }

    /**
     * Sets what the service can do; see {@link ProviderConfig#capabilities()}.
     *
     * @param capabilities the capabilities, not null; they replace those set before
     * @return this builder
     */
    public Builder capabilities(Set<Capability> capabilities) {
      this.capabilities.clear();
      this.capabilities.addAll(capabilities);
      return this;
    }

    /**
     * Sets what the service can do; see {@link ProviderConfig#capabilities()}.
     *
     * @param capabilities the capabilities, none null nor repeated; they replace those set before
     * @return this builder
     * @throws IllegalArgumentException when a capability is repeated
     * @throws NullPointerException when a capability is null
     */
    public Builder capabilities(Capability... capabilities) {
      return capabilities(Set.of(capabilities));
    }

    /** Replaces the retry wait, so tests do not sleep. */
    Builder retrySleeper(RetryPolicy.Sleeper sleeper) {
      this.retrySleeper = sleeper;
      return this;
    }

    /**
     * Builds the configuration. Does no I/O.
     *
     * @return a new immutable configuration; the builder may be changed and built again
     * @throws IllegalArgumentException naming the setting when one is missing or invalid
     * @throws NullPointerException when the models, the auth, the error rules or a header value is
     *     null
     */
    public ProviderConfig build() {
      return new ProviderConfig(this);
    }
  }

  static String defaultPrefix(String name) {
    return name.toLowerCase(Locale.ROOT).replace(' ', '-').replace('.', '-');
  }

  private static String requireName(String name) {
    if (name == null || name.isBlank() || !name.strip().equals(name) || name.contains(",")) {
      throw new IllegalArgumentException(
          "name: must be non-blank, without surrounding spaces or commas, got '" + name + "'");
    }
    return name;
  }

  private static URI parseUrl(String field, String text) {
    try {
      return new URI(text.strip());
    } catch (java.net.URISyntaxException e) {
      throw new IllegalArgumentException(
          field
              + ": must be an absolute http or https URL such as https://host:8080/v1, got '"
              + withoutUserInfo(text)
              + "'");
    }
  }

  private static URI requireBaseUrl(String field, URI url) {
    if (url == null
        || !url.isAbsolute()
        || url.getHost() == null
        || url.getScheme() == null
        || !(url.getScheme().equalsIgnoreCase("http")
            || url.getScheme().equalsIgnoreCase("https"))) {
      throw new IllegalArgumentException(
          field
              + ": must be an absolute http or https URL such as https://host:8080/v1, got "
              + shown(url));
    }
    if (url.getRawUserInfo() != null) {
      throw new IllegalArgumentException(
          field
              + ": must not carry a user name or password; use the provider's key"
              + " setting instead, got "
              + shown(url));
    }
    if (url.getPort() == 0 || url.getPort() > 65535) {
      throw new IllegalArgumentException(
          field + ": the port must be between 1 and 65535, got " + shown(url));
    }
    if (url.getRawQuery() != null || url.getRawFragment() != null) {
      throw new IllegalArgumentException(
          field + ": must not have a query or fragment, got " + shown(url));
    }
    return url;
  }

  private static String shown(URI url) {
    return url == null ? "nothing" : withoutUserInfo(url.toString());
  }

  private static String withoutUserInfo(String url) {
    return url.replaceFirst("^([A-Za-z][A-Za-z0-9+.-]*://)[^/@?#]*@", "$1");
  }

  private static Duration requirePositive(String field, Duration value) {
    if (value == null || value.isZero() || value.isNegative()) {
      throw new IllegalArgumentException(field + ": must be a positive duration, got " + value);
    }
    return value;
  }

  static void requireHeaderSafe(String field, String value) {
    if (value == null) {
      return;
    }
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c == '\r' || c == '\n' || c == 0) {
        // the value itself is not shown: it may be a secret
        throw new IllegalArgumentException(field + ": must not contain CR, LF or NUL characters");
      }
    }
  }

  static void requireToken(String field, String name) {
    if (name == null
        || name.isEmpty()
        || !name.chars().allMatch(c -> c > 32 && c < 127 && "()<>@,;:\\\"/[]?={}".indexOf(c) < 0)) {
      throw new IllegalArgumentException(
          field
              + ": must be a header or parameter name of letters, digits and -_.!#$%&'*+^`|~, got '"
              + name
              + "'");
    }
  }
}
