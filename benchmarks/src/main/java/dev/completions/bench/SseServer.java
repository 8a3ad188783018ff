package dev.completions.bench;

import dev.completions.tck.LoopbackServer;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An OpenAI-style SSE server on 127.0.0.1 whose answers are rendered once, so it costs next to
 * nothing per chunk: one HTTP chunk per event, the whole answer written at once. The request's
 * model, {@code bench-N}, asks for N content chunks; {@code hold-N} for the same answer held after
 * its first content chunk until {@link #releaseHeld()}. Keep-alive; one thread per connection.
 */
public final class SseServer implements AutoCloseable {

  /** The content pieces cycled through: multi-byte characters, quotes, backslashes, newlines. */
  static final String[] PIECES = {
    "Hello", " wörld", " \"quoted\"", "\n", " naïve café", " 👋🏽", " tab\tand\\slash", " ж"
  };

  private static final Pattern MODEL = Pattern.compile("\"model\"\\s*:\\s*\"(bench|hold)-(\\d+)\"");

  private final ServerSocket socket;
  private final Map<Integer, byte[]> answers = new ConcurrentHashMap<>();
  private volatile CountDownLatch held = new CountDownLatch(1);
  private volatile boolean closed;

  public SseServer() throws IOException {
    socket = new ServerSocket();
    socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 256);
    Thread acceptor = new Thread(this::accept, "sse-server");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  public String url() {
    return "http://127.0.0.1:" + socket.getLocalPort();
  }

  /** The number of UTF-16 characters of content an N-chunk answer carries. */
  static long expectedChars(int chunks) {
    long chars = 0;
    for (int i = 0; i < chunks; i++) {
      chars += PIECES[i % PIECES.length].length();
    }
    return chars;
  }

  private void accept() {
    while (!closed) {
      try {
        Socket connection = socket.accept();
        connection.setTcpNoDelay(true);
        Thread handler = new Thread(() -> serve(connection), "sse-connection");
        handler.setDaemon(true);
        handler.start();
      } catch (IOException e) {
        return;
      }
    }
  }

  private void serve(Socket connection) {
    try (connection) {
      InputStream in = new BufferedInputStream(connection.getInputStream());
      OutputStream out = connection.getOutputStream();
      while (true) {
        String body = readRequest(in);
        if (body == null) {
          return;
        }
        Matcher model = MODEL.matcher(body);
        boolean found = model.find();
        int chunks = found ? Integer.parseInt(model.group(2)) : 10;
        if (found && model.group(1).equals("hold")) {
          hold(out, chunks);
          continue;
        }
        out.write(answers.computeIfAbsent(chunks, SseServer::render));
        out.flush();
      }
    } catch (IOException e) {
      // the client went away
    }
  }

  /**
   * Writes the head, the role and the first content chunk, waits for the release, then the rest.
   */
  private void hold(OutputStream out, int chunks) throws IOException {
    CountDownLatch release = held;
    byte[][] writes = events(chunks);
    out.write(writes[0]);
    out.write(writes[1]);
    out.flush();
    try {
      release.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while holding an answer", e);
    }
    for (int i = 2; i < writes.length; i++) {
      out.write(writes[i]);
    }
    out.flush();
  }

  /** Lets every held answer, and every one asked for until {@link #holdAgain()}, go on. */
  void releaseHeld() {
    held.countDown();
  }

  /** Holds the answers asked for from now on. */
  void holdAgain() {
    held = new CountDownLatch(1);
  }

  /** Reads one request; returns its body, or null at the end of the connection. */
  private static String readRequest(InputStream in) throws IOException {
    int length = 0;
    boolean any = false;
    while (true) {
      String line = readLine(in);
      if (line == null) {
        return null;
      }
      if (line.isEmpty()) {
        if (!any) {
          continue;
        }
        break;
      }
      any = true;
      String lower = line.toLowerCase(Locale.ROOT);
      if (lower.startsWith("content-length:")) {
        length = Integer.parseInt(line.substring(15).strip());
      }
    }
    return new String(in.readNBytes(length), StandardCharsets.UTF_8);
  }

  private static String readLine(InputStream in) throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream(64);
    int b;
    while ((b = in.read()) >= 0 && b != '\n') {
      if (b != '\r') {
        line.write(b);
      }
    }
    return b < 0 && line.size() == 0 ? null : line.toString(StandardCharsets.ISO_8859_1);
  }

  /**
   * The whole answer, one HTTP chunk per event, written at once so the server costs next to
   * nothing.
   */
  private static byte[] render(int chunks) {
    ByteArrayOutputStream all = new ByteArrayOutputStream();
    for (byte[] part : events(chunks)) {
      all.writeBytes(part);
    }
    return all.toByteArray();
  }

  private static byte[][] events(int chunks) {
    byte[][] writes = new byte[chunks + 4][];
    String head =
        "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nTransfer-Encoding: chunked\r\n"
            + "Cache-Control: no-cache\r\n\r\n";
    String role =
        "data: {\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"bench\","
            + "\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"\"},\"finish_reason\":null}]}\n\n";
    writes[0] = concat(head.getBytes(StandardCharsets.US_ASCII), chunk(role));
    for (int i = 0; i < chunks; i++) {
      writes[i + 1] =
          chunk(
              "data: {\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"bench\","
                  + "\"choices\":[{\"index\":0,\"delta\":{\"content\":"
                  + LoopbackServer.jsonString(PIECES[i % PIECES.length])
                  + "},\"finish_reason\":null}]}\n\n");
    }
    writes[chunks + 1] =
        chunk(
            "data: {\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"created\":1,"
                + "\"model\":\"bench\",\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}],"
                + "\"usage\":{\"prompt_tokens\":5,\"completion_tokens\":"
                + chunks
                + ",\"total_tokens\":"
                + (chunks + 5)
                + "}}\n\n");
    writes[chunks + 2] = chunk("data: [DONE]\n\n");
    writes[chunks + 3] = "0\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
    return writes;
  }

  private static byte[] chunk(String event) {
    byte[] data = event.getBytes(StandardCharsets.UTF_8);
    return concat(
        concat(
            (Integer.toHexString(data.length) + "\r\n").getBytes(StandardCharsets.US_ASCII), data),
        "\r\n".getBytes(StandardCharsets.US_ASCII));
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  @Override
  public void close() throws IOException {
    closed = true;
    socket.close();
  }
}
