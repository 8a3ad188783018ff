package dev.completions.tck;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real HTTP/1.1 server on an ephemeral loopback port whose answers are scripts: they write raw
 * bytes, split writes, stall on a latch, and cut or reset the connection, so tests can reproduce
 * what real servers and networks do. Answers are taken in the order they were {@linkplain #enqueue
 * enqueued}; a request with none left gets a 500. Connections are kept alive unless a script closes
 * them. Thread-safe.
 */
public final class LoopbackServer implements AutoCloseable {

  /** An answer to one request. */
  @FunctionalInterface
  public interface Script {
    /**
     * Writes the answer; may block, write slowly, or cut the connection.
     *
     * @param exchange the request and the means to answer it
     * @throws IOException when the client has gone
     * @throws InterruptedException when the script's thread is interrupted, as when the server
     *     closes
     */
    void answer(Exchange exchange) throws IOException, InterruptedException;
  }

  private final ServerSocket serverSocket;
  private final BlockingQueue<Script> scripts = new LinkedBlockingQueue<>();
  private final BlockingQueue<RecordedRequest> requests = new LinkedBlockingQueue<>();
  private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
  private final List<Thread> threads = new ArrayList<>();
  private final AtomicInteger requestCount = new AtomicInteger();
  private final AtomicInteger connectionCount = new AtomicInteger();
  private volatile boolean closed;

  private final String scheme;

  private LoopbackServer(javax.net.ssl.SSLContext tls) throws IOException {
    scheme = tls == null ? "http" : "https";
    serverSocket =
        tls == null ? new ServerSocket() : tls.getServerSocketFactory().createServerSocket();
    serverSocket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 128);
    Thread acceptor =
        new Thread(this::acceptLoop, "loopback-server-" + serverSocket.getLocalPort());
    acceptor.setDaemon(true);
    threads.add(acceptor);
    acceptor.start();
  }

  /**
   * A 200 answer with a chunked body of this content type, one HTTP chunk (one write) per piece,
   * then the end of the body; the connection stays open.
   *
   * @param contentType the {@code Content-Type}
   * @param pieces the pieces of the body, in order
   * @return the script
   */
  public static Script streamed(String contentType, String... pieces) {
    return exchange -> {
      exchange.chunkedHead(200, "Content-Type: " + contentType);
      for (String piece : pieces) {
        exchange.chunk(piece);
      }
      exchange.endChunks();
    };
  }

  /**
   * Text as a JSON string literal, quotes included.
   *
   * @param text the text
   * @return the literal
   */
  public static String jsonString(String text) {
    StringBuilder out = new StringBuilder(text.length() + 2).append('"');
    for (char c : text.toCharArray()) {
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> out.append(c < 0x20 ? String.format("\\u%04x", (int) c) : String.valueOf(c));
      }
    }
    return out.append('"').toString();
  }

  /**
   * Starts a server on 127.0.0.1 and an ephemeral port.
   *
   * @return the running server
   */
  public static LoopbackServer start() {
    return start(null);
  }

  /**
   * Starts a server that speaks HTTPS with the given server-side TLS context (null: plain HTTP).
   *
   * @param tls the server-side TLS context, or null
   * @return the running server
   */
  public static LoopbackServer start(javax.net.ssl.SSLContext tls) {
    try {
      return new LoopbackServer(tls);
    } catch (IOException e) {
      throw new IllegalStateException("cannot listen on loopback", e);
    }
  }

  /**
   * {@code http://127.0.0.1:port} (or https), without a trailing slash.
   *
   * @return the base URL
   */
  public URI url() {
    return URI.create(scheme + "://127.0.0.1:" + serverSocket.getLocalPort());
  }

  /**
   * The port it listens on.
   *
   * @return the port
   */
  public int port() {
    return serverSocket.getLocalPort();
  }

  /**
   * Queues the answer to a coming request.
   *
   * @param script the answer
   * @return this server
   */
  public LoopbackServer enqueue(Script script) {
    scripts.add(script);
    return this;
  }

  /**
   * The next request received, waiting up to 10 s for it.
   *
   * @return the request
   * @throws InterruptedException when the thread is interrupted while waiting
   */
  public RecordedRequest takeRequest() throws InterruptedException {
    RecordedRequest request = requests.poll(10, TimeUnit.SECONDS);
    if (request == null) {
      throw new AssertionError("no request arrived within 10 s");
    }
    return request;
  }

  /**
   * The next request received, for use in tests that declare no checked exceptions.
   *
   * @return the request
   */
  public RecordedRequest takeRequestQuietly() {
    try {
      return takeRequest();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted while waiting for a request", e);
    }
  }

  /**
   * How many requests have been received.
   *
   * @return the count
   */
  public int requestCount() {
    return requestCount.get();
  }

  /**
   * How many connections have been accepted.
   *
   * @return the count
   */
  public int connectionCount() {
    return connectionCount.get();
  }

  /** Stops accepting and closes every connection. */
  @Override
  public void close() {
    closed = true;
    try {
      serverSocket.close();
    } catch (IOException ignored) {
      // closing anyway
    }
    for (Socket socket : sockets) {
      closeQuietly(socket);
    }
    synchronized (threads) {
      threads.forEach(Thread::interrupt);
    }
  }

  private void acceptLoop() {
    while (!closed) {
      try {
        Socket socket = serverSocket.accept();
        socket.setTcpNoDelay(true);
        connectionCount.incrementAndGet();
        sockets.add(socket);
        Thread handler = new Thread(() -> serve(socket), "loopback-connection-" + socket.getPort());
        handler.setDaemon(true);
        synchronized (threads) {
          threads.add(handler);
        }
        handler.start();
      } catch (IOException e) {
        return;
      }
    }
  }

  private void serve(Socket socket) {
    try (socket) {
      InputStream in = new BufferedInputStream(socket.getInputStream());
      OutputStream out = socket.getOutputStream();
      while (!closed) {
        RecordedRequest request = readRequest(in);
        if (request == null) {
          return;
        }
        requestCount.incrementAndGet();
        requests.add(request);
        Script script = scripts.poll();
        Exchange exchange = new Exchange(request, socket, out);
        if (script == null) {
          exchange.respond(
              500,
              "text/plain",
              "no answer was enqueued for " + request.method() + " " + request.path());
        } else {
          script.answer(exchange);
        }
        out.flush();
        if (exchange.closed) {
          return;
        }
      }
    } catch (IOException | InterruptedException e) {
      // the client went away or the server is closing
    } finally {
      sockets.remove(socket);
      synchronized (threads) {
        threads.remove(Thread.currentThread());
      }
    }
  }

  private static RecordedRequest readRequest(InputStream in) throws IOException {
    String requestLine = readLine(in);
    if (requestLine == null || requestLine.isEmpty()) {
      return null;
    }
    String[] parts = requestLine.split(" ");
    Map<String, List<String>> headers = new LinkedHashMap<>();
    String line;
    while ((line = readLine(in)) != null && !line.isEmpty()) {
      int colon = line.indexOf(':');
      headers
          .computeIfAbsent(
              line.substring(0, colon).strip().toLowerCase(Locale.ROOT), k -> new ArrayList<>())
          .add(line.substring(colon + 1).strip());
    }
    int length =
        headers.containsKey("content-length")
            ? Integer.parseInt(headers.get("content-length").get(0))
            : 0;
    byte[] body = in.readNBytes(length);
    return new RecordedRequest(parts[0], parts.length > 1 ? parts[1] : "", headers, body);
  }

  private static String readLine(InputStream in) throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    int b;
    while ((b = in.read()) >= 0) {
      if (b == '\n') {
        break;
      }
      if (b != '\r') {
        line.write(b);
      }
    }
    return b < 0 && line.size() == 0 ? null : line.toString(StandardCharsets.ISO_8859_1);
  }

  private static void closeQuietly(Socket socket) {
    try {
      socket.close();
    } catch (IOException ignored) {
      // nothing to do
    }
  }

  /**
   * One request being answered: what arrived, and the means to write the answer. Used by one
   * script.
   */
  public static final class Exchange {
    private final RecordedRequest request;
    private final Socket socket;
    private final OutputStream out;
    private final List<String> addedHeaders = new ArrayList<>();
    private boolean closed;

    Exchange(RecordedRequest request, Socket socket, OutputStream out) {
      this.request = request;
      this.socket = socket;
      this.out = out;
    }

    /**
     * An exchange with no connection that discards what is written, for the kit to learn whether a
     * {@link WireFormat} hook is provided before scripting an answer with it. Closing or resetting
     * it only marks it closed.
     */
    static Exchange discarding() {
      RecordedRequest none = new RecordedRequest("POST", "/", Map.of(), new byte[0]);
      return new Exchange(none, null, OutputStream.nullOutputStream());
    }

    /**
     * The request being answered.
     *
     * @return the request
     */
    public RecordedRequest request() {
      return request;
    }

    /**
     * Adds a header ({@code "Name: value"}) to the next head written with {@link #chunkedHead} or
     * {@link #respond}, so a script can decorate an answer another script writes, as the kit adds
     * {@code Retry-After} to the error answer of the author's {@link WireFormat}.
     *
     * @param header the header, {@code "Name: value"}
     * @return this exchange
     */
    public Exchange addHeader(String header) {
      addedHeaders.add(header);
      return this;
    }

    /**
     * Writes raw bytes and flushes them as one write.
     *
     * @param bytes the bytes
     * @return this exchange
     * @throws IOException when the client has gone
     */
    public Exchange raw(byte[] bytes) throws IOException {
      out.write(bytes);
      out.flush();
      return this;
    }

    /**
     * Writes raw text (UTF-8) and flushes it.
     *
     * @param text the text
     * @return this exchange
     * @throws IOException when the client has gone
     */
    public Exchange raw(String text) throws IOException {
      return raw(text.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Writes a status line and headers ({@code "Name: value"}), announcing a chunked body.
     *
     * @param status the HTTP status
     * @param headers more headers, each {@code "Name: value"}
     * @return this exchange
     * @throws IOException when the client has gone
     */
    public Exchange chunkedHead(int status, String... headers) throws IOException {
      StringBuilder head =
          new StringBuilder("HTTP/1.1 ")
              .append(status)
              .append(' ')
              .append(reason(status))
              .append("\r\n");
      appendHeaders(head, headers);
      head.append("Transfer-Encoding: chunked\r\n\r\n");
      return raw(head.toString());
    }

    /**
     * Writes one HTTP chunk and flushes it.
     *
     * @param bytes the bytes
     * @return this exchange
     * @throws IOException when the client has gone
     */
    public Exchange chunk(byte[] bytes) throws IOException {
      if (bytes.length == 0) {
        return this;
      }
      ByteArrayOutputStream chunk = new ByteArrayOutputStream(bytes.length + 16);
      chunk.writeBytes(
          (Integer.toHexString(bytes.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
      chunk.writeBytes(bytes);
      chunk.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
      return raw(chunk.toByteArray());
    }

    /**
     * Writes one HTTP chunk of UTF-8 text and flushes it.
     *
     * @param text the chunk's text
     * @return this exchange
     * @throws IOException when the client has gone
     */
    public Exchange chunk(String text) throws IOException {
      return chunk(text.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Ends a chunked body; the connection stays open for the next request.
     *
     * @return this exchange
     * @throws IOException when the client has gone
     */
    public Exchange endChunks() throws IOException {
      return raw("0\r\n\r\n");
    }

    /**
     * A complete answer with a Content-Length body.
     *
     * @param status the HTTP status
     * @param contentType the {@code Content-Type}
     * @param body the body, UTF-8
     * @param headers more headers, each {@code "Name: value"}
     * @return this exchange
     * @throws IOException when the client has gone
     */
    public Exchange respond(int status, String contentType, String body, String... headers)
        throws IOException {
      byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
      StringBuilder head =
          new StringBuilder("HTTP/1.1 ")
              .append(status)
              .append(' ')
              .append(reason(status))
              .append("\r\n");
      head.append("Content-Type: ").append(contentType).append("\r\n");
      head.append("Content-Length: ").append(bytes.length).append("\r\n");
      appendHeaders(head, headers);
      head.append("\r\n");
      out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
      out.write(bytes);
      out.flush();
      return this;
    }

    /**
     * Closes the connection after what was written (a clean FIN).
     *
     * @throws IOException when the client has gone
     */
    public void close() throws IOException {
      closed = true;
      out.flush();
      if (socket == null) {
        return;
      }
      socket.shutdownOutput();
      socket.close();
    }

    /**
     * Resets the connection (TCP RST): the client sees "connection reset".
     *
     * @throws IOException when the client has gone
     */
    public void reset() throws IOException {
      closed = true;
      if (socket == null) {
        return;
      }
      socket.setSoLinger(true, 0);
      socket.close();
    }

    /**
     * Waits until the client closes the connection (or {@code limit} passes); true when it did.
     *
     * @param limit how long to wait at most
     * @return true when the client closed it in time
     * @throws IOException when reading fails otherwise than by the close
     */
    public boolean awaitClientClose(Duration limit) throws IOException {
      if (socket == null) {
        closed = true;
        return true;
      }
      socket.setSoTimeout((int) Math.max(1, limit.toMillis()));
      try {
        InputStream in = socket.getInputStream();
        byte[] sink = new byte[256];
        while (in.read(sink) >= 0) {
          // discard anything the client still sends
        }
        closed = true;
        return true;
      } catch (java.net.SocketTimeoutException e) {
        return false;
      } catch (IOException e) {
        closed = true;
        return true;
      }
    }

    private void appendHeaders(StringBuilder head, String... headers) {
      for (String header : headers) {
        head.append(header).append("\r\n");
      }
      for (String header : addedHeaders) {
        head.append(header).append("\r\n");
      }
      addedHeaders.clear();
    }

    private static String reason(int status) {
      return switch (status) {
        case 200 -> "OK";
        case 400 -> "Bad Request";
        case 401 -> "Unauthorized";
        case 403 -> "Forbidden";
        case 404 -> "Not Found";
        case 408 -> "Request Timeout";
        case 413 -> "Content Too Large";
        case 429 -> "Too Many Requests";
        case 500 -> "Internal Server Error";
        case 502 -> "Bad Gateway";
        case 503 -> "Service Unavailable";
        case 504 -> "Gateway Timeout";
        case 529 -> "Site Overloaded";
        default -> "Status";
      };
    }
  }
}
