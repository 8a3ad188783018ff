package dev.completions.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.http.StreamResponse;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import dev.completions.api.CompletionEvent;
import dev.completions.api.CompletionProvider;
import dev.completions.api.CompletionRequest;
import dev.completions.api.CompletionStream;
import dev.completions.openai.OpenAiCompatibleProvider;
import dev.completions.registry.ProviderRegistry;
import dev.completions.server.CompletionServer;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import dev.langchain4j.model.openai.OpenAiStreamingChatModel;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.HttpHost;
import org.apache.hc.core5.http.io.entity.StringEntity;
import org.apache.hc.core5.util.Timeout;

/** The contenders. */
final class Clients {
  private Clients() {}

  static String body(int chunks) {
    return "{\"model\":\"bench-"
        + chunks
        + "\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}";
  }

  /** Our Lockchat provider, selected through the registry. */
  static final class Ours implements Client {
    private final ProviderRegistry registry;
    private final CompletionProvider provider;

    Ours(String server) {
      System.setProperty("lockchat.url", server);
      registry = ProviderRegistry.load();
      provider = registry.get("lockchat");
    }

    @Override
    public long stream(int chunks, Runnable onFirstToken) {
      long chars = 0;
      boolean first = true;
      try (CompletionStream answer =
          provider.complete(
              CompletionRequest.builder().model("bench-" + chunks).user("Hi").build())) {
        for (String token : answer) {
          if (first) {
            onFirstToken.run();
            first = false;
          }
          chars += token.length();
        }
      }
      return chars;
    }

    @Override
    public void close() {
      registry.close();
    }
  }

  /** The same HttpClient 5 setup both raw contenders share. */
  abstract static class Raw implements Client {
    final CloseableHttpClient http;
    final HttpHost host;
    final URI uri;

    Raw(String server) {
      http =
          HttpClients.custom()
              .setConnectionManager(
                  PoolingHttpClientConnectionManagerBuilder.create()
                      .setMaxConnTotal(128)
                      .setMaxConnPerRoute(128)
                      .setDefaultConnectionConfig(
                          ConnectionConfig.custom()
                              .setConnectTimeout(Timeout.ofSeconds(10))
                              .setSocketTimeout(Timeout.ofSeconds(30))
                              .build())
                      .build())
              .disableAutomaticRetries()
              .build();
      uri = URI.create(server + "/v1/chat/completions");
      host = new HttpHost(uri.getScheme(), uri.getHost(), uri.getPort());
    }

    ClassicHttpResponse open(int chunks) throws Exception {
      HttpPost post = new HttpPost(uri);
      post.setHeader("Accept", "text/event-stream");
      post.setEntity(new StringEntity(body(chunks), ContentType.APPLICATION_JSON));
      return http.executeOpen(host, post, null);
    }

    @Override
    public void close() throws Exception {
      http.close();
    }
  }

  /** The obvious hand-written client: lines, then Jackson's tree for each data line. */
  static final class Naive extends Raw {
    private final ObjectMapper json = new ObjectMapper();

    Naive(String server) {
      super(server);
    }

    @Override
    public long stream(int chunks, Runnable onFirstToken) throws Exception {
      long chars = 0;
      boolean first = true;
      try (ClassicHttpResponse response = open(chunks);
          BufferedReader lines =
              new BufferedReader(
                  new InputStreamReader(
                      response.getEntity().getContent(), StandardCharsets.UTF_8))) {
        String line;
        while ((line = lines.readLine()) != null) {
          if (!line.startsWith("data: ") || line.equals("data: [DONE]")) {
            continue;
          }
          JsonNode content =
              json.readTree(line.substring(6))
                  .path("choices")
                  .path(0)
                  .path("delta")
                  .path("content");
          if (content.isTextual() && !content.asText().isEmpty()) {
            if (first) {
              onFirstToken.run();
              first = false;
            }
            chars += content.asText().length();
          }
        }
      }
      return chars;
    }
  }

  /**
   * The floor: the same connection, bytes scanned into one reused buffer, content characters
   * counted with no JSON library and no String at all. No real client can do less.
   */
  static final class Floor extends Raw {
    private static final byte[] KEY = "\"content\":\"".getBytes(StandardCharsets.US_ASCII);

    Floor(String server) {
      super(server);
    }

    @Override
    public long stream(int chunks, Runnable onFirstToken) throws Exception {
      byte[] buffer = new byte[8192];
      long chars = 0;
      boolean first = true;
      int matched = 0;
      boolean inContent = false;
      int skip = 0;
      boolean escape = false;
      try (ClassicHttpResponse response = open(chunks);
          InputStream in = response.getEntity().getContent()) {
        int n;
        while ((n = in.read(buffer)) >= 0) {
          for (int i = 0; i < n; i++) {
            byte b = buffer[i];
            if (!inContent) {
              matched = b == KEY[matched] ? matched + 1 : (b == KEY[0] ? 1 : 0);
              if (matched == KEY.length) {
                inContent = true;
                matched = 0;
              }
              continue;
            }
            if (escape) {
              escape = false;
              skip = b == 'u' ? 4 : 0;
              continue;
            }
            if (skip > 0) {
              skip--;
              continue;
            }
            if (b == '"') {
              inContent = false;
              continue;
            }
            int units;
            if (b == '\\') {
              units = 1;
              escape = true;
            } else if ((b & 0xC0) == 0x80) {
              units = 0;
            } else if ((b & 0xF8) == 0xF0) {
              units = 2;
            } else {
              units = 1;
            }
            if (units > 0 && first) {
              onFirstToken.run();
              first = false;
            }
            chars += units;
          }
        }
      }
      return chars;
    }
  }

  /**
   * The naive client through the gateway, which runs in this JVM and serves our engine in front of
   * the server: naive client → gateway → our engine → server. Its own figures are the CPU time the
   * gateway's threads spend per chunk (reading our engine's events included) and, beside it, the
   * CPU time our engine alone spends per chunk on the thread that reads it, so that the gateway's
   * own cost is their difference.
   */
  static final class ViaGateway implements Client {
    private static final int CPU_RUNS = 7;

    private final OpenAiCompatibleProvider provider;
    private final ProviderRegistry registry;
    private final CompletionServer gateway;
    private final Naive naive;

    ViaGateway(String server) {
      provider = GatewayHost.engine(server, 256);
      registry = ProviderRegistry.builder().discover(false).add(provider).build();
      gateway = CompletionServer.builder(registry).port(0).build().start();
      naive = new Naive(gateway.uri() + "/api/bench");
    }

    @Override
    public long stream(int chunks, Runnable onFirstToken) throws Exception {
      return naive.stream(chunks, onFirstToken);
    }

    @Override
    public Map<String, Double> figures() throws Exception {
      ThreadMXBean threads = ManagementFactory.getThreadMXBean();
      long gatewayNanos = Long.MAX_VALUE;
      long engineNanos = Long.MAX_VALUE;
      for (int run = 0; run < CPU_RUNS; run++) {
        Map<Long, Long> before = gatewayCpu(threads);
        long chars = naive.stream(Contender.BIG, () -> {});
        Map<Long, Long> after = gatewayCpu(threads);
        check(chars);
        long spent = 0;
        for (Map.Entry<Long, Long> thread : after.entrySet()) {
          spent += thread.getValue() - before.getOrDefault(thread.getKey(), 0L);
        }
        gatewayNanos = Math.min(gatewayNanos, spent);

        long start = threads.getCurrentThreadCpuTime();
        chars = 0;
        try (CompletionStream answer =
            provider.complete(
                CompletionRequest.builder().model("bench-" + Contender.BIG).user("Hi").build())) {
          // as the gateway reads it: every event, the text counted
          for (CompletionEvent event : answer.events()) {
            if (event instanceof CompletionEvent.Text text) {
              chars += text.text().length();
            }
          }
        }
        engineNanos = Math.min(engineNanos, threads.getCurrentThreadCpuTime() - start);
        check(chars);
      }
      return Map.of(
          "f_gateway_cpu_ns_per_chunk", gatewayNanos / (double) Contender.BIG,
          "g_engine_cpu_ns_per_chunk", engineNanos / (double) Contender.BIG);
    }

    private static void check(long chars) {
      if (chars != SseServer.expectedChars(Contender.BIG)) {
        throw new IllegalStateException("wrong character count: " + chars);
      }
    }

    /** CPU time so far of each of the gateway's threads (Jetty's pool, selectors included). */
    private static Map<Long, Long> gatewayCpu(ThreadMXBean threads) {
      Map<Long, Long> cpu = new HashMap<>();
      for (ThreadInfo thread : threads.getThreadInfo(threads.getAllThreadIds())) {
        if (thread != null && thread.getThreadName().startsWith("completion-server")) {
          long nanos = threads.getThreadCpuTime(thread.getThreadId());
          if (nanos >= 0) {
            cpu.put(thread.getThreadId(), nanos);
          }
        }
      }
      return cpu;
    }

    @Override
    public void close() throws Exception {
      naive.close();
      gateway.close();
      registry.close();
      provider.close();
    }
  }

  /** LangChain4j's OpenAiStreamingChatModel. */
  static final class LangChain4j implements Client {
    private final String server;
    private final Map<Integer, OpenAiStreamingChatModel> models = new ConcurrentHashMap<>();

    LangChain4j(String server) {
      this.server = server;
    }

    @Override
    public long stream(int chunks, Runnable onFirstToken) throws Exception {
      OpenAiStreamingChatModel model =
          models.computeIfAbsent(
              chunks,
              n ->
                  OpenAiStreamingChatModel.builder()
                      .baseUrl(server + "/v1")
                      .apiKey("bench")
                      .modelName("bench-" + n)
                      .timeout(Duration.ofSeconds(60))
                      .build());
      AtomicLong chars = new AtomicLong();
      CompletableFuture<Void> done = new CompletableFuture<>();
      model.chat(
          List.of(UserMessage.from("Hi")),
          new StreamingChatResponseHandler() {
            private boolean first = true;

            @Override
            public void onPartialResponse(String partial) {
              if (first) {
                onFirstToken.run();
                first = false;
              }
              chars.addAndGet(partial.length());
            }

            @Override
            public void onCompleteResponse(ChatResponse response) {
              done.complete(null);
            }

            @Override
            public void onError(Throwable error) {
              done.completeExceptionally(error);
            }
          });
      done.get(120, TimeUnit.SECONDS);
      return chars.get();
    }
  }

  /** openai-java's streaming chat completions. */
  static final class OpenAiJava implements Client {
    private final OpenAIClient client;

    OpenAiJava(String server) {
      client =
          OpenAIOkHttpClient.builder()
              .baseUrl(server + "/v1")
              .apiKey("bench")
              .maxRetries(0)
              .timeout(Duration.ofSeconds(60))
              .build();
    }

    @Override
    public long stream(int chunks, Runnable onFirstToken) {
      ChatCompletionCreateParams params =
          ChatCompletionCreateParams.builder()
              .model("bench-" + chunks)
              .addUserMessage("Hi")
              .build();
      long[] chars = {0};
      boolean[] first = {true};
      try (StreamResponse<ChatCompletionChunk> stream =
          client.chat().completions().createStreaming(params)) {
        stream.stream()
            .forEach(
                chunk ->
                    chunk
                        .choices()
                        .forEach(
                            choice ->
                                choice
                                    .delta()
                                    .content()
                                    .ifPresent(
                                        text -> {
                                          if (!text.isEmpty()) {
                                            if (first[0]) {
                                              onFirstToken.run();
                                              first[0] = false;
                                            }
                                            chars[0] += text.length();
                                          }
                                        })));
      }
      return chars[0];
    }

    @Override
    public void close() {
      client.close();
    }
  }
}
