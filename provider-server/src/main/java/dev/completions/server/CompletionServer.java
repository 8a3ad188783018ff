package dev.completions.server;

import dev.completions.registry.ProviderRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.CrossOriginHandler;
import org.eclipse.jetty.util.VirtualThreads;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.util.thread.Scheduler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway: every provider of a {@link ProviderRegistry} (and every chain of them) behind one
 * OpenAI-compatible HTTP endpoint, so that OpenAI's SDKs and any other OpenAI client can use them.
 * It serves {@code POST /v1/chat/completions} (streamed or not), {@code GET /v1/models}, {@code GET
 * /v1/providers}, {@code GET /v1/providers/{name}}, the same under {@code /api/{provider}/v1/}
 * (which chooses the provider), and {@code GET /health} and {@code GET /ready}. It keeps no state
 * between requests but the chains' cooldowns, so replicas can stand behind a load balancer.
 *
 * <p>Limits: it binds to 127.0.0.1 unless told otherwise; with a key, every {@code /v1} and {@code
 * /api} request must present it ({@code Authorization: Bearer} or {@code x-api-key}; missing 401,
 * wrong 403); bodies are capped (413) and their JSON nesting depth too (400); a connection idle for
 * the idle timeout is closed, and a request's head and body must each arrive within it (a client
 * that drips bytes is cut off); CORS is off unless origins are given. No response and no log line
 * holds the key, and {@link #toString()} does not show it.
 *
 * <p>Built with {@link #builder(ProviderRegistry)}; {@link #start()} listens, {@link #close()}
 * stops and aborts the open answers' upstream calls. Runs on Jetty 12; requests run on virtual
 * threads when the JVM has them (Java 21+), else on Jetty's pool. Thread-safe. The registry stays
 * the caller's to close.
 */
public final class CompletionServer implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(CompletionServer.class);

  /** The default cap on a request body: 8 MiB. */
  public static final long DEFAULT_MAX_BODY_BYTES = 8L << 20;

  /** The default idle timeout of a client connection: 30 s. */
  public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(30);

  /** Jetty's pool without virtual threads: enough threads for 1,000 open answers and more. */
  private static final int MAX_PLATFORM_THREADS = 2048;

  private final String host;
  private final int port;
  private final ApiKey key;
  private final long maxBodyBytes;
  private final Duration idleTimeout;
  private final List<String> corsOrigins;
  private final Gateway gateway;
  private final Server server;
  private final ServerConnector connector;
  private boolean started;

  private CompletionServer(Builder builder) {
    this.host = builder.host;
    this.port = builder.port;
    this.key = ApiKey.of(builder.apiKey);
    this.maxBodyBytes = builder.maxBodyBytes;
    this.idleTimeout = builder.idleTimeout;
    this.corsOrigins = List.copyOf(builder.corsOrigins);
    this.gateway = new Gateway(builder.registry, key, maxBodyBytes, idleTimeout);
    QueuedThreadPool threads = new QueuedThreadPool(MAX_PLATFORM_THREADS, 8);
    threads.setName("completion-server");
    if (VirtualThreads.areSupported()) {
      threads.setVirtualThreadsExecutor(VirtualThreads.getDefaultVirtualThreadsExecutor());
    }
    this.server = new Server(threads);
    HttpConfiguration http = new HttpConfiguration();
    http.setSendServerVersion(false);
    this.connector = new ServerConnector(server, new HttpConnectionFactory(http));
    connector.setHost(host);
    connector.setPort(port);
    connector.setIdleTimeout(idleTimeout.toMillis());
    connector.addEventListener(new HeadDeadline(connector.getScheduler(), idleTimeout));
    server.addConnector(connector);
    Handler handler = gateway;
    if (!corsOrigins.isEmpty()) {
      CrossOriginHandler cors = new CrossOriginHandler();
      cors.setAllowedOriginPatterns(new LinkedHashSet<>(corsOrigins));
      cors.setAllowedMethods(Set.of("GET", "POST", "OPTIONS"));
      cors.setAllowedHeaders(Set.of("Authorization", "Content-Type", "x-api-key"));
      cors.setHandler(gateway);
      handler = cors;
    }
    server.setHandler(handler);
    server.setStopTimeout(5_000);
  }

  /**
   * A builder over the providers of this registry.
   *
   * @param registry the providers to serve; the server does not close it
   * @return a builder: 127.0.0.1, port 8080, no key, 8 MiB bodies, 30 s idle timeout, no CORS
   * @throws IllegalArgumentException when the registry is null
   */
  public static Builder builder(ProviderRegistry registry) {
    if (registry == null) {
      throw new IllegalArgumentException("registry: must not be null");
    }
    return new Builder(registry);
  }

  /**
   * Listens and serves until {@link #close()}.
   *
   * @return this server, listening
   * @throws UncheckedIOException when it cannot listen on the host and port (in use, not local)
   * @throws IllegalStateException when it was started before
   */
  public synchronized CompletionServer start() {
    if (started) {
      throw new IllegalStateException("the server was started before");
    }
    started = true;
    try {
      server.start();
    } catch (IOException e) {
      stopQuietly();
      throw new UncheckedIOException("cannot listen on " + host + ":" + port + ": " + e, e);
    } catch (Exception e) {
      stopQuietly();
      throw new UncheckedIOException(
          "cannot listen on " + host + ":" + port + ": " + e, new IOException(e));
    }
    LOG.info("serving {} providers at {}", gateway.providers(), uri());
    return this;
  }

  /**
   * {@return the base URL it listens on, such as {@code http://127.0.0.1:8080} (the port chosen
   * when it was 0); OpenAI clients take it with {@code /v1} appended}
   *
   * @throws IllegalStateException before {@link #start()}
   */
  public URI uri() {
    int local = connector.getLocalPort();
    if (local <= 0) {
      throw new IllegalStateException("the server is not listening; call start() first");
    }
    String shown = host.contains(":") ? "[" + host + "]" : host;
    return URI.create("http://" + shown + ":" + local);
  }

  /**
   * Stops listening, aborts the upstream calls of the open answers (their clients get an in-band
   * error or a closed connection), and stops within 5 s. Idempotent; any thread.
   */
  @Override
  public void close() {
    gateway.closeAll();
    stopQuietly();
  }

  private void stopQuietly() {
    try {
      server.stop();
    } catch (Exception e) {
      LOG.warn("stopping the gateway failed: {}", e.toString());
    }
  }

  @Override
  public String toString() {
    return "CompletionServer["
        + host
        + ":"
        + (connector.getLocalPort() > 0 ? connector.getLocalPort() : port)
        + ", key "
        + (key.required() ? "required" : "not required")
        + ", max body "
        + maxBodyBytes
        + " bytes, idle timeout "
        + idleTimeout
        + (corsOrigins.isEmpty() ? ", no CORS" : ", CORS " + corsOrigins)
        + "]";
  }

  /**
   * Closes a connection whose first request head has not arrived within the idle timeout of its
   * opening, so that a client dripping header bytes cannot hold it (the idle timeout alone restarts
   * with every byte).
   */
  private static final class HeadDeadline implements Connection.Listener {
    private final Scheduler scheduler;
    private final Duration limit;

    HeadDeadline(Scheduler scheduler, Duration limit) {
      this.scheduler = scheduler;
      this.limit = limit;
    }

    @Override
    public void onOpened(Connection connection) {
      scheduler.schedule(
          () -> {
            if (connection.getMessagesIn() == 0 && connection.getEndPoint().isOpen()) {
              connection.getEndPoint().close();
            }
          },
          limit.toMillis(),
          TimeUnit.MILLISECONDS);
    }
  }

  /** Builds a {@link CompletionServer}. Not thread-safe. */
  public static final class Builder {
    private final ProviderRegistry registry;
    private String host = "127.0.0.1";
    private int port = 8080;
    private String apiKey;
    private long maxBodyBytes = DEFAULT_MAX_BODY_BYTES;
    private Duration idleTimeout = DEFAULT_IDLE_TIMEOUT;
    private final List<String> corsOrigins = new java.util.ArrayList<>();

    private Builder(ProviderRegistry registry) {
      this.registry = registry;
    }

    /**
     * The address to bind (default {@code 127.0.0.1}: only this machine). Binding elsewhere, such
     * as {@code 0.0.0.0}, exposes the providers and their keys' use to the network: set a key.
     *
     * @param host a host name or IP address
     * @return this builder
     * @throws IllegalArgumentException when it is null or blank
     */
    public Builder host(String host) {
      if (host == null || host.isBlank()) {
        throw new IllegalArgumentException("host: must not be blank, e.g. 127.0.0.1");
      }
      this.host = host.strip();
      return this;
    }

    /**
     * The port (default 8080); 0 picks a free one, see {@link CompletionServer#uri()}.
     *
     * @param port 0 to 65535
     * @return this builder
     * @throws IllegalArgumentException when it is outside 0 to 65535
     */
    public Builder port(int port) {
      if (port < 0 || port > 65535) {
        throw new IllegalArgumentException("port: must be 0 to 65535, got " + port);
      }
      this.port = port;
      return this;
    }

    /**
     * The key every {@code /v1} and {@code /api} request must present (default: none). A secret:
     * never shown or logged.
     *
     * @param apiKey the key; null or blank for none
     * @return this builder
     */
    public Builder apiKey(String apiKey) {
      this.apiKey = apiKey;
      return this;
    }

    /**
     * The largest request body accepted (default 8 MiB); larger ones get a 413.
     *
     * @param bytes at least 1024
     * @return this builder
     * @throws IllegalArgumentException when it is below 1024
     */
    public Builder maxBodyBytes(long bytes) {
      if (bytes < 1024) {
        throw new IllegalArgumentException("maxBodyBytes: must be at least 1024, got " + bytes);
      }
      this.maxBodyBytes = bytes;
      return this;
    }

    /**
     * How long a client connection may stay silent (default 30 s); a request's head and its body
     * must each arrive within it too. The wait for a provider's answer is bounded by the provider's
     * own timeouts, not by this one.
     *
     * @param timeout positive, at most 1 hour
     * @return this builder
     * @throws IllegalArgumentException when it is null, not positive or above 1 hour
     */
    public Builder idleTimeout(Duration timeout) {
      if (timeout == null
          || timeout.isNegative()
          || timeout.isZero()
          || timeout.compareTo(Duration.ofHours(1)) > 0) {
        throw new IllegalArgumentException(
            "idleTimeout: must be positive and at most 1 hour, got " + timeout);
      }
      this.idleTimeout = timeout;
      return this;
    }

    /**
     * Browser origins allowed to call it (CORS), such as {@code https://app.example.com}, or {@code
     * *} for any (default: none, CORS off).
     *
     * @param origins the origins
     * @return this builder
     * @throws IllegalArgumentException when an origin is null or blank
     */
    public Builder corsOrigins(List<String> origins) {
      for (String origin : origins) {
        if (origin == null || origin.isBlank()) {
          throw new IllegalArgumentException("corsOrigins: an origin must not be blank");
        }
        // Jetty takes patterns (regular expressions); an origin is matched literally
        corsOrigins.add(
            origin.strip().equals("*") ? ".*" : java.util.regex.Pattern.quote(origin.strip()));
      }
      return this;
    }

    /**
     * Builds the server; it listens once {@link CompletionServer#start()} is called.
     *
     * @return the server, not yet listening
     */
    public CompletionServer build() {
      return new CompletionServer(this);
    }
  }
}
