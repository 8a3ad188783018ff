package dev.completions.bench;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;

/**
 * Runs in a forked JVM, one per contender and round, driven by the parent over standard input:
 * warms up (long and short streams for at least {@value #WARMUP_SECONDS} s, then 64 concurrent
 * ones), measures (a) throughput (best of seven 20,000-chunk streams), warms up on short streams
 * for {@value #WARMUP_SECONDS} s more and prints {@code ready}. Then each {@code b} line runs one
 * block of (b), time to first token and to the end of short streams ({@value #BLOCK_WARMUP}
 * unmeasured, {@value #BLOCK_SAMPLES} measured), and answers {@code done}; {@code rest} prints the
 * medians of (b) over all blocks, measures (c) 64 concurrent streams (best of five) and (d) bytes
 * allocated per chunk, and exits. Figures are printed as {@code key=value} lines. In {@code cold}
 * mode it prints {@code FIRST} at the first token of one short answer, for the parent to time the
 * whole process. Exits 2 on a wrong character count.
 *
 * <p>Warm-ups are timed rather than counted because the contenders reach steady state after very
 * different numbers of streams: after a fixed 5,000 short streams every contender's time to first
 * token was still falling (to a third of it over the next 35,000), so a count compared them at
 * different stages of the JIT's work.
 *
 * <p>(b) is measured in blocks that the parent interleaves across the contenders' JVMs, all warmed
 * and alive at once, each idle while another measures: on this VM a contender's time to first token
 * drifts by a third from one second to the next, for all contenders alike, so samples spread over
 * the same seconds compare the clients rather than the moments they ran in.
 */
public final class Contender {

  static final int BIG = 20_000;
  static final int SMALL = 10;
  static final int CONCURRENT = 64;
  static final int CONCURRENT_CHUNKS = 1_000;
  static final int WARMUP_BIG = 15;
  static final int THROUGHPUT_RUNS = 7;
  static final int CONCURRENT_RUNS = 5;
  static final int BLOCKS = 10;
  static final int BLOCK_SAMPLES = 100;
  static final int BLOCK_WARMUP = 20;
  static final int LATENCY_WARMUP = 5_000;
  static final int WARMUP_SECONDS = 3;
  static final int ALLOCATION_SAMPLE_MILLIS = 5;

  private Contender() {}

  public static void main(String[] args) throws Exception {
    String name = args[0];
    String server = args[1];
    boolean cold = args.length > 2 && args[2].equals("cold");
    try (Client client = Client.create(name, server)) {
      if (cold) {
        long chars =
            client.stream(
                SMALL,
                () -> {
                  System.out.println("FIRST");
                  System.out.flush();
                });
        check(chars, SMALL);
        System.exit(0);
      }
      long warm = deadline();
      for (int i = 0; i < WARMUP_BIG || System.nanoTime() < warm; i++) {
        check(client.stream(BIG, () -> {}), BIG);
        check(client.stream(SMALL, () -> {}), SMALL);
      }
      concurrent(client);

      long throughputNanos = Long.MAX_VALUE;
      for (int i = 0; i < THROUGHPUT_RUNS; i++) {
        long start = System.nanoTime();
        check(client.stream(BIG, () -> {}), BIG);
        throughputNanos = Math.min(throughputNanos, System.nanoTime() - start);
      }
      print("a_chunks_per_s", BIG / (throughputNanos / 1e9));

      warm = deadline();
      for (int i = 0; i < LATENCY_WARMUP || System.nanoTime() < warm; i++) {
        check(client.stream(SMALL, () -> {}), SMALL);
      }
      latencyBlocks(client);

      double concurrentRate = 0;
      for (int i = 0; i < CONCURRENT_RUNS; i++) {
        concurrentRate = Math.max(concurrentRate, concurrent(client));
      }
      print("c_chunks_per_s", concurrentRate);

      print(
          "d_bytes_per_chunk",
          allocatedDuring(() -> check(client.stream(BIG, () -> {}), BIG)) / (double) BIG);
      client.figures().forEach(Contender::print);
    }
    System.exit(0);
  }

  /**
   * Answers the parent's {@code b} lines with one block each until it says {@code rest}; prints
   * (b).
   */
  private static void latencyBlocks(Client client) throws Exception {
    BufferedReader commands =
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    long[] first = new long[BLOCKS * BLOCK_SAMPLES];
    long[] total = new long[first.length];
    int taken = 0;
    System.out.println("ready");
    System.out.flush();
    String command;
    while ((command = commands.readLine()) != null && !command.equals("rest")) {
      if (!command.equals("b") || taken == first.length) {
        throw new IllegalStateException("unexpected command from the parent: " + command);
      }
      for (int i = 0; i < BLOCK_WARMUP; i++) {
        check(client.stream(SMALL, () -> {}), SMALL);
      }
      for (int i = 0; i < BLOCK_SAMPLES; i++, taken++) {
        long begin = System.nanoTime();
        long[] firstAt = {0};
        check(client.stream(SMALL, () -> firstAt[0] = System.nanoTime()), SMALL);
        total[taken] = System.nanoTime() - begin;
        first[taken] = firstAt[0] - begin;
      }
      System.out.println("done");
      System.out.flush();
    }
    if (taken != first.length) {
      throw new IllegalStateException(
          "the parent asked for " + taken / BLOCK_SAMPLES + " blocks of (b), not " + BLOCKS);
    }
    print("b_first_token_us", median(first) / 1e3);
    print("b_total_us", median(total) / 1e3);
  }

  private static long deadline() {
    return System.nanoTime() + TimeUnit.SECONDS.toNanos(WARMUP_SECONDS);
  }

  private static double concurrent(Client client) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(CONCURRENT);
    try {
      List<Future<Long>> streams = new ArrayList<>();
      long start = System.nanoTime();
      for (int i = 0; i < CONCURRENT; i++) {
        streams.add(pool.submit(() -> client.stream(CONCURRENT_CHUNKS, () -> {})));
      }
      for (Future<Long> stream : streams) {
        check(stream.get(), CONCURRENT_CHUNKS);
      }
      return CONCURRENT * (double) CONCURRENT_CHUNKS / ((System.nanoTime() - start) / 1e9);
    } finally {
      pool.shutdownNow();
    }
  }

  /** Work measured by {@link #allocatedDuring}. */
  private interface Work {
    void run() throws Exception;
  }

  /**
   * Bytes allocated by every thread of the process while {@code work} runs. Threads are sampled
   * every {@value #ALLOCATION_SAMPLE_MILLIS} ms as well as before and after, because some clients
   * parse on pooled threads that may end meanwhile, and an ended thread's count is gone: such a
   * thread loses at most its last few milliseconds. The sampling thread's own allocations are left
   * out.
   */
  private static long allocatedDuring(Work work) throws Exception {
    com.sun.management.ThreadMXBean threads =
        (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    Map<Long, Long> before = allocated(threads);
    Map<Long, Long> latest = new ConcurrentHashMap<>(before);
    AtomicBoolean done = new AtomicBoolean();
    Thread sampler =
        new Thread(
            () -> {
              while (!done.get()) {
                latest.putAll(allocated(threads));
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(ALLOCATION_SAMPLE_MILLIS));
              }
            },
            "allocation-sampler");
    sampler.setDaemon(true);
    sampler.start();
    try {
      work.run();
    } finally {
      done.set(true);
      sampler.join();
    }
    latest.putAll(allocated(threads));
    latest.remove(sampler.getId());
    long bytes = 0;
    for (Map.Entry<Long, Long> entry : latest.entrySet()) {
      bytes += entry.getValue() - before.getOrDefault(entry.getKey(), 0L);
    }
    return bytes;
  }

  private static Map<Long, Long> allocated(com.sun.management.ThreadMXBean threads) {
    long[] ids = threads.getAllThreadIds();
    long[] bytes = threads.getThreadAllocatedBytes(ids);
    Map<Long, Long> byThread = new HashMap<>();
    for (int i = 0; i < ids.length; i++) {
      if (bytes[i] >= 0) {
        byThread.put(ids[i], bytes[i]);
      }
    }
    return byThread;
  }

  private static void check(long chars, int chunks) {
    long expected = SseServer.expectedChars(chunks);
    if (chars != expected) {
      System.out.println(
          "error=wrong character count: "
              + chars
              + " instead of "
              + expected
              + " for "
              + chunks
              + " chunks");
      System.exit(2);
    }
  }

  private static double median(long[] values) {
    long[] sorted = values.clone();
    Arrays.sort(sorted);
    return sorted[sorted.length / 2];
  }

  private static void print(String key, double value) {
    System.out.println(key + "=" + value);
  }
}
