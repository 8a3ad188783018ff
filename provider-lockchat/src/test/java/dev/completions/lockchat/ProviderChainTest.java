package dev.completions.lockchat;

import static dev.completions.lockchat.Fixtures.DONE;
import static dev.completions.lockchat.Fixtures.config;
import static dev.completions.lockchat.Fixtures.respond;
import static dev.completions.lockchat.Fixtures.sse;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.completions.api.CompletionRequest;
import dev.completions.api.CompletionStream;
import dev.completions.api.ProviderException;
import dev.completions.registry.ProviderChain;
import dev.completions.registry.ProviderRegistry;
import dev.completions.tck.LoopbackServer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Fallback chains of real providers against two local servers. */
class ProviderChainTest {

  private final LoopbackServer first = LoopbackServer.start();
  private final LoopbackServer second = LoopbackServer.start();
  private final LockchatProvider primary = new LockchatProvider(config(first).attempts(1).build());
  private final LockchatProvider backup = new LockchatProvider(config(second).attempts(1).build());
  private final MutableClock clock = new MutableClock();

  @AfterEach
  void close() {
    primary.close();
    backup.close();
    first.close();
    second.close();
  }

  /** A content chunk that names no model, so the chain's own report of the model stands. */
  private static String token(String text) {
    return "data: {\"choices\":[{\"delta\":{\"content\":" + dev.completions.tck.LoopbackServer.jsonString(text) + "}}]}\n\n";
  }

  private ProviderChain chain(int threshold) {
    return ProviderChain.builder().add(primary, "gpt-4").add(backup, "gpt-3.5-turbo")
        .failureThreshold(threshold).cooldown(Duration.ofSeconds(60)).clock(clock).build();
  }

  @Test
  void whenTheFirstFailsTheSecondAnswersAndTheResultSaysWhich() throws Exception {
    first.enqueue(respond(503, "text/plain", "down"));
    second.enqueue(sse(token("Hi"), token(" there"), DONE));

    CompletionStream stream = chain(3).complete(CompletionRequest.of("Hello"));

    assertThat(stream.text()).isEqualTo("Hi there");
    assertThat(stream.provider()).isEqualTo("Lockchat");
    assertThat(stream.model()).isEqualTo("gpt-3.5-turbo");
    assertThat(first.takeRequest().bodyText()).contains("\"model\":\"gpt-4\"");
    assertThat(second.takeRequest().bodyText()).contains("\"model\":\"gpt-3.5-turbo\"");
  }

  @Test
  void aFailureAfterTheFirstTokenDoesNotSwitch() {
    first.enqueue(exchange -> {
      exchange.chunkedHead(200, "Content-Type: text/event-stream");
      exchange.chunk(token("par"));
      exchange.reset();
    });
    List<String> tokens = new ArrayList<>();

    ProviderException e = catchThrowableOfType(ProviderException.class,
        () -> chain(3).complete(CompletionRequest.of("Hello")).forEach(tokens::add));

    assertThat(tokens).containsExactly("par");
    assertThat(e).isInstanceOf(ProviderException.ConnectionFailed.class);
    assertThat(e.partialText()).isEqualTo("par");
    assertThat(second.requestCount()).isZero();
  }

  @Test
  void whenAllFailOneErrorListsEachProviderItsModelAndWhy() {
    first.enqueue(respond(503, "text/plain", "down for maintenance"));
    second.enqueue(respond(429, "application/json", "{\"error\":{\"message\":\"slow down\"}}", "Retry-After: 3600"));

    ProviderException e = catchThrowableOfType(ProviderException.class,
        () -> chain(3).complete(CompletionRequest.of("Hello")).text());

    assertThat(e).isInstanceOf(ProviderException.RateLimited.class);
    assertThat(e.getMessage()).isEqualTo("[Lockchat > Lockchat] every provider failed: "
        + "Lockchat (gpt-4): [Lockchat] HTTP 503: down for maintenance; "
        + "Lockchat (gpt-3.5-turbo): [Lockchat] HTTP 429: slow down");
    assertThat(e.retryAfter()).contains(Duration.ofHours(1));
    assertThat(e.getSuppressed()).hasSize(1);
    assertThat(e.attempts()).isEqualTo(2);
  }

  @Test
  void aProviderThatKeepsFailingIsSkippedDuringItsCooldownAndTriedAgainAfter() throws Exception {
    ProviderChain chain = chain(1);
    first.enqueue(respond(500, "text/plain", "boom"));
    second.enqueue(sse(token("one"), DONE));
    assertThat(chain.complete(CompletionRequest.of("Hello")).text()).isEqualTo("one");

    second.enqueue(sse(token("two"), DONE));
    assertThat(chain.complete(CompletionRequest.of("Hello")).text()).isEqualTo("two");
    assertThat(first.requestCount()).as("skipped while cooling down").isEqualTo(1);

    clock.advance(Duration.ofSeconds(61));
    first.enqueue(sse(token("three"), DONE));
    CompletionStream recovered = chain.complete(CompletionRequest.of("Hello"));
    assertThat(recovered.text()).isEqualTo("three");
    assertThat(recovered.model()).isEqualTo("gpt-4");
    assertThat(first.requestCount()).isEqualTo(2);
  }

  @Test
  void aSkippedProviderIsNamedWhenTheRestFailToo() {
    ProviderChain chain = chain(1);
    first.enqueue(respond(500, "text/plain", "boom"));
    second.enqueue(sse(token("ok"), DONE));
    chain.complete(CompletionRequest.of("Hello")).text();
    second.enqueue(respond(502, "text/plain", "bad gateway"));

    ProviderException e = catchThrowableOfType(ProviderException.class,
        () -> chain.complete(CompletionRequest.of("Hello")).text());

    assertThat(e.getMessage()).startsWith("[Lockchat > Lockchat] every provider failed: Lockchat (gpt-4): skipped: "
        + "failed 1 times in a row, cooling down until ");
  }

  @Test
  void aBadRequestStopsTheChainAtOnce() {
    first.enqueue(respond(400, "application/json", "{\"error\":{\"message\":\"messages too long\"}}"));

    ProviderException e = catchThrowableOfType(ProviderException.class,
        () -> chain(3).complete(CompletionRequest.of("Hello")).text());

    assertThat(e).isInstanceOf(ProviderException.BadRequest.class);
    assertThat(second.requestCount()).isZero();
  }

  @Test
  void anOptionAnyProviderRefusesIsRefusedBeforeAnyIo() {
    assertThatThrownBy(() -> chain(3).complete(CompletionRequest.builder().user("Hi").option("top_k", 3).build()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("Lockchat does not accept option 'top_k'");
    assertThat(first.connectionCount() + second.connectionCount()).isZero();
  }

  @Test
  void parsesAChainOfNamesWithModelsFromTheRegistry() {
    try (ProviderRegistry registry = ProviderRegistry.builder().discover(false).add(primary).build()) {
      ProviderChain chain = ProviderChain.parse(registry, "lockchat:gpt-4, LOCKCHAT");

      assertThat(chain.info().name()).isEqualTo("Lockchat > Lockchat");
      assertThat(chain.info().models()).containsExactly("gpt-4", "gpt-3.5-turbo");
      assertThat(chain.info().defaultModel()).isEqualTo("gpt-4");
      assertThatThrownBy(() -> ProviderChain.parse(registry, "lockchat,,nope"))
          .hasMessage("provider: empty entry in the chain 'lockchat,,nope'");
      assertThatThrownBy(() -> ProviderChain.parse(registry, "lockchat,nope"))
          .hasMessage("provider: unknown provider 'nope'; available: Lockchat");
    }
  }

  /** A clock the test moves by hand. */
  private static final class MutableClock extends Clock {
    private Instant now = Instant.parse("2026-11-25T00:00:00Z");

    void advance(Duration by) {
      now = now.plus(by);
    }

    @Override
    public ZoneOffset getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }
}
