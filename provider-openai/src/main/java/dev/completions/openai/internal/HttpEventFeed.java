package dev.completions.openai.internal;

import dev.completions.api.CompletionEvent;
import dev.completions.api.ConfigSource;
import dev.completions.api.EventFeed;
import dev.completions.api.ProviderException;
import dev.completions.api.ProviderException.Kind;
import dev.completions.openai.ErrorRules;
import dev.completions.openai.EventSink;
import dev.completions.openai.ProviderConfig;
import dev.completions.openai.WireDecoder;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Arrays;
import javax.net.ssl.SSLException;
import org.apache.hc.client5.http.ClientProtocolException;
import org.apache.hc.client5.http.ConnectTimeoutException;
import org.apache.hc.client5.http.HttpHostConnectException;
import org.apache.hc.core5.http.MessageConstraintException;
import org.apache.hc.core5.http.NoHttpResponseException;
import org.apache.hc.core5.http.ParseException;
import org.slf4j.Logger;

/**
 * One request's answer: sends it, retries while nothing was delivered, reads the response as
 * server-sent events (or one JSON body) and hands each event to the provider's {@link WireDecoder}.
 * Read by one thread; {@link #close()} from any thread aborts the exchange.
 */
public final class HttpEventFeed implements EventFeed, EventSink, InterruptWatch.Watched {

  private static final int ERROR_BODY_LIMIT = 64 * 1024;

  /**
   * How much of an HTML page is read for the excerpt of the error that says it came instead of the
   * answer.
   */
  private static final int PAGE_EXCERPT_LIMIT = 4096;

  private static final int READ_BUFFER = 2048;

  private final String provider;
  private final ProviderConfig config;
  private final HttpTransport transport;
  private final RetryPolicy retry;
  private final byte[] body;
  private final boolean stream;
  private final WireDecoder decoder;
  private final Logger log;
  private final String secret;
  private final String redactedEndpoint;

  private final ArrayDeque<CompletionEvent> pending = new ArrayDeque<>(8);

  private volatile HttpTransport.Exchange exchange;
  private volatile boolean closed;
  private volatile Thread reader;
  private InputStream in;
  private SseReader sse;
  private int attempt;
  private boolean delivered;
  private boolean finished;

  /** The last failure failed on a pooled connection the server had already closed. */
  private boolean stale;

  /** Retries after such failures, which count no attempt; bounded by the pool's size. */
  private int staleRetries;

  /** The wait before the next attempt, announced by the Retrying event last returned; or null. */
  private Duration retryWait;

  /** The latest failure that says more than "connection" or "timeout", for the final error. */
  private ProviderException informative;

  /** An answer not yet requested: nothing happens until the first {@link #next()}. */
  public HttpEventFeed(
      ProviderConfig config,
      HttpTransport transport,
      RetryPolicy retry,
      byte[] body,
      boolean stream,
      WireDecoder decoder,
      Logger log) {
    this.provider = config.name();
    this.config = config;
    this.transport = transport;
    this.retry = retry;
    this.body = body;
    this.stream = stream;
    this.decoder = decoder;
    this.log = log;
    this.secret = config.auth().secret().orElse("");
    this.redactedEndpoint = transport.redactedEndpoint();
  }

  @Override
  public CompletionEvent next() {
    reader = Thread.currentThread();
    while (true) {
      try {
        return read();
      } catch (ProviderException failure) {
        abortExchange();
        if (failure.kind() == Kind.CANCELLED) {
          throw failure;
        }
        if (closed) {
          throw cancelled(failure);
        }
        if (stale && !delivered && staleRetries < config.maxConnections()) {
          // the server had closed the pooled connection: not an attempt, and no reason to wait
          stale = false;
          staleRetries++;
          attempt--;
          log.debug(
              "{} attempt {}/{} found its pooled connection closed by the server; retrying on another",
              provider,
              attempt + 1,
              retry.attempts());
          continue;
        }
        stale = false;
        if (isInformative(failure)) {
          informative = failure;
        }
        if (delivered || !failure.isRetryable() || attempt >= retry.attempts()) {
          throw giveUp(failure);
        }
        Duration wait = failure.retryAfter().orElse(null);
        if (wait != null && wait.compareTo(retry.maxRetryWait()) > 0) {
          throw failure.toBuilder()
              .message(
                  failure.detail()
                      + "; the server asked to wait "
                      + wait.toMillis()
                      + " ms, longer than "
                      + config.settingsPrefix()
                      + ".maxRetryWait ("
                      + retry.maxRetryWait().toMillis()
                      + " ms)")
              .attempts(attempt)
              .build();
        }
        if (wait == null) {
          wait = retry.backoff(attempt);
        }
        log.warn(
            "{} attempt {}/{} failed ({}); retrying in {} ms",
            provider,
            attempt,
            retry.attempts(),
            failure.kind().wireName(),
            wait.toMillis());
        // told before the wait, so that observers see the retry as it happens; the next attempt
        // waits first (in open(), off the path of every event)
        retryWait = wait;
        return new CompletionEvent.Retrying(provider, attempt, failure, wait);
      }
    }
  }

  /**
   * Refuses, before any I/O, an exchange of a provider whose secret is needed but not configured;
   * the error names where to set it.
   */
  public static void requireKey(ProviderConfig config) {
    if (config.auth().needsSecret() && config.auth().secret().isEmpty()) {
      throw missingKey(config);
    }
  }

  private static ProviderException missingKey(ProviderConfig config) {
    String variable =
        config.apiKeyVariable() != null
            ? config.apiKeyVariable()
            : ConfigSource.environmentName(config.settingsPrefix() + ".apiKey");
    return ProviderException.builder(Kind.AUTH, config.name())
        .message(
            "no API key: set "
                + variable
                + " (or the property "
                + config.settingsPrefix()
                + ".apiKey)")
        .retryable(false)
        .attempts(1)
        .build();
  }

  @Override
  public void emit(CompletionEvent event) {
    pending.add(event);
  }

  @Override
  public String provider() {
    return provider;
  }

  @Override
  public ErrorRules rules() {
    return config.errorRules();
  }

  @Override
  public void close() {
    closed = true;
    abortExchange();
  }

  @Override
  public Thread reader() {
    return reader;
  }

  @Override
  public void abortForInterrupt() {
    HttpTransport.Exchange current = exchange;
    if (current != null) {
      current.abort();
    }
  }

  private CompletionEvent read() {
    while (true) {
      CompletionEvent event = pending.poll();
      if (event != null) {
        if (!(event instanceof CompletionEvent.Answered)) {
          delivered = true;
        }
        return event;
      }
      if (finished) {
        return null;
      }
      if (closed || Thread.currentThread().isInterrupted()) {
        throw cancelled(null);
      }
      try {
        if (exchange == null) {
          open();
        } else if (sse != null) {
          readEvent();
        } else {
          readJsonBody();
        }
      } catch (IOException e) {
        throw failure(e);
      } catch (ProviderException e) {
        throw redacted(e);
      } catch (RuntimeException e) {
        throw ProviderException.builder(Kind.PROTOCOL, provider)
            .message(Redaction.redact("the provider's decoder failed: " + e, secret))
            .retryable(false)
            .attempts(Math.max(1, attempt))
            .cause(Redaction.scrub(e, secret))
            .build();
      }
    }
  }

  private void open() throws IOException {
    if (retryWait != null) {
      Duration wait = retryWait;
      retryWait = null;
      try {
        retry.sleep(wait);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw cancelled(e);
      }
      if (closed) {
        throw cancelled(null);
      }
    }
    requireKey(config);
    attempt++;
    HttpTransport.Exchange opened = transport.exchange(body, stream);
    exchange = opened;
    InterruptWatch.SHARED.watch(this);
    if (closed) {
      throw cancelled(null);
    }
    opened.send();
    int status = opened.status();
    if (log.isDebugEnabled()) { // five arguments: an array and a boxed status on every request
      // otherwise
      log.debug(
          "{} attempt {}/{}: POST {} -> HTTP {}",
          provider,
          attempt,
          retry.attempts(),
          redactedEndpoint,
          status);
    }
    in = opened.body();
    if (status >= 400) {
      throw statusFailure(opened, status);
    }
    if (status >= 300) {
      throw notFollowed(opened, status);
    }
    String type = opened.mediaType();
    if ("text/html".equals(type) || "application/xhtml+xml".equals(type)) {
      throw notTheAnswer(status, type);
    }
    sse = opened.isJson() ? null : new SseReader(in, config.maxEventBytes(), READ_BUFFER);
  }

  /**
   * A redirect: not followed (the request would go where the configuration does not say), named
   * with its target.
   */
  private ProviderException notFollowed(HttpTransport.Exchange redirected, int status) {
    String location = redirected.header("Location");
    String message =
        location == null || location.isBlank()
            ? "HTTP " + status + " without a Location; redirects are not followed"
            : "HTTP "
                + status
                + ": redirected to "
                + withoutQuery(location.strip())
                + "; not followed";
    return ProviderException.builder(Kind.PROTOCOL, provider)
        .message(message)
        .httpStatus(status)
        .retryable(false)
        .attempts(attempt)
        .build();
  }

  /** A page (a login or portal page, a web server's default page) where the answer should be. */
  private ProviderException notTheAnswer(int status, String type) throws IOException {
    String page = redactRaw(new String(readAtMost(in, PAGE_EXCERPT_LIMIT), StandardCharsets.UTF_8));
    String excerpt = ErrorRules.excerpt(page);
    return ProviderException.builder(Kind.PROTOCOL, provider)
        .message(
            "expected "
                + (stream ? "text/event-stream" : "application/json")
                + ", got "
                + type
                + (excerpt.isEmpty() ? "" : ": " + excerpt))
        .httpStatus(status)
        .retryable(false)
        .attempts(attempt)
        .build();
  }

  /** A URL as messages may show it: without user information, query or fragment. */
  private static String withoutQuery(String url) {
    int end = url.length();
    for (int i = 0; i < url.length(); i++) {
      char c = url.charAt(i);
      if (c == '?' || c == '#') {
        end = i;
        break;
      }
    }
    return url.substring(0, end).replaceFirst("^([A-Za-z][A-Za-z0-9+.-]*://)[^/@]*@", "$1");
  }

  private ProviderException statusFailure(HttpTransport.Exchange failed, int status)
      throws IOException {
    // the raw body is redacted for excerpts, and the error made from it again once decoded: a
    // server may echo the secret escaped (S3CR3T\/TOKEN, \u002d), which decoding turns back into it
    String text = redactRaw(new String(readAtMost(in, ERROR_BODY_LIMIT), StandardCharsets.UTF_8));
    ProviderException.Builder builder = decoder.onErrorStatus(status, text, this);
    Duration wait =
        RetryPolicy.requestedWait(
            failed.header("Retry-After-Ms"), failed.header("Retry-After"), Instant.now());
    String shouldRetry = failed.header("X-Should-Retry");
    if ("true".equalsIgnoreCase(shouldRetry)) {
      builder.retryable(true);
    } else if ("false".equalsIgnoreCase(shouldRetry)) {
      builder.retryable(false);
    }
    return redacted(builder.retryAfter(wait).attempts(attempt).build());
  }

  private String redactRaw(String text) {
    return Redaction.redact(text, secret);
  }

  private void readEvent() throws IOException {
    switch (sse.next()) {
      case END -> {
        decoder.onEnd(this);
        finished = true;
        InterruptWatch.SHARED.unwatch(this);
        exchange.release();
      }
      case STRAY_LINE -> {
        String line = sse.strayLine();
        ProviderException.Builder own = config.errorRules().forStrayLine(provider, line);
        if (own != null) {
          throw own.attempts(attempt).build();
        }
        decoder.onStrayLine(line, this);
      }
      case EVENT -> {
        if (decoder.onEvent(sse, this)) {
          finished = true;
          InterruptWatch.SHARED.unwatch(this);
          exchange.finish(in);
        }
      }
    }
  }

  private void readJsonBody() throws IOException {
    byte[] bytes = readAtMost(in, config.maxEventBytes() + 1);
    if (bytes.length > config.maxEventBytes()) {
      throw new MalformedStreamException(
          "the JSON answer is larger than the limit of " + config.maxEventBytes() + " bytes");
    }
    InterruptWatch.SHARED.unwatch(this);
    exchange.release();
    decoder.onBody(bytes, bytes.length, this);
    finished = true; // only now: a body that is an error may be retried
  }

  /** The failure with the secret removed from its message, and the attempt it ended. */
  private ProviderException redacted(ProviderException e) {
    String detail = e.detail();
    String clean = Redaction.redact(detail, secret);
    if (clean.equals(detail) && e.attempts() == Math.max(1, attempt)) {
      return e;
    }
    // the original must not travel along as the cause: its message may hold the secret
    ProviderException replaced =
        e.toBuilder()
            .message(clean)
            .attempts(Math.max(1, attempt))
            .cause(e.getCause() == null ? null : Redaction.scrub(e.getCause(), secret))
            .build();
    replaced.setStackTrace(e.getStackTrace());
    return replaced;
  }

  private ProviderException failure(IOException e) {
    if (closed || Thread.currentThread().isInterrupted()) {
      return cancelled(e);
    }
    boolean headReceived = in != null;
    Kind kind;
    String message;
    boolean retryable = true;
    if (e instanceof MalformedStreamException) {
      kind = Kind.PROTOCOL;
      message = "malformed answer: " + e.getMessage();
      retryable = false;
    } else if (e instanceof ConnectTimeoutException) {
      kind = Kind.TIMEOUT;
      message =
          "could not connect within "
              + config.connectTimeout().toMillis()
              + " ms ("
              + config.settingsPrefix()
              + ".connectTimeout)";
    } else if (e instanceof SocketTimeoutException) {
      kind = Kind.TIMEOUT;
      String firstByte =
          config.firstByteTimeout().toMillis()
              + " ms ("
              + config.settingsPrefix()
              + ".firstByteTimeout)";
      message =
          headReceived
              ? "no data for "
                  + config.idleTimeout().toMillis()
                  + " ms ("
                  + config.settingsPrefix()
                  + ".idleTimeout)"
              : e instanceof HeadGuard.Timeout late && late.partial
                  ? "the response head was not complete within " + firstByte
                  : "no answer within " + firstByte;
    } else if (e instanceof HeadGuard.Stale) {
      stale = true;
      kind = Kind.CONNECTION;
      message = "the server closed the reused connection without answering";
    } else if (e instanceof HeadGuard.Cut) {
      kind = Kind.CONNECTION;
      message = e.getMessage();
    } else if (e instanceof HeadGuard.NotHttp
        || e instanceof MessageConstraintException
        || (e instanceof ClientProtocolException && e.getCause() instanceof ParseException)) {
      kind = Kind.PROTOCOL;
      message = "malformed response head: " + rootMessage(e);
      retryable = false;
    } else if (e instanceof ClientProtocolException) {
      kind = Kind.PROTOCOL;
      message = "the server broke the HTTP protocol: " + rootMessage(e);
      retryable = false;
    } else if (e instanceof InterruptedIOException) {
      return cancelled(e);
    } else if (e instanceof UnknownHostException) {
      kind = Kind.CONNECTION;
      message = "unknown host " + config.baseUrl().getHost();
    } else if (e instanceof HttpHostConnectException
        || e instanceof ConnectException
        || e instanceof NoRouteToHostException) {
      kind = Kind.CONNECTION;
      message =
          "could not connect to "
              + config.baseUrl().getHost()
              + ":"
              + port()
              + ": "
              + rootMessage(e);
    } else if (e instanceof SSLException) {
      kind = Kind.CONNECTION;
      message = "TLS failed with " + config.baseUrl().getHost() + ": " + rootMessage(e);
      retryable = false;
    } else if (e instanceof NoHttpResponseException) {
      kind = Kind.CONNECTION;
      message = "the server closed the connection without answering";
    } else {
      kind = Kind.CONNECTION;
      message =
          (headReceived
                  ? "the connection broke while reading the answer: "
                  : "the request failed: ")
              + rootMessage(e);
    }
    return ProviderException.builder(kind, provider)
        .message(Redaction.redact(message, secret))
        .retryable(retryable)
        .attempts(attempt)
        .cause(Redaction.scrub(e, secret))
        .build();
  }

  /**
   * The final error: this failure, or, when it says only "connection" or "timeout", the latest one
   * that said more (a 429 is not hidden by a connection the server dropped afterwards).
   */
  private ProviderException giveUp(ProviderException failure) {
    if (failure.attempts() == attempt && attempt == 1) {
      return failure;
    }
    ProviderException reported = failure;
    String last = "";
    if (!isInformative(failure) && informative != null) {
      reported = informative;
      last = "; the last one: " + failure.detail();
    }
    String detail = reported.detail();
    return reported.toBuilder()
        .message(attempt > 1 ? detail + " (after " + attempt + " attempts" + last + ")" : detail)
        .attempts(attempt)
        .build();
  }

  /**
   * Whether the server said what went wrong (a status, an error it sent) rather than only
   * "connection" or "timeout".
   */
  private static boolean isInformative(ProviderException failure) {
    return failure.httpStatus().isPresent()
        || (failure.kind() != Kind.CONNECTION && failure.kind() != Kind.TIMEOUT);
  }

  private ProviderException cancelled(Throwable cause) {
    return ProviderException.builder(Kind.CANCELLED, provider)
        .message(closed ? "the stream was closed" : "the reading thread was interrupted")
        .attempts(Math.max(1, attempt))
        .cause(cause)
        .build();
  }

  private void abortExchange() {
    HttpTransport.Exchange current = exchange;
    if (current != null && !finished) {
      current.abort();
    }
    if (current != null) {
      InterruptWatch.SHARED.unwatch(this);
    }
    exchange = null;
    sse = null;
    in = null;
  }

  private int port() {
    int port = config.baseUrl().getPort();
    return port >= 0 ? port : config.baseUrl().getScheme().equalsIgnoreCase("https") ? 443 : 80;
  }

  private static String rootMessage(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String message = root.getMessage();
    return message == null ? root.getClass().getSimpleName() : message;
  }

  private static byte[] readAtMost(InputStream in, int limit) throws IOException {
    byte[] out = new byte[Math.min(limit, 8192)];
    int length = 0;
    int n;
    while (length < limit
        && (n = in.read(out, length, Math.min(out.length, limit) - length)) >= 0) {
      length += n;
      if (length == out.length && length < limit) {
        out = Arrays.copyOf(out, Math.min(limit, out.length * 2));
      }
    }
    return length == out.length ? out : Arrays.copyOf(out, length);
  }
}
