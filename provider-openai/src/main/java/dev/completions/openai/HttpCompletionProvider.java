package dev.completions.openai;

import dev.completions.api.CompletionProvider;
import dev.completions.api.CompletionRequest;
import dev.completions.api.CompletionStream;
import dev.completions.api.Parameters;
import dev.completions.api.ProviderException;
import dev.completions.api.ProviderException.Kind;
import dev.completions.api.ProviderInfo;
import dev.completions.openai.internal.HttpEventFeed;
import dev.completions.openai.internal.HttpTransport;
import dev.completions.openai.internal.Redaction;
import dev.completions.openai.internal.RetryPolicy;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The skeleton of a provider that streams answers over HTTP: a subclass says how to write the
 * request body and how to decode the answer ({@link WireDecoder}); this class does the rest. It
 * validates the request against the parameter record before any I/O, resolves an unset model to the
 * default one, names the provider in every stream and error, and runs each exchange with the
 * configuration's timeouts, retries ({@code Retry-After} honoured, only before the first token),
 * cancellation on {@code close()} or interrupt, size caps, and redaction of the secret.
 *
 * <p>Thread-safe: one instance, one connection pool, any number of concurrent requests. The
 * constructor does no I/O; the pool is created on first use and released by {@link #close()}.
 */
public abstract class HttpCompletionProvider implements CompletionProvider {

  private final ProviderConfig config;
  private final ProviderInfo info;
  private final Class<? extends Record> parameterRecord;
  private final Parameters parameters;
  private final RetryPolicy retry;
  private final Logger log;
  private final Object lock = new Object();
  private volatile HttpTransport transport;
  private volatile boolean closed;

  /**
   * A provider with this configuration, accepting the parameters this record declares.
   *
   * @param config the configuration, not null; its name, models, home page and capabilities make
   *     {@link #info()}
   * @param parameterRecord the record whose {@code @Param} components declare the request options
   *     this provider accepts, not null
   * @throws NullPointerException when an argument is null
   * @throws IllegalArgumentException when the record's declarations are invalid
   */
  protected HttpCompletionProvider(ProviderConfig config, Class<? extends Record> parameterRecord) {
    this.config = Objects.requireNonNull(config, "config");
    this.parameterRecord = Objects.requireNonNull(parameterRecord, "parameterRecord");
    Auth auth = config.auth();
    boolean userMustSupplyKey =
        auth.needsSecret() && (config.apiKeyVariable() != null || auth.secret().isEmpty());
    this.info =
        new ProviderInfo(
            config.name(),
            config.homePage(),
            config.models(),
            config.defaultModel(),
            true,
            userMustSupplyKey,
            config.capabilities());
    this.parameters = Parameters.of(config.name(), parameterRecord);
    this.retry =
        config.retrySleeper() == null
            ? RetryPolicy.standard(config.attempts(), config.maxRetryWait())
            : new RetryPolicy(
                config.attempts(), config.maxRetryWait(), config.retrySleeper(), () -> 0.5);
    this.log = LoggerFactory.getLogger(getClass());
  }

  /** {@return the configuration this provider was built with} */
  public final ProviderConfig config() {
    return config;
  }

  /** {@return the configured base URL: where the requests go} */
  @Override
  public Optional<URI> endpoint() {
    return Optional.of(config.baseUrl());
  }

  @Override
  public final ProviderInfo info() {
    return info;
  }

  @Override
  public final Class<? extends Record> parameters() {
    return parameterRecord;
  }

  /**
   * {@inheritDoc}
   *
   * <p>A request that needs a capability the configuration does not declare is refused with a
   * {@link dev.completions.api.MissingCapabilityException}; unset fields take the parameter
   * record's declared defaults ({@link Parameters#withDefaults}). The exchange starts on the first
   * read. While no token has been delivered, failures that may pass (408, 409, 429, 5xx, I/O
   * errors, timeouts, a cut stream, and what the provider's {@link ErrorRules} say is retryable)
   * are retried up to {@link ProviderConfig#attempts()} attempts in all.
   */
  @Override
  public final CompletionStream complete(CompletionRequest asked) {
    Map<String, Object> options = parameters.validate(asked);
    info.requireCapabilities(asked);
    CompletionRequest request = parameters.withDefaults(asked);
    if (closed) {
      throw new IllegalStateException(config.name() + " provider is closed");
    }
    String model = request.model() != null ? request.model() : config.defaultModel();
    byte[] body = requestBody(request, model, options);
    return CompletionStream.of(
        config.name(),
        model,
        new HttpEventFeed(
            config, transport(), retry, body, request.stream(), decoder(request, model), log));
  }

  /**
   * The request body, written on the caller's thread before any I/O.
   *
   * @param request the validated request
   * @param model the model to ask for: the request's, else the default
   * @param options the request's options, validated against the parameter record
   * @return the body, sent as {@code application/json} with every attempt; not changed afterwards
   * @throws IllegalArgumentException when the request cannot be written (for example, text that is
   *     not valid Unicode)
   */
  protected abstract byte[] requestBody(
      CompletionRequest request, String model, Map<String, Object> options);

  /**
   * A new decoder for one request's answer, called once per {@link #complete} on the caller's
   * thread.
   *
   * @param request the validated request, its defaults applied
   * @param model the model asked for: the request's, else the default
   * @return a new decoder, used by the stream's reading thread only; a retried attempt reuses it
   */
  protected abstract WireDecoder decoder(CompletionRequest request, String model);

  /**
   * GETs a resource under the base URL, such as {@code /models}, with the provider's headers,
   * secret and timeouts (one attempt), for what a provider reports besides answers.
   *
   * @param path the path under the base URL, starting with {@code /}
   * @return the body as text (at most {@link ProviderConfig#maxEventBytes()} bytes), secret
   *     redacted
   * @throws ProviderException when the key is missing, the exchange fails or the status is 400 or
   *     more
   * @throws IllegalStateException when the provider was closed
   */
  protected final String fetch(String path) {
    HttpEventFeed.requireKey(config);
    String secret = config.auth().secret().orElse("");
    try {
      HttpTransport.Response response = transport().get(path, config.maxEventBytes());
      String text = Redaction.redact(new String(response.body(), StandardCharsets.UTF_8), secret);
      if (response.status() >= 400) {
        throw config
            .errorRules()
            .forStatus(config.name(), response.status(), ErrorRules.excerpt(text), text)
            .build();
      }
      return text;
    } catch (IOException e) {
      throw ProviderException.builder(Kind.CONNECTION, config.name())
          .message(Redaction.redact("GET " + path + " failed: " + e, secret))
          .cause(Redaction.scrub(e, secret))
          .build();
    }
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

  /**
   * {@return the connections currently lent out by the pool; 0 when nothing is in flight or no
   * request was made yet}
   */
  public final int leasedConnections() {
    HttpTransport current = transport;
    return current == null ? 0 : current.leasedConnections();
  }

  @Override
  public String toString() {
    return getClass().getSimpleName()
        + "[name="
        + config.name()
        + ", endpoint="
        + config.endpoint()
        + ", auth="
        + config.auth()
        + "]";
  }

  private HttpTransport transport() {
    HttpTransport current = transport;
    if (current == null) {
      synchronized (lock) {
        if (closed) {
          throw new IllegalStateException(config.name() + " provider is closed");
        }
        current = transport;
        if (current == null) {
          current = new HttpTransport(config);
          transport = current;
        }
      }
    }
    return current;
  }
}
