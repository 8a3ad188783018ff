package dev.completions.openai.internal;

import dev.completions.openai.Auth;
import dev.completions.openai.ProviderConfig;
import java.io.IOException;
import java.io.InputStream;
import java.net.Authenticator;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLContext;
import org.apache.hc.client5.http.auth.AuthScope;
import org.apache.hc.client5.http.auth.Credentials;
import org.apache.hc.client5.http.auth.CredentialsProvider;
import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.auth.SystemDefaultCredentialsProvider;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManager;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.client5.http.impl.routing.SystemDefaultRoutePlanner;
import org.apache.hc.client5.http.protocol.HttpClientContext;
import org.apache.hc.client5.http.ssl.DefaultClientTlsStrategy;
import org.apache.hc.core5.http.ClassicHttpRequest;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.http.HttpException;
import org.apache.hc.core5.http.HttpHeaders;
import org.apache.hc.core5.http.HttpHost;
import org.apache.hc.core5.http.impl.io.HttpRequestExecutor;
import org.apache.hc.core5.http.io.HttpClientConnection;
import org.apache.hc.core5.http.io.HttpResponseInformationCallback;
import org.apache.hc.core5.http.io.entity.ByteArrayEntity;
import org.apache.hc.core5.http.message.BasicHeader;
import org.apache.hc.core5.http.protocol.HttpContext;
import org.apache.hc.core5.io.CloseMode;
import org.apache.hc.core5.io.ModalCloseable;
import org.apache.hc.core5.util.TimeValue;
import org.apache.hc.core5.util.Timeout;

/**
 * One HttpClient 5 classic client and its connection pool, shared by all requests of a provider
 * instance. Responses are read from the entity stream as bytes arrive (never buffered).
 * HttpClient's own retries are off: {@link HttpEventFeed} owns the retry policy. The secret goes
 * where the configuration's {@link Auth} says; static headers are made once. Thread-safe.
 */
public final class HttpTransport implements AutoCloseable {

  private static final String CONNECTION = HttpTransport.class.getName() + ".connection";

  /**
   * After {@code [DONE]} the rest of a response is drained this long at most, else the connection
   * is dropped.
   */
  private static final Timeout DRAIN_TIMEOUT = Timeout.ofMilliseconds(100);

  private static final int DRAIN_LIMIT = 64 * 1024;
  private static final Header ACCEPT_EVENTS =
      new BasicHeader(HttpHeaders.ACCEPT, "text/event-stream");
  private static final Header ACCEPT_JSON = new BasicHeader(HttpHeaders.ACCEPT, "application/json");

  private final URI endpoint;
  private final String redactedEndpoint;
  private final String base;
  private final HttpHost target;
  private final Header[] constantHeaders;
  private final boolean acceptConfigured;
  private final PoolingHttpClientConnectionManager pool;
  private final CloseableHttpClient client;

  /** A transport for this configuration; creates the pool, opens no connection. */
  public HttpTransport(ProviderConfig settings) {
    SSLContext sslContext = settings.sslContext();
    Auth auth = settings.auth();
    String secret = auth.secret().orElse(null);
    String baseUrl = settings.baseUrl().toString();
    while (baseUrl.endsWith("/")) {
      baseUrl = baseUrl.substring(0, baseUrl.length() - 1);
    }
    this.base = baseUrl;
    // the secret query is never part of a request HttpClient sees: its connections add it as they
    // write the request line (HeadGuard), after everything HttpClient logs but the raw wire
    String secretQuery =
        auth instanceof Auth.Query query && secret != null
            ? encode(query.name()) + "=" + encode(secret)
            : null;
    this.endpoint = settings.endpoint();
    this.redactedEndpoint =
        secretQuery == null
            ? endpoint.toString()
            : endpoint + "?" + encode(((Auth.Query) auth).name()) + "=***";
    this.target = HttpHost.create(endpoint);
    List<Header> headers = new ArrayList<>();
    headers.add(new BasicHeader(HttpHeaders.USER_AGENT, settings.userAgent()));
    settings.headers().forEach((name, value) -> headers.add(new BasicHeader(name, value)));
    if (auth instanceof Auth.Bearer && secret != null) {
      headers.add(new SecretHeader(HttpHeaders.AUTHORIZATION, "Bearer " + secret));
    } else if (auth instanceof Auth.Header header && secret != null) {
      headers.add(new SecretHeader(header.name(), secret));
    }
    this.constantHeaders = headers.toArray(Header[]::new);
    this.acceptConfigured =
        settings.headers().keySet().stream().anyMatch(HttpHeaders.ACCEPT::equalsIgnoreCase);
    this.pool =
        PoolingHttpClientConnectionManagerBuilder.create()
            .setConnectionFactory(HeadGuard.connections(secretQuery))
            .setTlsSocketStrategy(
                sslContext == null
                    ? DefaultClientTlsStrategy.createSystemDefault()
                    : new DefaultClientTlsStrategy(sslContext))
            .setMaxConnTotal(settings.maxConnections())
            .setMaxConnPerRoute(settings.maxConnections())
            .setDefaultConnectionConfig(
                ConnectionConfig.custom()
                    .setConnectTimeout(timeout(settings.connectTimeout()))
                    .setSocketTimeout(timeout(settings.firstByteTimeout()))
                    .setValidateAfterInactivity(TimeValue.ofSeconds(2))
                    .build())
            .build();
    this.client =
        HttpClients.custom()
            .useSystemProperties() // the JVM's standard proxy properties and proxy credentials
            .setRoutePlanner(new CachingProxyRoutePlanner())
            .setDefaultCredentialsProvider(new SystemCredentialsWhenAny())
            .setConnectionManager(pool)
            .setRequestExecutor(
                new IdleTimeoutExecutor(
                    timeout(settings.idleTimeout()), settings.firstByteTimeout().toNanos()))
            .setDefaultRequestConfig(
                RequestConfig.custom()
                    .setConnectionRequestTimeout(timeout(settings.connectTimeout()))
                    .setResponseTimeout(timeout(settings.firstByteTimeout()))
                    .build())
            .disableAutomaticRetries()
            .disableRedirectHandling()
            .disableCookieManagement()
            .disableAuthCaching()
            .build();
  }

  /** A prepared exchange; nothing is sent until {@link Exchange#send()}. */
  Exchange exchange(byte[] body, boolean stream) {
    HttpPost post = new HttpPost(endpoint);
    for (Header header : constantHeaders) {
      post.addHeader(header);
    }
    if (!acceptConfigured) {
      post.setHeader(stream ? ACCEPT_EVENTS : ACCEPT_JSON);
    }
    post.setEntity(new ByteArrayEntity(body, ContentType.APPLICATION_JSON));
    return new Exchange(client, target, post);
  }

  /**
   * GETs a resource under the base URL with the provider's headers and secret, such as {@code
   * /models}; the same timeouts apply. At most {@code limit} bytes of the body are read.
   *
   * @throws IOException when the exchange fails
   */
  public Response get(String path, int limit) throws IOException {
    HttpGet get = new HttpGet(URI.create(base + path));
    for (Header header : constantHeaders) {
      get.addHeader(header);
    }
    get.setHeader(ACCEPT_JSON);
    return client.execute(
        target,
        get,
        response -> {
          HttpEntity entity = response.getEntity();
          byte[] body = entity == null ? new byte[0] : entity.getContent().readNBytes(limit);
          return new Response(response.getCode(), body);
        });
  }

  /**
   * A response read whole.
   *
   * @param status the HTTP status
   * @param body the start of the body
   */
  public record Response(int status, byte[] body) {}

  /**
   * The endpoint as logs and messages may show it: a secret in the query replaced by {@code ***}.
   */
  String redactedEndpoint() {
    return redactedEndpoint;
  }

  /** Connections currently lent out; 0 when every exchange was released or aborted. */
  public int leasedConnections() {
    return pool.getTotalStats().getLeased();
  }

  /** Closes the pool, aborting exchanges in progress. */
  @Override
  public void close() {
    client.close(CloseMode.IMMEDIATE);
    pool.close(CloseMode.IMMEDIATE);
  }

  private static Timeout timeout(java.time.Duration duration) {
    return Timeout.ofMilliseconds(Math.max(1, duration.toMillis()));
  }

  private static String encode(String text) {
    return URLEncoder.encode(text, StandardCharsets.UTF_8);
  }

  /**
   * Asks the JVM's proxy selector (as {@link SystemDefaultRoutePlanner} does) once per target host
   * rather than for every request: a transport talks to one endpoint, and the question costs a URI
   * parse and a selector call each time.
   */
  private static final class CachingProxyRoutePlanner extends SystemDefaultRoutePlanner {
    private record Choice(HttpHost target, HttpHost proxy) {}

    private volatile Choice choice;

    CachingProxyRoutePlanner() {
      super(null); // null: ProxySelector.getDefault() when asked
    }

    @Override
    protected HttpHost determineProxy(HttpHost target, HttpContext context) throws HttpException {
      Choice known = choice;
      if (known == null || !known.target().equals(target)) {
        known = new Choice(target, super.determineProxy(target, context));
        choice = known;
      }
      return known.proxy();
    }
  }

  /**
   * The JVM's credentials ({@link Authenticator}, {@code http(s).proxyUser} properties) as
   * HttpClient's {@link SystemDefaultCredentialsProvider} gives them, asked only when the JVM has
   * any: that provider otherwise turns the request URI into a URL and calls the Authenticator on
   * every request (about 15 µs of CPU before the first token here) to find nothing.
   */
  private static final class SystemCredentialsWhenAny implements CredentialsProvider {
    private final SystemDefaultCredentialsProvider system = new SystemDefaultCredentialsProvider();

    @Override
    public Credentials getCredentials(AuthScope scope, HttpContext context) {
      if (Authenticator.getDefault() == null
          && System.getProperty("http.proxyUser") == null
          && System.getProperty("https.proxyUser") == null) {
        return null;
      }
      return system.getCredentials(scope, context);
    }
  }

  /**
   * A header whose value is a secret: marked sensitive, and shown as {@code ***} by {@code
   * toString()}, which HttpClient's {@code headers} logger prints (it does not look at the mark).
   */
  private static final class SecretHeader implements Header {
    private final String name;
    private final String value;

    SecretHeader(String name, String value) {
      this.name = name;
      this.value = value;
    }

    @Override
    public String getName() {
      return name;
    }

    @Override
    public String getValue() {
      return value;
    }

    @Override
    public boolean isSensitive() {
      return true;
    }

    @Override
    public String toString() {
      return name + ": ***";
    }
  }

  /**
   * Holds the first-byte timeout as a deadline for the whole response head ({@link HeadGuard}),
   * switches the socket timeout to "idle time between reads" once the head has arrived, remembers
   * the connection for the bounded drain after {@code [DONE]}, and tells a reused connection that
   * the server had already closed ({@link HeadGuard.Stale}) from other failures.
   */
  private static final class IdleTimeoutExecutor extends HttpRequestExecutor {
    private final Timeout idle;
    private final long firstByteNanos;

    IdleTimeoutExecutor(Timeout idle, long firstByteNanos) {
      this.idle = idle;
      this.firstByteNanos = firstByteNanos;
    }

    @Override
    public ClassicHttpResponse execute(
        ClassicHttpRequest request,
        HttpClientConnection connection,
        HttpResponseInformationCallback informationCallback,
        HttpContext context)
        throws IOException, HttpException {
      boolean reused =
          connection.getEndpointDetails() != null
              && connection.getEndpointDetails().getRequestCount() > 0;
      HeadGuard.Head head = HeadGuard.begin(connection, firstByteNanos);
      ClassicHttpResponse response;
      try {
        response = super.execute(request, connection, informationCallback, context);
      } catch (IOException e) {
        if (reused && head != null && !head.anyByte() && HeadGuard.meansStale(e)) {
          throw new HeadGuard.Stale(e);
        }
        throw e;
      } finally {
        if (head != null) {
          head.end();
        }
      }
      connection.setSocketTimeout(idle);
      context.setAttribute(CONNECTION, connection);
      return response;
    }
  }

  /**
   * One request and its response. The reading thread uses it; {@link #abort()} works from any
   * thread.
   */
  static final class Exchange {
    private final CloseableHttpClient client;
    private final HttpHost target;
    private final HttpPost request;
    private final HttpClientContext context = HttpClientContext.create();
    private volatile ClassicHttpResponse response;

    Exchange(CloseableHttpClient client, HttpHost target, HttpPost request) {
      this.client = client;
      this.target = target;
      this.request = request;
    }

    /**
     * Sends the request and returns once the response head arrived; the body is read later.
     *
     * @throws IOException when connecting, sending or waiting for the head fails or was aborted
     */
    void send() throws IOException {
      response = client.executeOpen(target, request, context);
    }

    int status() {
      return response.getCode();
    }

    /** The media type of the body ({@code text/html}), without parameters, or null. */
    String mediaType() {
      HttpEntity entity = response.getEntity();
      String type = entity == null ? null : entity.getContentType();
      if (type == null) {
        return null;
      }
      int semicolon = type.indexOf(';');
      return (semicolon < 0 ? type : type.substring(0, semicolon))
          .strip()
          .toLowerCase(java.util.Locale.ROOT);
    }

    String header(String name) {
      Header header = response.getFirstHeader(name);
      return header == null ? null : header.getValue();
    }

    /** The body as it arrives; an empty stream when there is none. */
    InputStream body() throws IOException {
      HttpEntity entity = response.getEntity();
      return entity == null ? InputStream.nullInputStream() : entity.getContent();
    }

    boolean isJson() {
      HttpEntity entity = response.getEntity();
      String type = entity == null ? null : entity.getContentType();
      return type != null && type.regionMatches(true, 0, "application/json", 0, 16);
    }

    /** Returns the connection to the pool after the body was read to its end. */
    void release() {
      try {
        response.close();
      } catch (IOException e) {
        abort();
      }
    }

    /**
     * Ends an exchange whose answer is complete although its body may not be ({@code [DONE]} was
     * read): drains a little for reuse, else drops the connection. Never reads events.
     */
    void finish(InputStream body) {
      Object connection = context.getAttribute(CONNECTION);
      try {
        if (connection instanceof HttpClientConnection c) {
          c.setSocketTimeout(DRAIN_TIMEOUT);
        }
        byte[] sink = new byte[1024];
        int drained = 0;
        int n;
        while ((n = body.read(sink)) >= 0) {
          drained += n;
          if (drained > DRAIN_LIMIT) {
            abort();
            return;
          }
        }
        release();
      } catch (IOException e) {
        abort();
      }
    }

    /**
     * Drops the connection at once, without draining; safe from any thread. Synchronized so that a
     * second caller returns only after the first one has given the connection back.
     */
    synchronized void abort() {
      request.cancel();
      if (response instanceof ModalCloseable closeable) {
        closeable.close(CloseMode.IMMEDIATE);
      }
    }
  }
}
