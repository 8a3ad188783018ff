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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A real child JVM on the test class path, for behaviour that only shows between processes: its
 * standard output and error merged and read line by line, and a start signal given by a file
 * appearing (a latch across processes).
 */
final class ChildJvm implements AutoCloseable {

  /** What a child prints once it waits for the start signal. */
  static final String READY = "ready";

  private final Process process;
  private final BufferedReader output;
  private final List<String> lines = new ArrayList<>();

  private ChildJvm(Process process) {
    this.process = process;
    this.output = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
  }

  /** Starts {@code main} with {@code args} and extra environment variables. */
  static ChildJvm start(Class<?> main, Map<String, String> environment, String... args) {
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), main.getName()));
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().putAll(environment);
    try {
      return new ChildJvm(builder.start());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Reads output until a line starting with {@code prefix}; fails when the child ends first. */
  String awaitLine(String prefix) throws IOException {
    String line;
    while ((line = output.readLine()) != null) {
      lines.add(line);
      if (line.startsWith(prefix)) {
        return line;
      }
    }
    throw new AssertionError("the child ended without printing '" + prefix + "'; it printed:\n" + String.join("\n", lines));
  }

  /** Reads the rest of the output and waits for the exit; its status. */
  int awaitExit() throws IOException, InterruptedException {
    output.lines().forEach(lines::add);
    return process.waitFor();
  }

  /** Every line read so far. */
  List<String> lines() {
    return lines;
  }

  Process process() {
    return process;
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
