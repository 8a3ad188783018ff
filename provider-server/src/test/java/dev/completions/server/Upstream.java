package dev.completions.server;

import dev.completions.api.Capability;
import dev.completions.openai.Auth;
import dev.completions.openai.OpenAiCompatibleProvider;
import dev.completions.openai.ProviderConfig;
import dev.completions.tck.LoopbackServer;
import dev.completions.tck.OpenAiSse;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/** A scripted OpenAI-compatible server and our engine's provider in front of it. */
final class Upstream implements AutoCloseable {
  final LoopbackServer server = LoopbackServer.start();
  final OpenAiCompatibleProvider provider;

  Upstream(String name, String... models) {
    this(name, Duration.ofSeconds(10), models);
  }

  Upstream(String name, Duration timeout, String... models) {
    provider =
        new OpenAiCompatibleProvider(
            ProviderConfig.custom()
                .name(name)
                .baseUrl(server.url() + "/v1")
                .models(models)
                .auth(Auth.none())
                .attempts(1)
                .firstByteTimeout(timeout)
                .idleTimeout(timeout)
                .capabilities(Capability.TOOLS)
                .build());
  }

  /**
   * Scripts the next answer: the head and these tokens (with none, not even the head), then holding
   * the connection open until the gateway closes it or {@code wait} passes.
   */
  Held holdOpen(Duration wait, String... tokens) {
    Held held = new Held();
    server.enqueue(
        exchange -> {
          if (tokens.length > 0) {
            exchange.chunkedHead(200, "Content-Type: text/event-stream");
            for (String token : tokens) {
              exchange.chunk(OpenAiSse.content(token));
            }
          }
          held.sent.countDown();
          held.sawClose.set(exchange.awaitClientClose(wait));
          held.ended.countDown();
        });
    return held;
  }

  /** An answer held open by {@link #holdOpen}. */
  static final class Held {
    private final CountDownLatch sent = new CountDownLatch(1);
    private final CountDownLatch ended = new CountDownLatch(1);
    private final AtomicBoolean sawClose = new AtomicBoolean();

    /** {@return whether the request arrived and the tokens were sent, within 5 s} */
    boolean sent() throws InterruptedException {
      return sent.await(5, TimeUnit.SECONDS);
    }

    /** {@return whether the gateway closed the connection within the wait given} */
    boolean closedByTheGateway() throws InterruptedException {
      return ended.await(15, TimeUnit.SECONDS) && sawClose.get();
    }
  }

  @Override
  public void close() {
    provider.close();
    server.close();
  }
}
