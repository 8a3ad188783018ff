package dev.completions.lockchat;

import com.google.auto.service.AutoService;
import dev.completions.api.CompletionProvider;
import dev.completions.api.CompletionRequest;
import dev.completions.api.CompletionStream;
import dev.completions.api.Parameters;
import dev.completions.api.ProviderInfo;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Lockchat provider: OpenAI-style chat completions, {@code POST
 * {base}/v1/chat/completions?auth={token}}, streamed as server-sent events. The seed's provider
 * with its defects fixed: the caller's temperature and stream flag are sent, the "model does not
 * exist" answer is retried with bounded backoff, every failure is a typed {@link
 * dev.completions.api.ProviderException}, every wait has a timeout, connections are always
 * released, and the token never appears in messages, logs or {@code toString()}.
 *
 * <p>Configuration: builder value, else system property, else environment variable, else default
 * (see the README's table): {@code lockchat.url}/{@code LOCKCHAT_URL}, {@code
 * lockchat.auth}/{@code LOCKCHAT_AUTH}, {@code lockchat.userAgent}, {@code
 * lockchat.connectTimeout}, {@code lockchat.firstByteTimeout}, {@code lockchat.idleTimeout}, {@code
 * lockchat.attempts}, {@code lockchat.maxRetryWait}, {@code lockchat.maxEventBytes}, {@code
 * lockchat.maxConnections}. Proxies come from the JVM's standard proxy properties.
 *
 * <p>Thread-safe: one instance, one connection pool, any number of concurrent requests. The
 * constructor does no I/O; the pool is created on first use and released by {@link #close()}.
 */
@AutoService(CompletionProvider.class)
public final class LockchatProvider implements CompletionProvider {

  /** The provider's name. */
  public static final String NAME = "Lockchat";

  private static final ProviderInfo INFO = new ProviderInfo(
      NAME, URI.create("http://super.lockchat.app"), List.of("gpt-4", "gpt-3.5-turbo"), "gpt-3.5-turbo", true, false);
  private static final Parameters PARAMETERS = Parameters.of(NAME, LockchatParameters.class);
  private static final Logger LOG = LoggerFactory.getLogger(LockchatProvider.class);

  private final Settings settings;
  private final String redactedEndpoint;
  private final SSLContext sslContext;
  private final RetryPolicy retry;
  private final Object lock = new Object();
  private volatile HttpTransport transport;
  private volatile boolean closed;

  /**
   * A provider configured from system properties and environment variables.
   *
   * @throws IllegalArgumentException naming the setting when one is invalid
   */
  public LockchatProvider() {
    this(builder());
  }

  private LockchatProvider(Builder builder) {
    Settings.Source source = builder.source;
    this.settings = new Settings(
        builder.baseUrl != null ? builder.baseUrl : URI.create(source.string("url", Settings.DEFAULT_URL)),
        builder.authToken != null ? builder.authToken : source.string("auth", Settings.PUBLIC_TOKEN),
        builder.userAgent != null ? builder.userAgent : source.string("userAgent", "completions-lockchat/0.1 (Java)"),
        builder.connectTimeout != null ? builder.connectTimeout : source.duration("connectTimeout", Duration.ofSeconds(10)),
        builder.firstByteTimeout != null ? builder.firstByteTimeout : source.duration("firstByteTimeout", Duration.ofSeconds(60)),
        builder.idleTimeout != null ? builder.idleTimeout : source.duration("idleTimeout", Duration.ofSeconds(30)),
        builder.attempts != null ? builder.attempts : source.integer("attempts", 3),
        builder.maxRetryWait != null ? builder.maxRetryWait : source.duration("maxRetryWait", Duration.ofSeconds(60)),
        builder.maxEventBytes != null ? builder.maxEventBytes : source.integer("maxEventBytes", 8 * 1024 * 1024),
        builder.maxConnections != null ? builder.maxConnections : source.integer("maxConnections", 128));
    this.redactedEndpoint = settings.redactedEndpoint();
    this.sslContext = builder.sslContext;
    this.retry = builder.sleeper == null
        ? RetryPolicy.standard(settings.attempts(), settings.maxRetryWait())
        : new RetryPolicy(settings.attempts(), settings.maxRetryWait(), builder.sleeper, () -> 0.5);
  }

  /** A builder; settings left unset are read from system properties, then the environment. */
  public static Builder builder() {
    return new Builder();
  }

  @Override
  public ProviderInfo info() {
    return INFO;
  }

  @Override
  public Class<LockchatParameters> parameters() {
    return LockchatParameters.class;
  }

  /**
   * {@inheritDoc}
   *
   * <p>The exchange starts on the first read. While no token has been delivered, failures that
   * may pass (the "model does not exist" answer, 408, 409, 429, 5xx, I/O errors, timeouts) are
   * retried up to {@code lockchat.attempts} attempts in all.
   */
  @Override
  public CompletionStream complete(CompletionRequest request) {
    Map<String, Object> options = PARAMETERS.validate(request);
    if (closed) {
      throw new IllegalStateException(NAME + " provider is closed");
    }
    String model = request.model() != null ? request.model() : INFO.defaultModel();
    byte[] body = RequestBody.render(request, model, options);
    return CompletionStream.of(NAME, model,
        new LockchatEventSource(NAME, transport(), retry, settings, redactedEndpoint, body, request.stream(), LOG));
  }

  /** Closes the connection pool, aborting exchanges in progress. Idempotent. */
  @Override
  public void close() {
    synchronized (lock) {
      closed = true;
      if (transport != null) {
        transport.close();
      }
    }
  }

  /** Connections currently lent out by the pool; 0 when nothing is in flight. */
  int leasedConnections() {
    HttpTransport current = transport;
    return current == null ? 0 : current.leasedConnections();
  }

  @Override
  public String toString() {
    return "LockchatProvider[url=" + settings.baseUrl() + ", auth=***]";
  }

  private HttpTransport transport() {
    HttpTransport current = transport;
    if (current == null) {
      synchronized (lock) {
        if (closed) {
          throw new IllegalStateException(NAME + " provider is closed");
        }
        current = transport;
        if (current == null) {
          current = new HttpTransport(settings, sslContext);
          transport = current;
        }
      }
    }
    return current;
  }

  /** Builds a {@link LockchatProvider}. Unset values come from properties, environment, defaults. Not thread-safe. */
  public static final class Builder {
    private URI baseUrl;
    private String authToken;
    private String userAgent;
    private Duration connectTimeout;
    private Duration firstByteTimeout;
    private Duration idleTimeout;
    private Integer attempts;
    private Duration maxRetryWait;
    private Integer maxEventBytes;
    private Integer maxConnections;
    private SSLContext sslContext;
    private Settings.Source source = Settings.Source.system();
    private RetryPolicy.Sleeper sleeper;

    private Builder() {}

    /** The base URL, possibly with a path prefix; {@code /v1/chat/completions} is appended. */
    public Builder baseUrl(String baseUrl) {
      this.baseUrl = URI.create(baseUrl);
      return this;
    }

    /** The token sent as the {@code auth} query parameter; "" sends none. */
    public Builder authToken(String authToken) {
      this.authToken = authToken;
      return this;
    }

    /** The {@code User-Agent} header. */
    public Builder userAgent(String userAgent) {
      this.userAgent = userAgent;
      return this;
    }

    /** The longest wait to establish a connection (default 10 s). */
    public Builder connectTimeout(Duration timeout) {
      this.connectTimeout = timeout;
      return this;
    }

    /** The longest wait for the response head once the request was sent (default 60 s). */
    public Builder firstByteTimeout(Duration timeout) {
      this.firstByteTimeout = timeout;
      return this;
    }

    /** The longest silence between two reads of the answer (default 30 s). */
    public Builder idleTimeout(Duration timeout) {
      this.idleTimeout = timeout;
      return this;
    }

    /** Attempts in all, including the first (default 3). */
    public Builder attempts(int attempts) {
      this.attempts = attempts;
      return this;
    }

    /** The longest server-requested wait honoured before a retry; longer ones fail at once (default 60 s). */
    public Builder maxRetryWait(Duration wait) {
      this.maxRetryWait = wait;
      return this;
    }

    /** The largest event (or JSON answer) accepted, in bytes (default 8 MiB). */
    public Builder maxEventBytes(int bytes) {
      this.maxEventBytes = bytes;
      return this;
    }

    /** The pool's size: the most concurrent exchanges (default 128). */
    public Builder maxConnections(int connections) {
      this.maxConnections = connections;
      return this;
    }

    /** Trust material for HTTPS; by default the JVM's trust store. Host names are always verified. */
    public Builder sslContext(SSLContext sslContext) {
      this.sslContext = sslContext;
      return this;
    }

    Builder source(Settings.Source source) {
      this.source = source;
      return this;
    }

    Builder sleeper(RetryPolicy.Sleeper sleeper) {
      this.sleeper = sleeper;
      return this;
    }

    /**
     * Builds the provider. Does no I/O.
     *
     * @throws IllegalArgumentException naming the setting when one is invalid
     */
    public LockchatProvider build() {
      return new LockchatProvider(this);
    }
  }
}
