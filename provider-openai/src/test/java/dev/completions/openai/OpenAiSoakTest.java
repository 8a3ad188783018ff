package dev.completions.openai;

import static dev.completions.openai.Fixtures.DONE;
import static dev.completions.openai.Fixtures.content;
import static dev.completions.openai.Fixtures.hello;
import static dev.completions.openai.Fixtures.provider;
import static dev.completions.openai.Fixtures.respond;
import static dev.completions.openai.Fixtures.sse;
import static org.assertj.core.api.Assertions.assertThat;

import dev.completions.api.CompletionStream;
import dev.completions.api.ProviderException;
import dev.completions.tck.LoopbackServer;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * 10,000 streams, one at a time and 64 at once, mixing success, early close, errors and interrupts:
 * afterwards no connection is leased, no thread of ours is left, and the heap is back where it
 * started.
 */
class OpenAiSoakTest {

  private static final int STREAMS = 10_000;

  /** One stream of the mix; returns what happened, for the tally. */
  private static String oneStream(OpenAiCompatibleProvider acme, LoopbackServer server, int i) {
    switch (i % 4) {
      case 0 -> {
        server.enqueue(sse(content("a"), content("b"), DONE));
        return acme.complete(hello()).text().equals("ab") ? "completed" : "wrong text";
      }
      case 1 -> {
        server.enqueue(sse(content("a"), content("b"), DONE));
        try (CompletionStream stream = acme.complete(hello())) {
          return stream.iterator().next().equals("a") ? "closed early" : "wrong token";
        }
      }
      case 2 -> {
        server.enqueue(respond(500, "text/plain", "boom"));
        try {
          acme.complete(hello()).text();
          return "no error";
        } catch (ProviderException.ServerError expected) {
          return "failed";
        }
      }
      default -> {
        server.enqueue(sse(content("a"), content("b"), DONE));
        try (CompletionStream stream = acme.complete(hello())) {
          Iterator<String> tokens = stream.iterator();
          tokens.next();
          Thread.currentThread().interrupt();
          tokens.hasNext();
          return "not cancelled";
        } catch (ProviderException.Cancelled expected) {
          return "interrupted";
        } finally {
          Thread.interrupted();
        }
      }
    }
  }

  private static Set<String> ourThreads() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(Thread::isAlive)
        .map(Thread::getName)
        .filter(
            name ->
                !name.startsWith("loopback-")
                    && !name.startsWith("soak-")
                    && !name.startsWith("surefire"))
        .collect(Collectors.toSet());
  }

  private static long usedHeapAfterGc() {
    Runtime runtime = Runtime.getRuntime();
    for (int i = 0; i < 3; i++) {
      System.gc();
    }
    return runtime.totalMemory() - runtime.freeMemory();
  }

  @Test
  void tenThousandMixedStreamsOneAtATimeAndSixtyFourAtOnceLeaveNothingBehind() throws Exception {
    // an earlier test in this JVM may have left the interrupt watch running for its last second
    awaitOurThreads(
        ourThreads().stream()
            .filter(name -> !name.equals("completions-interrupt-watch"))
            .collect(Collectors.toSet()));
    Set<String> threadsBefore = ourThreads();
    long heapBefore = usedHeapAfterGc();

    Map<String, Integer> outcomes = runMix();

    long heapAfter = usedHeapAfterGc();
    awaitOurThreads(threadsBefore);
    System.out.printf(
        "soak: %s; heap after GC %d KiB before, %d KiB after; threads before %s, after %s%n",
        outcomes, heapBefore / 1024, heapAfter / 1024, threadsBefore, ourThreads());
    // each stream ended the way its kind must end: one at a time a quarter of each kind, 64 at
    // once a third of each kind but the error (i % 3 == 2 is an interrupt there)
    assertThat(outcomes)
        .containsExactlyInAnyOrderEntriesOf(
            Map.of(
                "completed", STREAMS / 4 + (STREAMS + 2) / 3,
                "closed early", STREAMS / 4 + (STREAMS + 1) / 3,
                "failed", STREAMS / 4,
                "interrupted", STREAMS / 4 + STREAMS / 3));
    assertThat(ourThreads()).isEqualTo(threadsBefore);
    assertThat(heapAfter - heapBefore).as("heap growth in bytes").isLessThan(8L << 20);
  }

  /**
   * The workload, in its own frame so nothing it used stays reachable from the test's locals;
   * returns how many streams ended which way.
   */
  private static Map<String, Integer> runMix() throws Exception {
    Map<String, Integer> outcomes = new TreeMap<>();
    try (LoopbackServer server = LoopbackServer.start();
        OpenAiCompatibleProvider acme =
            provider(server, new Fixtures.RecordingSleeper()).attempts(1).build()) {
      for (int i = 0; i < STREAMS; i++) {
        outcomes.merge(oneStream(acme, server, i), 1, Integer::sum);
      }
      assertThat(acme.leasedConnections()).isZero();
    }
    ExecutorService pool =
        Executors.newFixedThreadPool(
            64, runnable -> new Thread(runnable, "soak-" + runnable.hashCode()));
    try (LoopbackServer server = LoopbackServer.start();
        OpenAiCompatibleProvider concurrent =
            provider(server, new Fixtures.RecordingSleeper()).attempts(1).build()) {
      List<Future<String>> pending = new ArrayList<>();
      for (int i = 0; i < STREAMS; i++) {
        int n = i;
        pending.add(pool.submit(() -> oneStreamAlone(concurrent, server, n)));
      }
      for (Future<String> outcome : pending) {
        outcomes.merge(outcome.get(60, TimeUnit.SECONDS), 1, Integer::sum);
      }
      assertThat(concurrent.leasedConnections()).isZero();
    } finally {
      pool.shutdown();
      assertThat(pool.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
    }
    return outcomes;
  }

  /**
   * The concurrent mix: with 64 threads sharing one server queue an error answer could reach
   * another thread's request, so each thread here uses only answers whose outcome does not depend
   * on the order (success, early close, interrupt).
   */
  private static String oneStreamAlone(
      OpenAiCompatibleProvider acme, LoopbackServer server, int i) {
    int kind = i % 3 == 2 ? 3 : i % 3;
    return oneStream(acme, server, kind);
  }

  /** The interrupt watch ends on its own once nothing is watched; wait for that, bounded. */
  private static void awaitOurThreads(Set<String> expected) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (!ourThreads().equals(expected) && System.nanoTime() < deadline) {
      TimeUnit.MILLISECONDS.sleep(10);
    }
  }
}
