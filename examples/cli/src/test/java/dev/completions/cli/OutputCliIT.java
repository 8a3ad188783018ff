package dev.completions.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.completions.tck.LoopbackServer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Standard output as a real pipe or device of the packaged command line in a child process: a
 * reader that goes away, a full device, and JSON Lines read line by line while the answer streams.
 */
class OutputCliIT {

  private static final Duration BOUND = Duration.ofSeconds(20);

  @TempDir Path folder;

  private final LoopbackServer server = LoopbackServer.start();
  private final CountDownLatch clientGone = new CountDownLatch(1);
  private Process cli;

  @AfterEach
  void close() {
    if (cli != null) {
      cli.destroyForcibly();
    }
    server.close();
  }

  private static String content(String text) {
    return "data: {\"choices\":[{\"delta\":{\"content\":\"" + text + "\"}}]}\n\n";
  }

  /**
   * Starts the jar with its standard error in a file; LC_ALL=C makes the system's error messages
   * English.
   */
  private Process start(ProcessBuilder.Redirect stdout, String... args) throws IOException {
    List<String> command =
        new ArrayList<>(
            List.of(
                Paths.get(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar",
                System.getProperty("cli.jar"),
                "-D",
                "lockchat.url=" + server.url(),
                "-D",
                "lockchat.attempts=1"));
    command.addAll(List.of(args));
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .redirectOutput(stdout)
            .redirectError(folder.resolve("stderr.txt").toFile());
    builder.environment().put("LC_ALL", "C");
    cli = builder.start();
    cli.getOutputStream().close();
    return cli;
  }

  private String stderr() throws IOException {
    return Files.readString(folder.resolve("stderr.txt"));
  }

  /**
   * Sends {@code first}, waits for the test's signal, sends {@code second}, then waits for the
   * client to hang up.
   */
  private void enqueueTwoTokensAround(CountDownLatch between) {
    server.enqueue(
        exchange -> {
          exchange.chunkedHead(200, "Content-Type: text/event-stream");
          exchange.chunk(content("first"));
          between.await(BOUND.toSeconds(), TimeUnit.SECONDS);
          exchange.chunk(content("second"));
          if (exchange.awaitClientClose(BOUND)) {
            clientGone.countDown();
          }
        });
  }

  @Test
  void aReaderThatGoesAwayCancelsTheStreamAtOnceAndExitsQuietlyWith141() throws Exception {
    readFirstThenGoAway("first", "complete", "-p", "lockchat", "Hi");
  }

  @Test
  void aJsonLinesReaderThatGoesAwayCancelsTheStreamAtOnce() throws Exception {
    readFirstThenGoAway(
        "{\"type\":\"token\",\"text\":\"first\"}", "complete", "-p", "lockchat", "--jsonl", "Hi");
  }

  /**
   * Reads the first output, closes the pipe as {@code head} does once it has read enough (the next
   * write gets EPIPE), and expects the stream cancelled, exit 141 and nothing on stderr.
   */
  private void readFirstThenGoAway(String first, String... args) throws Exception {
    CountDownLatch pipeClosed = new CountDownLatch(1);
    enqueueTwoTokensAround(pipeClosed);
    Process process = start(ProcessBuilder.Redirect.PIPE, args);
    InputStream out = process.getInputStream();
    assertThat(new String(out.readNBytes(first.length()), StandardCharsets.UTF_8)).isEqualTo(first);

    out.close();
    pipeClosed.countDown();

    assertThat(clientGone.await(BOUND.toSeconds(), TimeUnit.SECONDS))
        .as("the server saw the stream cancelled")
        .isTrue();
    assertThat(process.waitFor(BOUND.toSeconds(), TimeUnit.SECONDS))
        .as("the process ends")
        .isTrue();
    assertThat(process.exitValue()).isEqualTo(141);
    assertThat(stderr()).isEmpty();
  }

  @Test
  void aFullDeviceCancelsTheStreamAndExitsWith74SayingWhy() throws Exception {
    Path full = Path.of("/dev/full");
    assumeTrue(Files.isWritable(full), "/dev/full (Linux) is not available");
    server.enqueue(
        exchange -> {
          exchange.chunkedHead(200, "Content-Type: text/event-stream");
          exchange.chunk(content("first"));
          if (exchange.awaitClientClose(BOUND)) {
            clientGone.countDown();
          }
        });
    Process process =
        start(ProcessBuilder.Redirect.to(full.toFile()), "complete", "-p", "lockchat", "Hi");

    assertThat(clientGone.await(BOUND.toSeconds(), TimeUnit.SECONDS))
        .as("the server saw the stream cancelled")
        .isTrue();
    assertThat(process.waitFor(BOUND.toSeconds(), TimeUnit.SECONDS))
        .as("the process ends")
        .isTrue();
    assertThat(process.exitValue()).isEqualTo(74);
    assertThat(stderr()).isEqualTo("provider-cli: write error: No space left on device\n");
  }

  @Test
  void eachJsonLineReachesTheReaderBeforeTheNextEventIsSent() throws Exception {
    CountDownLatch firstLineRead = new CountDownLatch(1);
    server.enqueue(
        exchange -> {
          exchange.chunkedHead(200, "Content-Type: text/event-stream");
          exchange.chunk(content("first"));
          firstLineRead.await(BOUND.toSeconds(), TimeUnit.SECONDS);
          exchange.chunk(content("second"));
          exchange.chunk("data: [DONE]\n\n");
          exchange.endChunks();
        });
    Process process =
        start(ProcessBuilder.Redirect.PIPE, "complete", "-p", "lockchat", "--jsonl", "Hi");
    BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    Thread reader = new Thread(() -> readLines(process.getInputStream(), lines), "cli-stdout");
    reader.setDaemon(true);
    reader.start();

    String first = lines.poll(BOUND.toSeconds(), TimeUnit.SECONDS);
    firstLineRead.countDown();

    assertThat(first)
        .as("the first line, complete while the server holds back the next event")
        .isEqualTo("{\"type\":\"token\",\"text\":\"first\"}");
    assertThat(process.waitFor(BOUND.toSeconds(), TimeUnit.SECONDS))
        .as("the process ends")
        .isTrue();
    reader.join(TimeUnit.SECONDS.toMillis(BOUND.toSeconds()));
    assertThat(process.exitValue()).as(stderr()).isZero();
    assertThat(new ArrayList<>(lines).stream().map(CliTest::withoutTimes))
        .containsExactly(
            "{\"type\":\"token\",\"text\":\"second\"}",
            "{\"type\":\"done\",\"provider\":\"Lockchat\",\"model\":\"gpt-3.5-turbo\",\"finish_reason\":null,\"usage\":null,"
                + "\"attempts\":1,\"time_to_first_token_ms\":T,\"duration_ms\":T,\"tokens_per_second\":null,"
                + "\"tool_calls\":[]}");
  }

  /** Queues each complete line (one that ended with its newline) as it arrives. */
  private static void readLines(InputStream in, BlockingQueue<String> lines) {
    try (BufferedReader reader =
        new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
      StringBuilder line = new StringBuilder();
      int c;
      while ((c = reader.read()) >= 0) {
        if (c == '\n') {
          lines.add(line.toString());
          line.setLength(0);
        } else {
          line.append((char) c);
        }
      }
    } catch (IOException e) {
      // the process ended; the lines read so far are what the test checks
    }
  }
}
