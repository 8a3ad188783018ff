package dev.completions.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Whether many concurrent open streams fit the gateway in a small heap: the gateway runs alone in a
 * forked JVM ({@link GatewayHost}, {@value #HEAP}); this process opens the streams to it, each a
 * plain socket read until its first content chunk arrived while the benchmark's server holds the
 * rest back, asks the gateway's JVM for its heap after a full collection and its thread count with
 * all of them open, then releases the answers and checks that each ends with {@code [DONE]}.
 */
final class OpenStreams {
  static final String HEAP = "-Xmx256m";
  private static final byte[] CONTENT = "\"content\":\"".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] DONE = "data: [DONE]".getBytes(StandardCharsets.US_ASCII);

  private OpenStreams() {}

  /** Runs the check; returns one line for the results. */
  static String run(String jar, SseServer server, int count) throws Exception {
    Process fork =
        new ProcessBuilder(
                Paths.get(System.getProperty("java.home"), "bin", "java").toString(),
                HEAP,
                "-cp",
                jar,
                GatewayHost.class.getName(),
                server.url(),
                Integer.toString(count))
            .redirectError(ProcessBuilder.Redirect.INHERIT)
            .start();
    BufferedReader lines =
        new BufferedReader(new InputStreamReader(fork.getInputStream(), StandardCharsets.UTF_8));
    List<Socket> streams = new ArrayList<>();
    try {
      String first = lines.readLine();
      if (first == null || !first.startsWith("url=")) {
        throw new IllegalStateException("the gateway did not start: " + first);
      }
      URI gateway = URI.create(first.substring(4));
      // one stream first, so that the idle figures include what the first request loads
      streams.add(open(gateway));
      drain(streams.get(0), server);
      streams.clear();
      Map<String, Double> idle = measure(fork, lines);
      long start = System.nanoTime();
      for (int i = 0; i < count; i++) {
        streams.add(open(gateway));
      }
      double openSeconds = (System.nanoTime() - start) / 1e9;
      Map<String, Double> open = measure(fork, lines);
      server.releaseHeld();
      for (Socket stream : streams) {
        readUntil(stream.getInputStream(), DONE);
        stream.close();
      }
      streams.clear();
      send(fork, "exit");
      if (!fork.waitFor(1, TimeUnit.MINUTES) || fork.exitValue() != 0) {
        throw new IllegalStateException("the gateway's JVM failed");
      }
      double mib = 1024 * 1024;
      return String.format(
          Locale.ROOT,
          "%,d concurrent open streams through the gateway (%s, Java %s): heap used after a full"
              + " collection %.1f MiB with them open (%.1f MiB idle, so %.1f KiB per stream), %d"
              + " live threads (%d idle; peak %d); opened in %.1f s, each ended with [DONE]",
          count,
          HEAP,
          System.getProperty("java.version"),
          open.get("heap_used") / mib,
          idle.get("heap_used") / mib,
          (open.get("heap_used") - idle.get("heap_used")) / 1024 / count,
          open.get("threads").intValue(),
          idle.get("threads").intValue(),
          open.get("peak_threads").intValue(),
          openSeconds);
    } finally {
      server.releaseHeld();
      for (Socket stream : streams) {
        stream.close();
      }
      fork.destroyForcibly();
    }
  }

  /** Opens one stream and reads it until its first content chunk arrived. */
  private static Socket open(URI gateway) throws IOException {
    Socket socket = new Socket();
    socket.connect(new InetSocketAddress(gateway.getHost(), gateway.getPort()), 10_000);
    socket.setSoTimeout(60_000);
    byte[] body =
        ("{\"model\":\"hold-10\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}")
            .getBytes(StandardCharsets.UTF_8);
    OutputStream out = socket.getOutputStream();
    out.write(
        ("POST /api/bench/v1/chat/completions HTTP/1.1\r\nHost: "
                + gateway.getHost()
                + "\r\nContent-Type: application/json\r\nAccept: text/event-stream\r\nContent-Length: "
                + body.length
                + "\r\n\r\n")
            .getBytes(StandardCharsets.US_ASCII));
    out.write(body);
    out.flush();
    readUntil(socket.getInputStream(), CONTENT);
    return socket;
  }

  private static void drain(Socket stream, SseServer server) throws IOException {
    server.releaseHeld();
    readUntil(stream.getInputStream(), DONE);
    stream.close();
    server.holdAgain();
  }

  /** Reads until these bytes went by; fails at the end of the stream. */
  private static void readUntil(InputStream in, byte[] marker) throws IOException {
    int matched = 0;
    int b;
    while ((b = in.read()) >= 0) {
      matched = b == marker[matched] ? matched + 1 : (b == marker[0] ? 1 : 0);
      if (matched == marker.length) {
        return;
      }
    }
    throw new IOException(
        "the stream ended before " + new String(marker, StandardCharsets.US_ASCII));
  }

  private static Map<String, Double> measure(Process fork, BufferedReader lines)
      throws IOException {
    send(fork, "measure");
    Map<String, Double> figures = new LinkedHashMap<>();
    String line;
    while ((line = lines.readLine()) != null && !line.equals("measured")) {
      int eq = line.indexOf('=');
      if (eq > 0) {
        figures.put(line.substring(0, eq), Double.parseDouble(line.substring(eq + 1)));
      }
    }
    if (line == null) {
      throw new IllegalStateException("the gateway's JVM ended while measuring");
    }
    return figures;
  }

  private static void send(Process fork, String command) throws IOException {
    fork.getOutputStream().write((command + "\n").getBytes(StandardCharsets.UTF_8));
    fork.getOutputStream().flush();
  }
}
