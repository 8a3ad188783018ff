package dev.completions.server.clients;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import dev.completions.api.Capability;
import dev.completions.openai.Auth;
import dev.completions.openai.OpenAiCompatibleProvider;
import dev.completions.openai.ProviderConfig;
import dev.completions.registry.ProviderRegistry;
import dev.completions.server.CompletionServer;
import dev.completions.tck.LoopbackServer;
import java.time.Duration;

/**
 * The gateway in this process on a free port, over one provider of our engine ({@code Up}, models
 * {@code m1} and {@code m2}) in front of a scripted OpenAI-compatible server. Nothing of ours is
 * mocked: a client talks HTTP to the gateway, which talks HTTP to the scripted server.
 */
final class ScriptedGateway implements AutoCloseable {
  final LoopbackServer upstream = LoopbackServer.start();
  final OpenAiCompatibleProvider provider =
      new OpenAiCompatibleProvider(
          ProviderConfig.custom()
              .name("Up")
              .baseUrl(upstream.url() + "/v1")
              .models("m1", "m2")
              .auth(Auth.none())
              .attempts(1)
              .firstByteTimeout(Duration.ofSeconds(10))
              .idleTimeout(Duration.ofSeconds(10))
              .capabilities(Capability.TOOLS)
              .build());
  final ProviderRegistry registry =
      ProviderRegistry.builder().discover(false).add(provider).build();
  final CompletionServer server = CompletionServer.builder(registry).port(0).build().start();

  /** {@return the base URL an OpenAI client takes: the gateway's {@code /v1}} */
  String baseUrl() {
    return server.uri() + "/v1";
  }

  /** {@return the official SDK pointed at the gateway, with no retries of its own} */
  OpenAIClient openAi() {
    return OpenAIOkHttpClient.builder()
        .baseUrl(baseUrl())
        .apiKey("not-checked")
        .maxRetries(0)
        .timeout(Duration.ofSeconds(30))
        .build();
  }

  @Override
  public void close() {
    server.close();
    registry.close();
    provider.close();
    upstream.close();
  }
}
