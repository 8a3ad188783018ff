package dev.completions.lockchat;

import dev.completions.api.CompletionEvent;
import dev.completions.api.EventSource;
import dev.completions.api.ProviderException;
import dev.completions.api.ProviderException.Kind;
import dev.completions.api.Usage;
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
import org.apache.hc.client5.http.ConnectTimeoutException;
import org.apache.hc.client5.http.HttpHostConnectException;
import org.apache.hc.core5.http.NoHttpResponseException;
import org.slf4j.Logger;

/**
 * One request's answer: sends it, retries while nothing was delivered, and turns the response
 * (server-sent events or one JSON body) into typed events. Read by one thread; {@link #close()}
 * from any thread aborts the exchange.
 */
final class LockchatEventSource implements EventSource, InterruptWatch.Watched {

  private static final int ERROR_BODY_LIMIT = 64 * 1024;
  private static final int READ_BUFFER = 2048;

  private final String provider;
  private final HttpTransport transport;
  private final RetryPolicy retry;
  private final Settings settings;
  private final byte[] body;
  private final boolean stream;
  private final Logger log;
  private final String redactedEndpoint;

  private final ChunkDecoder decoder = new ChunkDecoder();
  private final Chunk chunk = new Chunk();
  private final ArrayDeque<CompletionEvent> pending = new ArrayDeque<>(8);

  private volatile HttpTransport.Exchange exchange;
  private volatile boolean closed;
  private volatile Thread reader;
  private InputStream in;
  private SseReader sse;
  private int attempt;
  private boolean delivered;
  private boolean finished;

  LockchatEventSource(String provider, HttpTransport transport, RetryPolicy retry, Settings settings,
      String redactedEndpoint, byte[] body, boolean stream, Logger log) {
    this.provider = provider;
    this.transport = transport;
    this.retry = retry;
    this.settings = settings;
    this.body = body;
    this.stream = stream;
    this.log = log;
    this.redactedEndpoint = redactedEndpoint;
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
        if (delivered || !failure.isRetryable() || attempt >= retry.attempts()) {
          throw giveUp(failure);
        }
        Duration wait = failure.retryAfter().orElse(null);
        if (wait != null && wait.compareTo(retry.maxRetryWait()) > 0) {
          throw failure.toBuilder()
              .message(failure.detail() + "; the server asked to wait "
                  + wait.toMillis() + " ms, longer than lockchat.maxRetryWait (" + retry.maxRetryWait().toMillis() + " ms)")
              .attempts(attempt)
              .build();
        }
        if (wait == null) {
          wait = retry.backoff(attempt);
        }
        log.warn("{} attempt {}/{} failed ({}); retrying in {} ms",
            provider, attempt, retry.attempts(), failure.kind().wireName(), wait.toMillis());
        try {
          retry.sleep(wait);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw cancelled(e);
        }
      }
    }
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
      }
    }
  }

  private void open() throws IOException {
    attempt++;
    HttpTransport.Exchange opened = transport.exchange(body, stream);
    exchange = opened;
    InterruptWatch.SHARED.watch(this);
    if (closed) {
      throw cancelled(null);
    }
    opened.send();
    int status = opened.status();
    if (log.isDebugEnabled()) { // five arguments: an array and a boxed status on every request otherwise
      log.debug("{} attempt {}/{}: POST {} -> HTTP {}", provider, attempt, retry.attempts(), redactedEndpoint, status);
    }
    in = opened.body();
    if (status >= 400) {
      throw statusFailure(opened, status);
    }
    sse = opened.isJson() ? null : new SseReader(in, settings.maxEventBytes(), READ_BUFFER);
  }

  private ProviderException statusFailure(HttpTransport.Exchange failed, int status) throws IOException {
    String text = Redaction.redact(
        new String(readAtMost(in, ERROR_BODY_LIMIT), StandardCharsets.UTF_8), settings.authToken());
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    Chunk error = null;
    if (text.stripLeading().startsWith("{")) {
      try {
        decoder.decode(bytes, 0, bytes.length, chunk);
        error = chunk.hasError ? chunk : null;
      } catch (MalformedStreamException notJson) {
        error = null;
      }
    }
    ProviderException.Builder builder = Errors.forStatus(provider, status, text, error);
    Duration wait = RetryPolicy.requestedWait(
        failed.header("Retry-After-Ms"), failed.header("Retry-After"), Instant.now());
    String shouldRetry = failed.header("X-Should-Retry");
    if ("true".equalsIgnoreCase(shouldRetry)) {
      builder.retryable(true);
    } else if ("false".equalsIgnoreCase(shouldRetry)) {
      builder.retryable(false);
    }
    return builder.retryAfter(wait).attempts(attempt).build();
  }

  private void readEvent() throws IOException {
    switch (sse.next()) {
      case END -> {
        finished = true;
        InterruptWatch.SHARED.unwatch(this);
        exchange.release();
      }
      case STRAY_LINE -> strayLine(sse.strayLine());
      case EVENT -> {
        if (sse.isErrorEvent()) {
          throw eventError(sse.data(), sse.dataLength());
        }
        if (sse.dataEquals("[DONE]")) {
          finished = true;
          InterruptWatch.SHARED.unwatch(this);
          exchange.finish(in);
          return;
        }
        decodeChunk(sse.data(), sse.dataLength());
      }
    }
  }

  private void strayLine(String line) {
    if (Errors.isModelMissing(line)) {
      throw ProviderException.builder(Kind.MODEL_NOT_FOUND, provider)
          .message(Redaction.redact(line.strip(), settings.authToken()))
          .retryable(true)
          .build();
    }
    if (line.startsWith("error:") || line.startsWith("error :")) {
      byte[] json = line.substring(line.indexOf(':') + 1).strip().getBytes(StandardCharsets.UTF_8);
      throw eventError(json, json.length);
    }
    log.debug("{} ignored a line that is not a server-sent-events field ({} characters)", provider, line.length());
  }

  private ProviderException eventError(byte[] data, int length) {
    String raw = new String(data, 0, length, StandardCharsets.UTF_8).strip();
    Chunk error = null;
    try {
      decoder.decode(data, 0, length, chunk);
      error = chunk.hasError || chunk.errorMessage != null ? chunk : null;
    } catch (MalformedStreamException notJson) {
      error = null;
    }
    String detail = Redaction.redact(error != null ? Errors.errorText(error) : Errors.excerpt(raw), settings.authToken());
    return Errors.forEvent(provider, detail, error).attempts(attempt).build();
  }

  private void readJsonBody() throws IOException {
    byte[] bytes = readAtMost(in, settings.maxEventBytes() + 1);
    if (bytes.length > settings.maxEventBytes()) {
      throw new MalformedStreamException("the JSON answer is larger than the limit of " + settings.maxEventBytes() + " bytes");
    }
    finished = true;
    InterruptWatch.SHARED.unwatch(this);
    exchange.release();
    decodeChunk(bytes, bytes.length);
  }

  private void decodeChunk(byte[] data, int length) throws MalformedStreamException {
    try {
      decoder.decode(data, 0, length, chunk);
    } catch (MalformedStreamException e) {
      String raw = new String(data, 0, Math.min(length, 4096), StandardCharsets.UTF_8);
      if (Errors.isModelMissing(raw)) {
        strayLine(raw);
      }
      throw e;
    }
    if (chunk.hasError) {
      throw Errors.forEvent(provider, Redaction.redact(Errors.errorText(chunk), settings.authToken()), chunk)
          .attempts(attempt).build();
    }
    if (chunk.model != null) {
      pending.add(new CompletionEvent.Answered(provider, chunk.model));
    }
    if (chunk.reasoning != null && !chunk.reasoning.isEmpty()) {
      pending.add(new CompletionEvent.Reasoning(chunk.reasoning));
    }
    if (chunk.refusal != null && !chunk.refusal.isEmpty()) {
      pending.add(new CompletionEvent.Refusal(chunk.refusal));
    }
    if (chunk.content != null && !chunk.content.isEmpty()) {
      pending.add(new CompletionEvent.Text(chunk.content));
    }
    for (int i = 0; i < chunk.toolCallCount; i++) {
      Chunk.ToolCallPart part = chunk.toolCalls.get(i);
      pending.add(new CompletionEvent.ToolCallDelta(part.index, part.id, part.name, part.arguments));
    }
    if (chunk.finishReason != null) {
      pending.add(new CompletionEvent.Finish(chunk.finishReason));
    }
    if (chunk.hasUsage) {
      pending.add(new CompletionEvent.UsageReport(
          new Usage(chunk.promptTokens, chunk.completionTokens, chunk.totalTokens)));
    }
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
      message = "could not connect within " + settings.connectTimeout().toMillis() + " ms (lockchat.connectTimeout)";
    } else if (e instanceof SocketTimeoutException) {
      kind = Kind.TIMEOUT;
      message = headReceived
          ? "no data for " + settings.idleTimeout().toMillis() + " ms (lockchat.idleTimeout)"
          : "no answer within " + settings.firstByteTimeout().toMillis() + " ms (lockchat.firstByteTimeout)";
    } else if (e instanceof InterruptedIOException) {
      return cancelled(e);
    } else if (e instanceof UnknownHostException) {
      kind = Kind.CONNECTION;
      message = "unknown host " + settings.baseUrl().getHost();
    } else if (e instanceof HttpHostConnectException || e instanceof ConnectException || e instanceof NoRouteToHostException) {
      kind = Kind.CONNECTION;
      message = "could not connect to " + settings.baseUrl().getHost() + ":" + port() + ": " + rootMessage(e);
    } else if (e instanceof SSLException) {
      kind = Kind.CONNECTION;
      message = "TLS failed with " + settings.baseUrl().getHost() + ": " + rootMessage(e);
      retryable = false;
    } else if (e instanceof NoHttpResponseException) {
      kind = Kind.CONNECTION;
      message = "the server closed the connection without answering";
    } else {
      kind = Kind.CONNECTION;
      message = (headReceived ? "the connection broke while reading the answer: " : "the request failed: ")
          + rootMessage(e);
    }
    return ProviderException.builder(kind, provider).message(Redaction.redact(message, settings.authToken()))
        .retryable(retryable).attempts(attempt).cause(Redaction.scrub(e, settings.authToken())).build();
  }

  private ProviderException giveUp(ProviderException failure) {
    if (failure.attempts() == attempt && attempt == 1) {
      return failure;
    }
    String detail = failure.detail();
    return failure.toBuilder()
        .message(attempt > 1 ? detail + " (after " + attempt + " attempts)" : detail)
        .attempts(attempt)
        .build();
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
    int port = settings.baseUrl().getPort();
    return port > 0 ? port : settings.baseUrl().getScheme().equalsIgnoreCase("https") ? 443 : 80;
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
    while (length < limit && (n = in.read(out, length, Math.min(out.length, limit) - length)) >= 0) {
      length += n;
      if (length == out.length && length < limit) {
        out = Arrays.copyOf(out, Math.min(limit, out.length * 2));
      }
    }
    return length == out.length ? out : Arrays.copyOf(out, length);
  }
}
