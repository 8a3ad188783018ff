package dev.completions.openai.internal;

import java.io.IOException;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.hc.client5.http.impl.io.DefaultHttpResponseParserFactory;
import org.apache.hc.client5.http.impl.io.DefaultManagedHttpClientConnection;
import org.apache.hc.client5.http.io.ManagedHttpClientConnection;
import org.apache.hc.core5.http.ClassicHttpRequest;
import org.apache.hc.core5.http.Method;
import org.apache.hc.core5.http.config.Http1Config;
import org.apache.hc.core5.http.impl.io.DefaultHttpRequestWriter;
import org.apache.hc.core5.http.io.HttpConnectionFactory;
import org.apache.hc.core5.http.message.BasicLineFormatter;
import org.apache.hc.core5.http.message.RequestLine;
import org.apache.hc.core5.util.CharArrayBuffer;

/**
 * HttpClient's connections with what its defaults lack, for one transport:
 *
 * <ul>
 *   <li>The secret query ({@code auth=...}) is added to the request line only as it is written to
 *       the socket, so the request HttpClient logs ({@code MainClientExec}'s "executing", the
 *       {@code headers} logger's request line) and puts in exceptions never holds it. Only the
 *       {@code wire} logger, which prints the raw bytes, still shows it.
 * </ul>
 */
final class HeadGuard {

  private static final AtomicLong COUNTER = new AtomicLong();

  private HeadGuard() {}

  /** Makes this transport's connections; {@code query} (without {@code ?}) is added to each request line, or null. */
  static HttpConnectionFactory<ManagedHttpClientConnection> connections(String query) {
    return socket -> {
      Connection connection = new Connection("http-outgoing-" + COUNTER.getAndIncrement(), query);
      if (socket != null) {
        connection.bind(socket);
      }
      return connection;
    };
  }

  /** A pooled connection whose request writer adds the query. */
  private static final class Connection extends DefaultManagedHttpClientConnection {
    Connection(String id, String query) {
      super(id, null, null, Http1Config.DEFAULT, null, null,
          () -> query == null ? new DefaultHttpRequestWriter() : new QueryWriter(query),
          DefaultHttpResponseParserFactory.INSTANCE);
    }
  }

  /** Writes the request line with the query added; everything else as HttpClient's writer does. */
  private static final class QueryWriter extends DefaultHttpRequestWriter {
    private final String query;

    QueryWriter(String query) {
      this.query = query;
    }

    @Override
    protected void writeHeadLine(ClassicHttpRequest message, CharArrayBuffer lineBuf) throws IOException {
      if (Method.CONNECT.isSame(message.getMethod())) { // a proxy tunnel: not a request of ours
        super.writeHeadLine(message, lineBuf);
        return;
      }
      String uri = message.getRequestUri();
      String withQuery = uri + (uri.indexOf('?') < 0 ? '?' : '&') + query;
      BasicLineFormatter.INSTANCE.formatRequestLine(lineBuf,
          new RequestLine(message.getMethod(), withQuery, protocolVersion(message)));
    }
  }
}
