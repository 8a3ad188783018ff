package dev.completions.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.completions.registry.ProviderRegistry;
import dev.completions.tck.OpenAiSse;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A client slower than its upstream: the answer's unwritten chunks stay bounded (the gateway stops
 * reading the upstream), and the client's leaving still closes the upstream connection at once.
 */
class SlowClientTest {
  private static final String PIECE = "x".repeat(16 * 1024);

  private Upstream upstream;
  private ProviderRegistry registry;
  private CompletionServer server;

  @BeforeEach
  void start() {
    upstream = new Upstream("Up", "m1");
    registry = ProviderRegistry.builder().discover(false).add(upstream.provider).build();
    server = CompletionServer.builder(registry).port(0).build().start();
  }

  @AfterEach
  void stop() {
    server.close();
    registry.close();
    upstream.close();
  }

  @Test
  void aClientThatStopsReadingHoldsBackTheUpstreamAndItsLeavingClosesIt() throws Exception {
    CountDownLatch upstreamClosed = new CountDownLatch(1);
    endlessAnswer(upstreamClosed);

    try (Socket socket = askThenStopReading()) {
      // without a bound the gateway would read on, and buffer, the endless answer
      awaitAThreadWaitingIn(WriteBehind.class.getName(), "add");
    } // closed with bytes unread: the client is gone

    assertThat(upstreamClosed.await(5, TimeUnit.SECONDS)).isTrue();
  }

  @Test
  void closingTheServerEndsAnAnswerWhoseClientStoppedReading() throws Exception {
    CountDownLatch upstreamClosed = new CountDownLatch(1);
    endlessAnswer(upstreamClosed);

    try (Socket socket = askThenStopReading()) {
      awaitAThreadWaitingIn(WriteBehind.class.getName(), "add");

      server.close();

      assertThat(upstreamClosed.await(5, TimeUnit.SECONDS)).isTrue();
      try {
        // what was written before, then the end: the connection is not left open
        assertThat(socket.getInputStream().transferTo(OutputStream.nullOutputStream()))
            .isPositive();
      } catch (SocketException reset) {
        // or cut: closed while bytes were in flight
      }
    }
  }

  /** The upstream answers with chunks of {@link #PIECE} until the connection is closed. */
  private void endlessAnswer(CountDownLatch closed) {
    upstream.server.enqueue(
        exchange -> {
          exchange.chunkedHead(200, "Content-Type: text/event-stream");
          try {
            while (true) { // as fast as the gateway takes them
              exchange.chunk(OpenAiSse.content(PIECE));
            }
          } catch (IOException e) {
            closed.countDown();
          }
        });
  }

  /** Asks for a streamed answer with a small receive buffer and reads its first byte only. */
  private Socket askThenStopReading() throws IOException {
    Socket socket = new Socket();
    socket.setReceiveBufferSize(4096);
    socket.connect(new InetSocketAddress("127.0.0.1", server.uri().getPort()));
    OutputStream out = socket.getOutputStream();
    byte[] json = Client.ask("up", true).getBytes(StandardCharsets.UTF_8);
    out.write(
        ("POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                + "Content-Length: "
                + json.length
                + "\r\n\r\n")
            .getBytes(StandardCharsets.US_ASCII));
    out.write(json);
    out.flush();
    assertThat(socket.getInputStream().read()).isEqualTo('H'); // the head came
    return socket;
  }

  /** Polls the threads' stacks until one is parked in this method (bounded, not a timing). */
  private static void awaitAThreadWaitingIn(String className, String method) {
    long giveUp = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (System.nanoTime() < giveUp) {
      for (Map.Entry<Thread, StackTraceElement[]> thread : Thread.getAllStackTraces().entrySet()) {
        if (thread.getKey().getState() == Thread.State.WAITING
            && waitsIn(thread.getValue(), className, method)) {
          return;
        }
      }
      Thread.onSpinWait();
    }
    fail("no thread waited in " + className + "." + method);
  }

  private static boolean waitsIn(StackTraceElement[] stack, String className, String method) {
    for (StackTraceElement frame : stack) {
      if (frame.getClassName().equals(className) && frame.getMethodName().equals(method)) {
        return true;
      }
    }
    return false;
  }
}
