package dev.completions.bench;

import dev.completions.openai.Auth;
import dev.completions.openai.OpenAiCompatibleProvider;
import dev.completions.openai.ProviderConfig;
import dev.completions.registry.ProviderRegistry;
import dev.completions.server.CompletionServer;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * The gateway alone in a JVM (the parent gives it a small heap), for {@link OpenStreams}: it serves
 * our engine in front of the benchmark's server, prints {@code url=...}, then answers each {@code
 * measure} line with the heap used after a full collection and the thread counts, as {@code
 * key=value} lines ended by {@code measured}, until {@code exit}.
 */
public final class GatewayHost {
  private GatewayHost() {}

  /** Our engine in front of the benchmark's server, as provider {@code Bench}. */
  static OpenAiCompatibleProvider engine(String server, int maxConnections) {
    return new OpenAiCompatibleProvider(
        ProviderConfig.custom()
            .name("Bench")
            .baseUrl(server + "/v1")
            .models("bench-10")
            .auth(Auth.none())
            .attempts(1)
            .firstByteTimeout(Duration.ofSeconds(60))
            .idleTimeout(Duration.ofSeconds(120))
            .maxConnections(maxConnections)
            .build());
  }

  public static void main(String[] args) throws Exception {
    String server = args[0];
    int streams = Integer.parseInt(args[1]);
    try (OpenAiCompatibleProvider provider = engine(server, streams + 64);
        ProviderRegistry registry =
            ProviderRegistry.builder().discover(false).add(provider).build();
        CompletionServer gateway =
            // idle timeout: the streams opened first wait, silent, while the last ones open
            CompletionServer.builder(registry)
                .port(0)
                .idleTimeout(Duration.ofMinutes(5))
                .build()
                .start()) {
      System.out.println("url=" + gateway.uri());
      System.out.flush();
      BufferedReader commands =
          new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
      String command;
      while ((command = commands.readLine()) != null && !command.equals("exit")) {
        if (!command.equals("measure")) {
          throw new IllegalStateException("unexpected command from the parent: " + command);
        }
        measure();
      }
    }
    System.exit(0);
  }

  private static void measure() {
    MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    for (int i = 0; i < 3; i++) {
      System.gc();
    }
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    System.out.println("heap_used=" + memory.getHeapMemoryUsage().getUsed());
    System.out.println("heap_max=" + memory.getHeapMemoryUsage().getMax());
    System.out.println("threads=" + threads.getThreadCount());
    System.out.println("peak_threads=" + threads.getPeakThreadCount());
    System.out.println("measured");
    System.out.flush();
  }
}
