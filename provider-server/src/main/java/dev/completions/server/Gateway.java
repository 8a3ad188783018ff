package dev.completions.server;

import dev.completions.api.CompletionRequest;
import dev.completions.api.CompletionStream;
import dev.completions.api.MissingCapabilityException;
import dev.completions.registry.ProviderRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway's one handler: routes, checks the key, reads the body within its limits, chooses the
 * provider and writes the answer. Runs each request on the thread Jetty gives it and blocks there
 * while the answer streams. Keeps the open answers so that {@link #closeAll()} can abort their
 * upstream calls. Thread-safe.
 */
final class Gateway extends Handler.Abstract {

  private static final Logger LOG = LoggerFactory.getLogger(CompletionServer.class);

  private final ProviderRegistry registry;
  private final ApiKey key;
  private final long maxBodyBytes;
  private final long readTimeoutNanos;
  private final Routing routing;
  private final Catalog catalog;
  private final Set<CompletionStream> open = ConcurrentHashMap.newKeySet();
  private volatile boolean closing;

  Gateway(ProviderRegistry registry, ApiKey key, long maxBodyBytes, Duration readTimeout) {
    this.registry = registry;
    this.key = key;
    this.maxBodyBytes = maxBodyBytes;
    this.readTimeoutNanos = readTimeout.toNanos();
    this.routing = new Routing(registry);
    this.catalog = new Catalog(registry);
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) {
    try {
      route(request, response);
      callback.succeeded();
    } catch (HttpError e) {
      respondError(response, callback, e);
    } catch (IOException e) {
      LOG.debug("client gone: {}", e.toString());
      callback.failed(e);
    } catch (RuntimeException e) {
      LOG.warn(
          "unexpected failure of {} {}", request.getMethod(), Request.getPathInContext(request), e);
      respondError(
          response,
          callback,
          new HttpError(500, "server_error", "internal_error", null, "the gateway failed: " + e));
    }
    return true;
  }

  private void route(Request request, Response response) throws IOException {
    String path = Request.getPathInContext(request);
    switch (path) {
      case "/health" -> {
        requireMethod(request, "GET");
        json(response, 200, "{\"status\":\"ok\"}".getBytes(StandardCharsets.US_ASCII));
        return;
      }
      case "/ready" -> {
        requireMethod(request, "GET");
        boolean ready = catalog.count() > 0 && !closing;
        json(
            response,
            ready ? 200 : 503,
            ("{\"status\":\""
                    + (ready ? "ready" : closing ? "closing" : "no provider is loaded")
                    + "\",\"providers\":"
                    + catalog.count()
                    + "}")
                .getBytes(StandardCharsets.US_ASCII));
        return;
      }
      default -> {}
    }
    String pathProvider = null;
    String rest = path;
    if (path.startsWith("/api/")) {
      int slash = path.indexOf('/', 5);
      if (slash > 5) {
        pathProvider = path.substring(5, slash);
        rest = path.substring(slash);
      }
    }
    if (!rest.startsWith("/v1/")) {
      throw HttpError.notFound(
          "not_found",
          null,
          "no route for "
              + path
              + "; the API is under /v1/ (or /api/{provider}/v1/), with /health and /ready");
    }
    authorize(request);
    if (rest.equals("/v1/chat/completions")) {
      requireMethod(request, "POST");
      complete(request, response, pathProvider);
    } else if (rest.equals("/v1/models")) {
      requireMethod(request, "GET");
      json(response, 200, catalog.models());
    } else if (rest.equals("/v1/providers")) {
      requireMethod(request, "GET");
      json(response, 200, catalog.providers());
    } else if (rest.startsWith("/v1/providers/")) {
      requireMethod(request, "GET");
      String name = rest.substring("/v1/providers/".length());
      json(
          response,
          200,
          catalog
              .provider(name)
              .orElseThrow(
                  () ->
                      HttpError.notFound(
                          "provider_not_found",
                          null,
                          "unknown provider '"
                              + name
                              + "'; available: "
                              + String.join(", ", registry.names()))));
    } else {
      throw HttpError.notFound(
          "not_found",
          null,
          "no route for "
              + path
              + "; served: /v1/chat/completions, /v1/models, /v1/providers, /v1/providers/{name}");
    }
  }

  private void complete(Request request, Response response, String pathProvider)
      throws IOException {
    ChatRequest chat = ChatRequest.parse(body(request));
    Routing.Choice choice = routing.choose(pathProvider, chat.provider(), chat.model());
    CompletionRequest completion = chat.toRequest(choice.provider(), choice.model());
    boolean streaming = chat.stream();
    boolean includeUsage = streaming && chat.includeUsage();
    CompletionStream stream;
    // the call's span (when a listener traces) is a child of the caller's traceparent
    try (io.opentelemetry.context.Scope caller = TraceParent.of(request).makeCurrent()) {
      stream = choice.provider().complete(completion);
    } catch (MissingCapabilityException e) {
      String message = e.withAlternatives(registry.providersWith(e.missing())).getMessage();
      throw HttpError.badRequest(null, message);
    } catch (IllegalArgumentException e) {
      throw HttpError.badRequest(HttpError.field(e.getMessage()), e.getMessage());
    }
    open.add(stream);
    try {
      if (closing) {
        stream.close();
      }
      // the client going away (or its connection failing) aborts the upstream call at once
      request.addFailureListener(failure -> stream.close());
      // while the upstream is silent the provider's own timeouts bound the wait
      request.addIdleTimeoutListener(timeout -> false);
      Answer answer =
          new Answer(
              response,
              request.getComponents().getExecutor(),
              stream,
              completion.model() != null
                  ? completion.model()
                  : choice.provider().info().defaultModel());
      if (streaming) {
        answer.stream(includeUsage);
      } else {
        answer.whole();
      }
    } finally {
      stream.close();
      open.remove(stream);
    }
  }

  /** The body, at most {@code maxBodyBytes}, arriving within the read timeout. */
  private byte[] body(Request request) throws IOException {
    long declared = request.getLength();
    if (declared > maxBodyBytes) {
      throw tooLarge();
    }
    long deadline = System.nanoTime() + readTimeoutNanos;
    ByteArrayOutputStream body = new ByteArrayOutputStream(declared > 0 ? (int) declared : 1024);
    byte[] buffer = new byte[8192];
    InputStream in = Content.Source.asInputStream(request);
    int read;
    while ((read = in.read(buffer)) >= 0) {
      body.write(buffer, 0, read);
      if (body.size() > maxBodyBytes) {
        throw tooLarge();
      }
      if (System.nanoTime() - deadline > 0) {
        throw new HttpError(
            408,
            "invalid_request_error",
            "request_timeout",
            null,
            "the body did not arrive within the read timeout");
      }
    }
    return body.toByteArray();
  }

  private HttpError tooLarge() {
    return new HttpError(
        413,
        "invalid_request_error",
        "request_too_large",
        null,
        "the body is larger than " + maxBodyBytes + " bytes, the most this gateway accepts");
  }

  private void authorize(Request request) {
    switch (key.check(
        request.getHeaders().get(HttpHeader.AUTHORIZATION),
        request.getHeaders().get("x-api-key"))) {
      case ACCEPTED -> {}
      case MISSING ->
          throw new HttpError(
              401,
              "authentication_error",
              "missing_api_key",
              null,
              "this gateway needs a key: Authorization: Bearer KEY or x-api-key: KEY");
      case WRONG ->
          throw new HttpError(
              403, "permission_error", "invalid_api_key", null, "the key is not this gateway's");
    }
  }

  private static void requireMethod(Request request, String method) {
    if (!request.getMethod().equals(method)) {
      throw new HttpError(
          405,
          "invalid_request_error",
          "method_not_allowed",
          null,
          Request.getPathInContext(request) + " takes " + method + ", not " + request.getMethod());
    }
  }

  private static void json(Response response, int status, byte[] body) throws IOException {
    response.setStatus(status);
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
    Content.Sink.write(response, true, ByteBuffer.wrap(body));
  }

  private static void respondError(Response response, Callback callback, HttpError error) {
    if (response.isCommitted()) {
      callback.failed(error);
      return;
    }
    LOG.debug("answered {}: {}", error.status, error.getMessage());
    response.setStatus(error.status);
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
    if (error.retryAfter != null) {
      long seconds = Math.max(1, (error.retryAfter.toMillis() + 999) / 1000);
      response.getHeaders().put(HttpHeader.RETRY_AFTER, Long.toString(seconds));
    }
    response.write(true, ByteBuffer.wrap(errorBody(error)), callback);
  }

  /** OpenAI's error object: {@code {"error":{"message","type","param","code"}}}. */
  static byte[] errorBody(HttpError error) {
    return Catalog.json(
        json -> {
          json.writeObjectFieldStart("error");
          json.writeStringField("message", error.getMessage());
          json.writeStringField("type", error.type);
          if (error.param == null) {
            json.writeNullField("param");
          } else {
            json.writeStringField("param", error.param);
          }
          if (error.code == null) {
            json.writeNullField("code");
          } else {
            json.writeStringField("code", error.code);
          }
          json.writeEndObject();
        });
  }

  /** Refuses new answers and aborts the open ones' upstream calls. */
  void closeAll() {
    closing = true;
    for (CompletionStream stream : open) {
      stream.close();
    }
  }

  /** {@return how many providers can be chosen by name} */
  int providers() {
    return catalog.count();
  }

  /** {@return how many answers are open} */
  int openAnswers() {
    return open.size();
  }
}
