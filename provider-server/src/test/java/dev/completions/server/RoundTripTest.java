package dev.completions.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.completions.api.CompletionRequest;
import dev.completions.api.CompletionStream;
import dev.completions.api.ProviderException;
import dev.completions.api.Usage;
import dev.completions.openai.Auth;
import dev.completions.openai.OpenAiCompatibleProvider;
import dev.completions.openai.ProviderConfig;
import dev.completions.registry.ProviderRegistry;
import dev.completions.tck.OpenAiSse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Our own OpenAI-compatible engine pointed at the gateway, which serves our engine in turn. */
class RoundTripTest {
  private static final String KEY = "gw-key";

  private Upstream upstream;
  private ProviderRegistry registry;
  private CompletionServer server;
  private OpenAiCompatibleProvider viaGateway;

  @BeforeEach
  void start() {
    upstream = new Upstream("Up", "m1");
    registry = ProviderRegistry.builder().discover(false).add(upstream.provider).build();
    server = CompletionServer.builder(registry).port(0).apiKey(KEY).build().start();
    viaGateway =
        new OpenAiCompatibleProvider(
            ProviderConfig.custom()
                .name("Gateway")
                .baseUrl(server.uri() + "/v1")
                .models("up:m1")
                .auth(Auth.bearer(KEY))
                .attempts(1)
                .build());
  }

  @AfterEach
  void stop() {
    viaGateway.close();
    server.close();
    registry.close();
    upstream.close();
  }

  @Test
  void textUsageAndFinishReasonArriveIdentically() {
    List<String> tokens = List.of("Once", " upon", " a ", "time \"quoted\" é 😀");
    String[] events = new String[tokens.size() + 3];
    for (int i = 0; i < tokens.size(); i++) {
      events[i] = OpenAiSse.content(tokens.get(i));
    }
    events[tokens.size()] = OpenAiSse.delta("{}", "length");
    events[tokens.size() + 1] = OpenAiSse.usage(new Usage(11, 4, 15));
    events[tokens.size() + 2] = OpenAiSse.DONE;
    upstream.server.enqueue(OpenAiSse.stream(events));

    List<String> received = new ArrayList<>();
    try (CompletionStream answer =
        viaGateway.complete(CompletionRequest.builder().user("Hi").build())) {
      answer.forEach(received::add);

      assertThat(received).containsExactlyElementsOf(tokens);
      assertThat(answer.finishReason()).contains("length");
      assertThat(answer.usage()).contains(new Usage(11, 4, 15));
    }
  }

  @Test
  void anUpstreamRateLimitArrivesAsARateLimit() {
    upstream.server.enqueue(
        exchange ->
            exchange.respond(
                429, "application/json", "{\"error\":{\"message\":\"slow\"}}", "Retry-After: 120"));

    try (CompletionStream answer =
        viaGateway.complete(CompletionRequest.builder().user("Hi").build())) {
      org.assertj.core.api.Assertions.assertThatThrownBy(answer::text)
          .isInstanceOf(ProviderException.RateLimited.class)
          .hasMessageContaining("slow");
    }
  }

  @Test
  void closingTheServerAbortsTheOpenAnswersUpstreamCalls() throws Exception {
    Upstream.Held held = upstream.holdOpen(Duration.ofSeconds(5), "Hel");
    try (CompletionStream answer =
        viaGateway.complete(CompletionRequest.builder().user("Hi").build())) {
      var tokens = answer.iterator();
      assertThat(tokens.next()).isEqualTo("Hel");
      assertThat(held.sent()).isTrue();

      server.close();

      assertThat(held.closedByTheGateway()).isTrue();
      org.assertj.core.api.Assertions.assertThatThrownBy(() -> tokens.hasNext())
          .isInstanceOf(ProviderException.class);
    }
  }
}
