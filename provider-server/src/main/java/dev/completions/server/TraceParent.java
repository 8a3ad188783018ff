package dev.completions.server;

import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.server.Request;

/**
 * The caller's trace context, from the request's W3C {@code traceparent} (and {@code tracestate})
 * header: made current while a call starts, so that an OpenTelemetry call listener makes the call's
 * span its child. Without the header, the current context (the span, if any, is then a root).
 */
final class TraceParent {

  private static final TextMapGetter<HttpFields> HEADERS =
      new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(HttpFields headers) {
          return headers.getFieldNamesCollection();
        }

        @Override
        public String get(HttpFields headers, String name) {
          return headers == null ? null : headers.get(name);
        }
      };

  private TraceParent() {}

  static Context of(Request request) {
    HttpFields headers = request.getHeaders();
    if (!headers.contains("traceparent")) {
      return Context.current(); // the common case costs one header lookup
    }
    return W3CTraceContextPropagator.getInstance().extract(Context.current(), headers, HEADERS);
  }
}
