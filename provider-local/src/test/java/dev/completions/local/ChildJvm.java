package dev.completions.local;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A real child JVM on the test class path, for behaviour that only shows between processes: its
 * standard output and error merged and read line by line (every wait bounded by {@link #LIMIT}),
 * and a start signal given by a file appearing (a latch across processes).
 */
final class ChildJvm implements AutoCloseable {

  /** What a child prints once it waits for the start signal. */
  static final String READY = "ready";

  /** The longest any wait on a child lasts; far beyond what a healthy child needs. */
  static final Duration LIMIT = Duration.ofMinutes(2);

  /** Stands for the end of the output in {@link #pending}. */
  private static final String END = new String("end of output");

  private final Process process;
  private final BlockingQueue<String> pending = new LinkedBlockingQueue<>();
  private final List<String> lines = new ArrayList<>();

  private ChildJvm(Process process) {
    this.process = process;
    Thread reader =
        new Thread(
            () -> {
              try (BufferedReader output =
                  new BufferedReader(
                      new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                output.lines().forEach(pending::add);
              } catch (IOException | UncheckedIOException e) {
                pending.add("(reading the output failed: " + e + ")");
              } finally {
                pending.add(END);
              }
            },
            "child-output-" + process.pid());
    reader.setDaemon(true);
    reader.start();
  }

  /** Starts {@code main} with {@code args} and extra environment variables. */
  static ChildJvm start(Class<?> main, Map<String, String> environment, String... args) {
    List<String> command =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                main.getName()));
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().putAll(environment);
    try {
      return new ChildJvm(builder.start());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Reads output until a line starting with {@code prefix}; fails when the child ends or the limit
   * passes first.
   */
  String awaitLine(String prefix) throws InterruptedException {
    long deadline = System.nanoTime() + LIMIT.toNanos();
    String line;
    while ((line = pending.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS)) != null
        && line != END) {
      lines.add(line);
      if (line.startsWith(prefix)) {
        return line;
      }
    }
    throw new AssertionError(
        "the child "
            + (line == END ? "ended" : "ran " + LIMIT.toSeconds() + " s")
            + " without printing '"
            + prefix
            + "'; it printed:\n"
            + String.join("\n", lines));
  }

  /**
   * Waits for the exit and the rest of the output; the exit status. Fails when the limit passes
   * first.
   */
  int awaitExit() throws InterruptedException {
    if (!process.waitFor(LIMIT.toSeconds(), TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError(
          "the child did not exit within "
              + LIMIT.toSeconds()
              + " s; it printed:\n"
              + String.join("\n", lines)
              + "\n"
              + String.join("\n", pending));
    }
    for (String line = pending.take(); line != END; line = pending.take()) {
      lines.add(line);
    }
    return process.exitValue();
  }

  /** Every line read so far. */
  List<String> lines() {
    return lines;
  }

  @Override
  public void close() {
    process.destroyForcibly();
  }

  /** In the child: prints {@link #READY}, then waits until {@code file} exists. */
  static void awaitStartSignal(Path file) throws IOException, InterruptedException {
    try (WatchService watch = FileSystems.getDefault().newWatchService()) {
      file.getParent().register(watch, StandardWatchEventKinds.ENTRY_CREATE);
      System.out.println(READY);
      System.out.flush();
      while (!Files.exists(file)) {
        WatchKey key = watch.take();
        key.pollEvents();
        key.reset();
      }
    }
  }
}
