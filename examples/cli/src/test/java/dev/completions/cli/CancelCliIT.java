package dev.completions.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.completions.tck.LoopbackServer;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Paths;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Stopping the command line mid-stream (Ctrl-C, or SIGTERM) cancels the stream and closes the
 * connection.
 */
class CancelCliIT {

  @Test
  void aSignalDuringAStreamCancelsItAndClosesTheConnection() throws Exception {
    CountDownLatch clientGone = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    try (LoopbackServer server = LoopbackServer.start()) {
      server.enqueue(
          exchange -> {
            exchange.chunkedHead(200, "Content-Type: text/event-stream");
            exchange.chunk("data: {\"choices\":[{\"delta\":{\"content\":\"first\"}}]}\n\n");
            if (exchange.awaitClientClose(java.time.Duration.ofSeconds(30))) {
              clientGone.countDown();
            }
            release.await(30, TimeUnit.SECONDS);
          });
      Process cli =
          new ProcessBuilder(
                  Paths.get(System.getProperty("java.home"), "bin", "java").toString(),
                  "-jar",
                  System.getProperty("cli.jar"),
                  "-D",
                  "lockchat.url=" + server.url(),
                  "complete",
                  "-p",
                  "lockchat",
                  "Hi")
              .redirectErrorStream(true)
              .start();
      InputStream out = cli.getInputStream();
      byte[] first = out.readNBytes("first".length());
      assertThat(new String(first, StandardCharsets.UTF_8)).isEqualTo("first");

      cli.toHandle().destroy(); // SIGTERM runs the same shutdown hook as Ctrl-C (SIGINT)

      String rest = rest(out);
      assertThat(cli.waitFor(10, TimeUnit.SECONDS)).as("the process ends").isTrue();
      assertThat(clientGone.await(10, TimeUnit.SECONDS))
          .as("the server saw the connection closed")
          .isTrue();
      release.countDown();
      assertThat(rest).isEqualTo("\nprovider-cli: cancelled: [Lockchat] the stream was closed\n");
    }
  }

  private static String rest(InputStream out) throws IOException {
    return new String(out.readAllBytes(), StandardCharsets.UTF_8);
  }
}
