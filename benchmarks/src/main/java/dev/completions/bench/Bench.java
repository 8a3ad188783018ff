package dev.completions.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The side-by-side benchmark: one local SSE server, each contender in its own forked JVM, rounds
 * that rotate the order (and, for (b), blocks that rotate over the contenders' JVMs within a
 * round), medians, ratios to the naive raw client, a table on standard output and in {@code
 * benchmarks/RESULTS.md}. Usage: {@code java -jar benchmarks/target/benchmarks.jar [rounds
 * [contender...]]}; with contenders named (the naive client is always added, the ratios' base),
 * only those run and {@code RESULTS.md} is left as it is.
 *
 * <p>The {@code gateway} contender is the naive client through the gateway to our engine, beside
 * the naive client straight to the server: the table's gateway section reads off the gateway's
 * time-to-first-token overhead and its own CPU per chunk, and the run ends with {@link OpenStreams}
 * (many open streams through the gateway in a small heap), which {@code benchmarks.jar streams
 * [count]} runs alone.
 */
public final class Bench {

  static final List<String> CONTENDERS =
      List.of("ours", "naive", "floor", "langchain4j", "openai-java", "gateway");
  static final List<String> FIGURES =
      List.of(
          "a_chunks_per_s",
          "b_first_token_us",
          "b_total_us",
          "c_chunks_per_s",
          "d_bytes_per_chunk",
          "e_cold_first_token_ms");
  static final Map<String, String> LABELS =
      Map.of(
          "a_chunks_per_s", "(a) throughput, chunks/s, one 20,000-chunk stream (best of 7)",
          "b_first_token_us",
              "(b) time to first token, µs, 10-chunk stream (median of 1,000, in blocks interleaved across contenders)",
          "b_total_us", "(b) time to the end, µs, 10-chunk stream (median of the same 1,000)",
          "c_chunks_per_s", "(c) 64 concurrent streams × 1,000 chunks, chunks/s (best of 5)",
          "d_bytes_per_chunk", "(d) bytes allocated per chunk, all threads",
          "e_cold_first_token_ms", "(e) cold start to first token, ms, whole process");

  static final List<String> SPREAD_FIGURES =
      List.of("a_chunks_per_s", "b_first_token_us", "c_chunks_per_s");
  static final Map<String, String> SHORT_LABELS =
      Map.of(
          "a_chunks_per_s",
          "(a) chunks/s",
          "b_first_token_us",
          "(b) first token, µs",
          "c_chunks_per_s",
          "(c) chunks/s");

  private Bench() {}

  /** How many open streams {@link OpenStreams} holds through the gateway. */
  static final int OPEN_STREAMS = 1_000;

  public static void main(String[] args) throws Exception {
    String jar =
        Paths.get(Bench.class.getProtectionDomain().getCodeSource().getLocation().toURI())
            .toString();
    if (args.length > 0 && args[0].equals("streams")) {
      int count = args.length > 1 ? Integer.parseInt(args[1]) : OPEN_STREAMS;
      try (SseServer server = new SseServer()) {
        System.out.println(OpenStreams.run(jar, server, count) + ".");
      }
      System.exit(0);
    }
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 3;
    List<String> contenders = CONTENDERS;
    if (args.length > 1) {
      List<String> named = new ArrayList<>(Arrays.asList(args).subList(1, args.length));
      if (!CONTENDERS.containsAll(named)) {
        throw new IllegalArgumentException("contenders: " + named + ", known: " + CONTENDERS);
      }
      contenders = new ArrayList<>(CONTENDERS);
      contenders.removeIf(c -> !c.equals("naive") && !named.contains(c));
    }
    boolean all = contenders.equals(CONTENDERS);
    Map<String, Map<String, List<Double>>> results = new LinkedHashMap<>();
    contenders.forEach(c -> results.put(c, new LinkedHashMap<>()));
    long began = System.nanoTime();
    try (SseServer server = new SseServer()) {
      for (int round = 0; round < rounds; round++) {
        List<String> order = rotate(contenders, round);
        System.err.printf(Locale.ROOT, "round %d/%d: %s%n", round + 1, rounds, order);
        Map<String, Map<String, Double>> measuredRound = measureRound(jar, order, server.url());
        StringBuilder firstTokens = new StringBuilder();
        measuredRound.forEach(
            (contender, figures) ->
                firstTokens.append(
                    String.format(
                        Locale.ROOT, " %s %.0f", contender, figures.get("b_first_token_us"))));
        System.err.println("  (b) first token, µs:" + firstTokens);
        for (Map.Entry<String, Map<String, Double>> measured : measuredRound.entrySet()) {
          for (Map.Entry<String, Double> figure : measured.getValue().entrySet()) {
            results
                .get(measured.getKey())
                .computeIfAbsent(figure.getKey(), k -> new ArrayList<>())
                .add(figure.getValue());
          }
        }
        for (String contender : order) {
          results
              .get(contender)
              .computeIfAbsent("e_cold_first_token_ms", k -> new ArrayList<>())
              .add(coldStart(jar, contender, server.url()));
        }
      }
      String flat = contenders.contains("ours") ? flat(jar, server.url()) : null;
      String streams =
          contenders.contains("gateway") ? OpenStreams.run(jar, server, OPEN_STREAMS) : null;
      String table =
          table(results, contenders, rounds, flat, streams, (System.nanoTime() - began) / 1e9);
      System.out.println(table);
      Path out =
          Files.isDirectory(Paths.get("benchmarks"))
              ? Paths.get("benchmarks", "RESULTS.md")
              : Paths.get("RESULTS.md");
      if (all) {
        Files.writeString(out, table);
        System.err.println("written to " + out.toAbsolutePath());
      } else {
        System.err.println("some contenders only: " + out + " left as it is");
      }
    }
  }

  /**
   * One round: each contender's JVM is started in turn and warmed up alone until it is ready for
   * (b); then (b) is measured in blocks that rotate over the waiting JVMs; then each, in turn,
   * measures the rest and exits.
   */
  private static Map<String, Map<String, Double>> measureRound(
      String jar, List<String> order, String server) throws Exception {
    Map<String, Fork> forks = new LinkedHashMap<>();
    try {
      for (String contender : order) {
        Fork fork = new Fork(jar, contender, server);
        forks.put(contender, fork);
        fork.readUntil("ready");
      }
      for (int block = 0; block < Contender.BLOCKS; block++) {
        for (String contender : rotate(order, block)) {
          forks.get(contender).send("b");
          forks.get(contender).readUntil("done");
        }
      }
      Map<String, Map<String, Double>> figures = new LinkedHashMap<>();
      for (Fork fork : forks.values()) {
        fork.send("rest");
        figures.put(fork.contender, fork.finish());
      }
      return figures;
    } finally {
      forks.values().forEach(fork -> fork.process.destroyForcibly());
    }
  }

  /**
   * A contender's JVM, driven over its standard input; its {@code key=value} lines are its figures.
   */
  private static final class Fork {
    final String contender;
    final Process process;
    private final BufferedReader lines;
    private final Map<String, Double> figures = new LinkedHashMap<>();

    Fork(String jar, String contender, String server) throws IOException {
      this.contender = contender;
      this.process =
          new ProcessBuilder(
                  java(),
                  "-Xms512m",
                  "-Xmx512m",
                  "-cp",
                  jar,
                  Contender.class.getName(),
                  contender,
                  server)
              .redirectError(ProcessBuilder.Redirect.INHERIT)
              .start();
      this.lines =
          new BufferedReader(
              new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    }

    void send(String command) throws IOException {
      process.getOutputStream().write((command + "\n").getBytes(StandardCharsets.UTF_8));
      process.getOutputStream().flush();
    }

    /** Reads figures until {@code marker}; with null, to the end of the output. */
    void readUntil(String marker) throws IOException, InterruptedException {
      String line;
      while ((line = lines.readLine()) != null) {
        if (line.equals(marker)) {
          return;
        }
        if (line.startsWith("error=")) {
          throw new IllegalStateException(contender + ": " + line.substring(6));
        }
        int eq = line.indexOf('=');
        if (eq > 0) {
          figures.put(line.substring(0, eq), Double.parseDouble(line.substring(eq + 1)));
        }
      }
      if (marker != null) {
        throw new IllegalStateException(
            contender + " ended before '" + marker + "' (exit " + process.waitFor() + ")");
      }
    }

    Map<String, Double> finish() throws Exception {
      readUntil(null);
      if (!process.waitFor(5, TimeUnit.MINUTES) || process.exitValue() != 0) {
        throw new IllegalStateException(contender + " failed (exit " + process.exitValue() + ")");
      }
      return figures;
    }
  }

  private static double coldStart(String jar, String contender, String server) throws Exception {
    long start = System.nanoTime();
    Process process =
        new ProcessBuilder(
                java(),
                "-Xms512m",
                "-Xmx512m",
                "-cp",
                jar,
                Contender.class.getName(),
                contender,
                server,
                "cold")
            .redirectError(ProcessBuilder.Redirect.INHERIT)
            .start();
    double millis = -1;
    try (BufferedReader lines =
        new BufferedReader(
            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = lines.readLine()) != null) {
        if (line.equals("FIRST") && millis < 0) {
          millis = (System.nanoTime() - start) / 1e6;
        } else if (line.startsWith("error=")) {
          throw new IllegalStateException(contender + ": " + line.substring(6));
        }
      }
    }
    if (!process.waitFor(2, TimeUnit.MINUTES) || process.exitValue() != 0 || millis < 0) {
      throw new IllegalStateException(contender + " cold start failed");
    }
    return millis;
  }

  /** A 1,000,000-chunk answer (about 150 MB on the wire) through our provider with a 32 MB heap. */
  private static String flat(String jar, String server) throws Exception {
    int chunks = 1_000_000;
    long start = System.nanoTime();
    Process process =
        new ProcessBuilder(
                java(),
                "-Xmx32m",
                "-cp",
                jar,
                Flat.class.getName(),
                server,
                Integer.toString(chunks))
            .redirectErrorStream(true)
            .start();
    String output =
        new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    boolean ok = process.waitFor(5, TimeUnit.MINUTES) && process.exitValue() == 0;
    if (!ok) {
      throw new IllegalStateException(
          "ours could not stream a long answer in a 32 MB heap: " + output);
    }
    return String.format(
        Locale.ROOT,
        "ours streamed a %,d-chunk answer (%s characters) with -Xmx32m in %.1f s",
        chunks,
        output.replace("chars=", ""),
        (System.nanoTime() - start) / 1e9);
  }

  private static String table(
      Map<String, Map<String, List<Double>>> results,
      List<String> contenders,
      int rounds,
      String flat,
      String streams,
      double seconds) {
    StringBuilder out = new StringBuilder();
    out.append("# Streaming benchmark\n\n");
    out.append(
        String.format(
            Locale.ROOT,
            "%s · Java %s (%s) · %s %s · %d processors · %d rounds · %.0f s%n%n",
            LocalDate.now(),
            System.getProperty("java.version"),
            System.getProperty("java.vm.name"),
            System.getProperty("os.name"),
            System.getProperty("os.arch"),
            Runtime.getRuntime().availableProcessors(),
            rounds,
            seconds));
    out.append(
        "Medians over rounds; in brackets, each contender's ratio to the naive raw client "
            + "(for rates, naive/contender, so below 1 is cheaper; for times and bytes, contender/naive).\n\n");
    tableHead(out, contenders);
    for (String figure : FIGURES) {
      out.append("| ").append(LABELS.get(figure)).append(" |");
      double naive = median(results.get("naive").get(figure));
      for (String contender : contenders) {
        double value = median(results.get(contender).get(figure));
        double ratio = figure.endsWith("per_s") ? naive / value : value / naive;
        out.append(String.format(Locale.ROOT, " %s (%.2f×) |", format(value), ratio));
      }
      out.append('\n');
    }
    out.append(
        "\nEach round's value, to show the spread behind the medians (rounds in the order run):\n\n");
    tableHead(out, contenders);
    for (String figure : SPREAD_FIGURES) {
      out.append("| ").append(SHORT_LABELS.get(figure)).append(" |");
      for (String contender : contenders) {
        StringBuilder values = new StringBuilder();
        for (double value : results.get(contender).get(figure)) {
          values.append(values.length() == 0 ? "" : " · ").append(format(value));
        }
        out.append(' ').append(values).append(" |");
      }
      out.append('\n');
    }
    if (contenders.contains("gateway")) {
      gateway(out, results);
    }
    if (flat != null) {
      out.append("\nMemory: ").append(flat).append(".\n");
    }
    if (streams != null) {
      out.append("\nOpen streams: ").append(streams).append(".\n");
    }
    out.append(
        "\nEvery contender's output was checked: the exact character count of a text with multi-byte "
            + "characters, quotes, backslashes, tabs and newlines.\n");
    out.append("JVM flags for each contender: -Xms512m -Xmx512m; machine load: ")
        .append(
            String.format(
                Locale.ROOT,
                "%.2f",
                ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage()))
        .append(" (1-minute load average at the end).\n");
    return out.toString();
  }

  /**
   * The gateway's own costs: its time-to-first-token overhead (the gateway contender's (b) less the
   * naive client's, in the same round) and its CPU per chunk (the gateway's threads, which read our
   * engine, less our engine alone on one thread, in the same JVM).
   */
  private static void gateway(StringBuilder out, Map<String, Map<String, List<Double>>> results) {
    List<Double> overhead = new ArrayList<>();
    List<Double> viaGateway = results.get("gateway").get("b_first_token_us");
    List<Double> direct = results.get("naive").get("b_first_token_us");
    for (int i = 0; i < viaGateway.size(); i++) {
      overhead.add(viaGateway.get(i) - direct.get(i));
    }
    List<Double> gatewayCpu = results.get("gateway").get("f_gateway_cpu_ns_per_chunk");
    List<Double> engineCpu = results.get("gateway").get("g_engine_cpu_ns_per_chunk");
    List<Double> own = new ArrayList<>();
    for (int i = 0; i < gatewayCpu.size(); i++) {
      own.add(gatewayCpu.get(i) - engineCpu.get(i));
    }
    out.append(
            "\nThe gateway (naive client → gateway → our engine → server, beside naive client →"
                + " server; medians over rounds):\n\n")
        .append(
            String.format(
                Locale.ROOT,
                "- time-to-first-token overhead: %.0f µs (gateway (b) less naive (b) in the same"
                    + " round; rounds: %s)%n",
                median(overhead),
                list(overhead, "%.0f")))
        .append(
            String.format(
                Locale.ROOT,
                "- its own CPU per chunk: %.0f ns (its threads %.0f ns per chunk, reading our engine"
                    + " included, less our engine alone %.0f ns; rounds: %s)%n",
                median(own),
                median(gatewayCpu),
                median(engineCpu),
                list(own, "%.0f")));
  }

  private static String list(List<Double> values, String format) {
    StringBuilder out = new StringBuilder();
    for (double value : values) {
      out.append(out.length() == 0 ? "" : " · ").append(String.format(Locale.ROOT, format, value));
    }
    return out.toString();
  }

  private static void tableHead(StringBuilder out, List<String> contenders) {
    out.append("| figure |");
    contenders.forEach(c -> out.append(' ').append(c).append(" |"));
    out.append("\n|---|");
    contenders.forEach(c -> out.append("---:|"));
    out.append('\n');
  }

  private static String format(double value) {
    return value >= 100
        ? String.format(Locale.ROOT, "%,.0f", value)
        : String.format(Locale.ROOT, "%.1f", value);
  }

  private static double median(List<Double> values) {
    double[] sorted = values.stream().mapToDouble(Double::doubleValue).toArray();
    Arrays.sort(sorted);
    return sorted[sorted.length / 2];
  }

  private static List<String> rotate(List<String> list, int by) {
    List<String> rotated = new ArrayList<>(list.subList(by % list.size(), list.size()));
    rotated.addAll(list.subList(0, by % list.size()));
    return rotated;
  }

  private static String java() {
    return Paths.get(System.getProperty("java.home"), "bin", "java").toString();
  }
}
