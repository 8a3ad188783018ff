package dev.completions.openai.internal;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.hc.client5.http.impl.io.DefaultManagedHttpClientConnection;
import org.apache.hc.client5.http.impl.io.LenientHttpResponseParser;
import org.apache.hc.client5.http.io.ManagedHttpClientConnection;
import org.apache.hc.core5.http.ClassicHttpRequest;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.ConnectionClosedException;
import org.apache.hc.core5.http.HttpException;
import org.apache.hc.core5.http.Method;
import org.apache.hc.core5.http.NoHttpResponseException;
import org.apache.hc.core5.http.config.Http1Config;
import org.apache.hc.core5.http.impl.io.DefaultHttpRequestWriter;
import org.apache.hc.core5.http.io.HttpConnectionFactory;
import org.apache.hc.core5.http.io.HttpMessageParser;
import org.apache.hc.core5.http.io.HttpMessageParserFactory;
import org.apache.hc.core5.http.io.SessionInputBuffer;
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
 *   <li>The first-byte timeout is a deadline for the whole response head: each read of the head
 *       waits at most for the time left, so a server that sends {@code 100 Continue} heads or the
 *       head a byte at a time cannot stretch it.
 *   <li>A head that ends with the connection (no blank line) is a cut head, not an empty answer;
 *       bytes that never became a status line are not HTTP.
 *   <li>A reused connection that fails before a single byte of the answer arrived was already
 *       closed by the server: the failure says so ({@link Stale}), and the caller may retry it
 *       without counting an attempt.
 * </ul>
 */
final class HeadGuard {

  private static final AtomicLong COUNTER = new AtomicLong();

  private HeadGuard() {}

  /**
   * Makes this transport's connections; {@code query} (without {@code ?}) is added to each request
   * line, or null.
   */
  static HttpConnectionFactory<ManagedHttpClientConnection> connections(String query) {
    return socket -> {
      Connection connection = new Connection("http-outgoing-" + COUNTER.getAndIncrement(), query);
      if (socket != null) {
        connection.bind(socket);
      }
      return connection;
    };
  }

  /**
   * Arms the head deadline of this connection for the exchange about to run on it; returns the
   * guard to {@link Head#end() end} when the head arrived or the exchange failed, or null when the
   * connection is not one of ours.
   */
  static Head begin(Object connection, long timeoutNanos) {
    if (connection instanceof Connection ours) {
      ours.head.arm(timeoutNanos);
      return ours.head;
    }
    return null;
  }

  /** The first-byte deadline passed; {@link #partial} tells whether part of a head had come. */
  static final class Timeout extends SocketTimeoutException {
    private static final long serialVersionUID = 1L;
    final boolean partial;

    Timeout(boolean partial) {
      super(partial ? "the response head was not complete in time" : "no response head in time");
      this.partial = partial;
    }
  }

  /** The connection ended in the middle of a response head. */
  static final class Cut extends IOException {
    private static final long serialVersionUID = 1L;

    Cut() {
      super("the connection closed in the middle of the response head");
    }
  }

  /** Bytes came that are not an HTTP response head. */
  static final class NotHttp extends IOException {
    private static final long serialVersionUID = 1L;

    NotHttp(String firstLine) {
      super("not an HTTP status line: '" + firstLine + "'");
    }
  }

  /** A reused connection failed before any byte of the answer: the server had closed it. */
  static final class Stale extends IOException {
    private static final long serialVersionUID = 1L;

    Stale(IOException cause) {
      super("the server had closed the reused connection: " + cause, cause);
    }
  }

  /**
   * Whether this failure of an exchange on a reused connection means the connection was already
   * dead.
   */
  static boolean meansStale(IOException e) {
    return e instanceof NoHttpResponseException
        || e instanceof ConnectionClosedException
        || (e instanceof SocketException && !(e instanceof javax.net.ssl.SSLException));
  }

  /**
   * A pooled connection whose response parser is guarded and whose request writer adds the query.
   */
  private static final class Connection extends DefaultManagedHttpClientConnection {
    private final Head head;

    Connection(String id, String query) {
      this(id, query, new Head());
    }

    private Connection(String id, String query, Head head) {
      super(
          id,
          null,
          null,
          Http1Config.DEFAULT,
          null,
          null,
          () -> query == null ? new DefaultHttpRequestWriter() : new QueryWriter(query),
          new HttpMessageParserFactory<>() {
            @Override
            public HttpMessageParser<ClassicHttpResponse> create(Http1Config config) {
              return head;
            }
          });
      this.head = head;
      head.connection = this;
    }
  }

  /** Writes the request line with the query added; everything else as HttpClient's writer does. */
  private static final class QueryWriter extends DefaultHttpRequestWriter {
    private final String query;

    QueryWriter(String query) {
      this.query = query;
    }

    @Override
    protected void writeHeadLine(ClassicHttpRequest message, CharArrayBuffer lineBuf)
        throws IOException {
      if (Method.CONNECT.isSame(message.getMethod())) { // a proxy tunnel: not a request of ours
        super.writeHeadLine(message, lineBuf);
        return;
      }
      String uri = message.getRequestUri();
      String withQuery = uri + (uri.indexOf('?') < 0 ? '?' : '&') + query;
      BasicLineFormatter.INSTANCE.formatRequestLine(
          lineBuf, new RequestLine(message.getMethod(), withQuery, protocolVersion(message)));
    }
  }

  /**
   * The response parser of one connection (HttpClient's lenient one inside), and the guard of its
   * heads. Used by the thread running the exchange.
   */
  static final class Head extends InputStream implements HttpMessageParser<ClassicHttpResponse> {
    private static final int FIRST_LINE = 120;

    private final LenientHttpResponseParser parser =
        new LenientHttpResponseParser(Http1Config.DEFAULT);
    private Connection connection;
    private long timeoutNanos;
    private long deadline;
    private boolean armed;
    private boolean deadlineRunning;

    /** Bytes of answer read since the exchange began. */
    private long bytes;

    private final byte[] firstBytes = new byte[FIRST_LINE];
    private int firstLength;
    private InputStream in;
    private boolean eof;

    private void arm(long timeoutNanos) {
      this.timeoutNanos = timeoutNanos;
      armed = true;
      deadlineRunning = false;
      bytes = 0;
      firstLength = 0;
    }

    /** Ends the guard of this exchange's head. */
    void end() {
      armed = false;
      in = null;
    }

    /** Whether any byte of the answer arrived since the exchange began. */
    boolean anyByte() {
      return bytes > 0;
    }

    @Override
    public ClassicHttpResponse parse(SessionInputBuffer buffer, InputStream inputStream)
        throws IOException, HttpException {
      if (!armed) {
        return parser.parse(buffer, inputStream);
      }
      if (!deadlineRunning) { // from the first wait for the head: the request has been sent
        deadlineRunning = true;
        deadline = System.nanoTime() + timeoutNanos;
      } else if (deadline - System.nanoTime() <= 0) {
        throw new Timeout(true); // a 1xx head came before; the final one is late
      }
      in = inputStream;
      eof = false;
      ClassicHttpResponse response;
      try {
        response = parser.parse(buffer, this);
      } catch (HttpException e) {
        if (eof) {
          throw new Cut(); // the last line was cut, so it did not parse
        }
        throw e;
      }
      if (response == null) {
        if (bytes > 0) {
          throw new NotHttp(firstLine());
        }
        return null; // nothing at all: HttpClient reports that the server did not answer
      }
      if (eof) {
        throw new Cut();
      }
      return response;
    }

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      int n = read(one, 0, 1);
      return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        throw new Timeout(bytes > 0);
      }
      Socket socket = connection.getSocket();
      if (socket != null) {
        socket.setSoTimeout(
            (int) Math.min(Integer.MAX_VALUE, Math.max(1, (left + 999_999) / 1_000_000)));
      }
      int n;
      try {
        n = in.read(b, off, len);
      } catch (SocketTimeoutException e) {
        throw new Timeout(bytes > 0);
      }
      if (n < 0) {
        eof = true;
        return n;
      }
      if (firstLength < FIRST_LINE) {
        int copied = Math.min(n, FIRST_LINE - firstLength);
        System.arraycopy(b, off, firstBytes, firstLength, copied);
        firstLength += copied;
      }
      bytes += n;
      return n;
    }

    @Override
    public int available() throws IOException {
      return in == null ? 0 : in.available();
    }

    private String firstLine() {
      String text = new String(firstBytes, 0, firstLength, StandardCharsets.ISO_8859_1);
      int end = 0;
      while (end < text.length() && text.charAt(end) != '\r' && text.charAt(end) != '\n') {
        end++;
      }
      StringBuilder printable = new StringBuilder(end);
      for (int i = 0; i < end; i++) {
        char c = text.charAt(i);
        printable.append(c >= 0x20 && c < 0x7f ? c : '?');
      }
      return printable.toString();
    }
  }
}
