package dev.completions.server;

import dev.completions.api.Capability;
import dev.completions.openai.Auth;
import dev.completions.openai.OpenAiCompatibleProvider;
import dev.completions.openai.ProviderConfig;
import dev.completions.tck.LoopbackServer;
import java.time.Duration;

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

  @Override
  public void close() {
    provider.close();
    server.close();
  }
}
