package dev.completions.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.completions.api.CompletionEvent;
import dev.completions.api.CompletionRequest;
import dev.completions.api.CompletionStream;
import dev.completions.api.ProviderException;
import dev.completions.api.ProviderException.Kind;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Fallback chains of providers whose answers are scripted event by event. */
class ProviderChainTest {

  private final ScriptedProvider primary = new ScriptedProvider("Primary");
  private final ScriptedProvider backup = new ScriptedProvider("Backup");
  private final MutableClock clock = new MutableClock();

  private ProviderChain chain(int threshold) {
    return ProviderChain.builder()
        .add(primary, "gpt-4")
        .add(backup, "gpt-3.5-turbo")
        .failureThreshold(threshold)
        .cooldown(Duration.ofSeconds(60))
        .clock(clock)
        .build();
  }

  private static ProviderException httpError(
      ScriptedProvider provider, Kind kind, int status, String message) {
    return ProviderException.builder(kind, provider.info().name())
        .message("HTTP " + status + ": " + message)
        .httpStatus(status)
        .build();
  }

  private ProviderRegistry registryOfPrimary() {
    return ProviderRegistry.builder().discover(false).add(primary).build();
  }

  private static CompletionRequest withATool() {
    return CompletionRequest.builder()
        .user("Weather?")
        .tool(
            dev.completions.api.Tool.of("get_weather", "", dev.completions.api.Tool.NO_PARAMETERS))
        .build();
  }

  @Test
  void aRetryingEventIsNoDeliveredTokenSoTheChainStillMovesOn() {
    ProviderException first = httpError(primary, Kind.SERVER, 503, "busy");
    primary.answer(
        new CompletionEvent.Retrying("Primary", 1, first, Duration.ofMillis(500)),
        httpError(primary, Kind.SERVER, 503, "still busy"));
    backup.tokens("Hi");

    assertThat(chain(3).complete(CompletionRequest.of("Hello")).text()).isEqualTo("Hi");
  }

  @Test
  void aLinkLackingANeededCapabilityIsPassedOverWithoutCountingAFailure() {
    backup.capable(dev.completions.api.Capability.TOOLS).tokens("Sunny");
    ProviderChain chain = chain(1);

    assertThat(chain.info().capabilities()).containsExactly(dev.completions.api.Capability.TOOLS);
    assertThat(chain.complete(withATool()).text()).isEqualTo("Sunny");
    assertThat(primary.requests()).isEmpty();
    primary.tokens("Hi");
    assertThat(chain.complete(CompletionRequest.of("Hello")).text())
        .as("passing over is no failure: the primary is not cooling down")
        .isEqualTo("Hi");
  }

  @Test
  void whenEveryLinkFailsTheErrorSaysWhichWerePassedOverForACapability() {
    backup
        .capable(dev.completions.api.Capability.TOOLS)
        .fails(httpError(backup, Kind.SERVER, 503, "down"));

    ProviderException e =
        catchThrowableOfType(ProviderException.class, () -> chain(3).complete(withATool()).text());

    assertThat(e)
        .hasMessage(
            "[Primary > Backup] every provider failed: Primary (gpt-4): passed over: it does not"
                + " support tools; Backup (gpt-3.5-turbo): [Backup] HTTP 503: down");
  }

  @Test
  void whenNoLinkHasTheCapabilityTheRequestIsRefusedBeforeAnyIo() {
    assertThatThrownBy(() -> chain(3).complete(withATool()))
        .isInstanceOf(dev.completions.api.MissingCapabilityException.class)
        .hasMessage(
            "Primary > Backup cannot serve this request: it needs tools, which Primary > Backup does not support");
    assertThat(primary.requests()).isEmpty();
    assertThat(backup.requests()).isEmpty();
  }

  @Test
  void whenTheFirstFailsTheSecondAnswersAndTheResultSaysWhich() {
    primary.fails(httpError(primary, Kind.SERVER, 503, "down"));
    backup.tokens("Hi", " there");

    CompletionStream stream = chain(3).complete(CompletionRequest.of("Hello"));

    assertThat(stream.text()).isEqualTo("Hi there");
    assertThat(stream.provider()).isEqualTo("Backup");
    assertThat(stream.model()).isEqualTo("gpt-3.5-turbo");
    assertThat(primary.requests())
        .singleElement()
        .satisfies(r -> assertThat(r.model()).isEqualTo("gpt-4"));
    assertThat(backup.requests())
        .singleElement()
        .satisfies(r -> assertThat(r.model()).isEqualTo("gpt-3.5-turbo"));
  }

  @Test
  void aFailureAfterTheFirstTokenDoesNotSwitch() {
    primary.answer(
        new CompletionEvent.Text("par"), primary.error(Kind.CONNECTION, "the connection broke"));
    List<String> tokens = new ArrayList<>();

    ProviderException e =
        catchThrowableOfType(
            ProviderException.class,
            () -> chain(3).complete(CompletionRequest.of("Hello")).forEach(tokens::add));

    assertThat(tokens).containsExactly("par");
    assertThat(e).isInstanceOf(ProviderException.ConnectionFailed.class);
    assertThat(e.partialText()).isEqualTo("par");
    assertThat(backup.requests()).isEmpty();
  }

  @Test
  void whenAllFailOneErrorListsEachProviderItsModelAndWhy() {
    primary.fails(httpError(primary, Kind.SERVER, 503, "down for maintenance"));
    backup.fails(
        httpError(backup, Kind.RATE_LIMIT, 429, "slow down").toBuilder()
            .retryAfter(Duration.ofHours(1))
            .build());

    ProviderException e =
        catchThrowableOfType(
            ProviderException.class, () -> chain(3).complete(CompletionRequest.of("Hello")).text());

    assertThat(e).isInstanceOf(ProviderException.RateLimited.class);
    assertThat(e.getMessage())
        .isEqualTo(
            "[Primary > Backup] every provider failed: "
                + "Primary (gpt-4): [Primary] HTTP 503: down for maintenance; "
                + "Backup (gpt-3.5-turbo): [Backup] HTTP 429: slow down");
    assertThat(e.retryAfter()).contains(Duration.ofHours(1));
    assertThat(e.getSuppressed()).hasSize(1);
    assertThat(e.attempts()).isEqualTo(2);
  }

  @Test
  void aProviderThatKeepsFailingIsSkippedDuringItsCooldownAndTriedAgainAfter() {
    ProviderChain chain = chain(1);
    primary.fails(httpError(primary, Kind.SERVER, 500, "boom"));
    backup.tokens("one");
    assertThat(chain.complete(CompletionRequest.of("Hello")).text()).isEqualTo("one");

    backup.tokens("two");
    assertThat(chain.complete(CompletionRequest.of("Hello")).text()).isEqualTo("two");
    assertThat(primary.requests()).as("skipped while cooling down").hasSize(1);

    clock.advance(Duration.ofSeconds(61));
    primary.tokens("three");
    CompletionStream recovered = chain.complete(CompletionRequest.of("Hello"));
    assertThat(recovered.text()).isEqualTo("three");
    assertThat(recovered.model()).isEqualTo("gpt-4");
    assertThat(primary.requests()).hasSize(2);
  }

  @Test
  void aSkippedProviderIsNamedWhenTheRestFailToo() {
    ProviderChain chain = chain(1);
    primary.fails(httpError(primary, Kind.SERVER, 500, "boom"));
    backup.tokens("ok");
    chain.complete(CompletionRequest.of("Hello")).text();
    backup.fails(httpError(backup, Kind.SERVER, 502, "bad gateway"));

    ProviderException e =
        catchThrowableOfType(
            ProviderException.class, () -> chain.complete(CompletionRequest.of("Hello")).text());

    assertThat(e.getMessage())
        .isEqualTo(
            "[Primary > Backup] every provider failed: Primary (gpt-4): skipped: "
                + "failed 1 times in a row, cooling down until 2026-11-25T00:01:00Z; "
                + "Backup (gpt-3.5-turbo): [Backup] HTTP 502: bad gateway");
  }

  @Test
  void aBadRequestStopsTheChainAtOnce() {
    primary.fails(httpError(primary, Kind.BAD_REQUEST, 400, "messages too long"));

    ProviderException e =
        catchThrowableOfType(
            ProviderException.class, () -> chain(3).complete(CompletionRequest.of("Hello")).text());

    assertThat(e).isInstanceOf(ProviderException.BadRequest.class);
    assertThat(backup.requests()).isEmpty();
  }

  @Test
  void anOptionOnlySomeLinksDeclareGoesToThemAndNotToTheOthers() {
    ScriptedProvider accepting =
        new ScriptedProvider("Accepting", ScriptedProvider.ParamsWithTopK.class);
    ProviderChain chain = ProviderChain.builder().add(backup, null).add(accepting, null).build();
    backup.fails(backup.error(Kind.SERVER, "HTTP 503: overloaded"));
    accepting.tokens("Hi");

    String text =
        chain.complete(CompletionRequest.builder().user("Hi").option("top_k", 3).build()).text();

    assertThat(text).isEqualTo("Hi");
    assertThat(backup.requests().get(0).options()).isEmpty();
    assertThat(accepting.requests().get(0).options()).containsExactly(Map.entry("top_k", 3));
  }

  @Test
  void anOptionScopedToALinkGoesToThatLinkOnlyUnderItsOwnName() {
    ScriptedProvider first = new ScriptedProvider("First", ScriptedProvider.ParamsWithTopK.class);
    ScriptedProvider second = new ScriptedProvider("Second", ScriptedProvider.ParamsWithTopK.class);
    ProviderChain chain = ProviderChain.builder().add(first, null).add(second, null).build();
    first.fails(first.error(Kind.SERVER, "HTTP 503: overloaded"));
    second.tokens("Hi");

    chain.complete(CompletionRequest.builder().user("Hi").option("second.top_k", 7).build()).text();

    assertThat(first.requests().get(0).options()).isEmpty();
    assertThat(second.requests().get(0).options()).containsExactly(Map.entry("top_k", 7));
  }

  @Test
  void anOptionNoLinkDeclaresIsRefusedBeforeAnyIoShowingHowToScopeIt() {
    ProviderChain chain = chain(3);

    assertThatThrownBy(
            () -> chain.complete(CompletionRequest.builder().user("Hi").option("top_k", 3).build()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "no provider in the chain Primary > Backup accepts option 'top_k' (to give an option to"
                + " one provider only, prefix it with the provider's name, e.g. 'Primary.top_k')");
    assertThat(primary.requests()).isEmpty();
  }

  @Test
  void anOptionScopedToALinkThatDoesNotDeclareItIsRefusedBeforeAnyIo() {
    ProviderChain chain = chain(3);

    assertThatThrownBy(
            () ->
                chain.complete(
                    CompletionRequest.builder().user("Hi").option("backup.top_k", 3).build()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("Backup does not accept option 'top_k'");
    assertThat(primary.requests()).isEmpty();
  }

  @Test
  void aStandardFieldGoesOnlyToTheLinksThatTakeIt() {
    ScriptedProvider stopping =
        new ScriptedProvider("Stopping", ScriptedProvider.ParamsWithStop.class);
    ProviderChain chain = ProviderChain.builder().add(stopping, null).add(backup, null).build();
    stopping.fails(stopping.error(Kind.SERVER, "HTTP 503: overloaded"));
    backup.tokens("Hi");

    chain
        .complete(CompletionRequest.builder().user("Hi").maxTokens(9).stop(List.of("END")).build())
        .text();

    assertThat(stopping.requests().get(0).stop()).containsExactly("END");
    assertThat(stopping.requests().get(0).maxTokens()).isEqualTo(9);
    assertThat(backup.requests().get(0).stop()).isEmpty();
    assertThat(backup.requests().get(0).maxTokens()).isEqualTo(9);
  }

  @Test
  void aStandardFieldNoLinkTakesIsRefusedBeforeAnyIo() {
    assertThatThrownBy(
            () ->
                chain(3)
                    .complete(CompletionRequest.builder().user("Hi").stop(List.of("END")).build()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("no provider in the chain Primary > Backup takes stop");
    assertThat(primary.requests()).isEmpty();
  }

  @Test
  void parsesAChainOfNamesWithModelsFromTheRegistryIgnoringCase() {
    try (ProviderRegistry registry = registryOfPrimary()) {
      ProviderChain chain = ProviderChain.parse(registry, "primary:gpt-4, PRIMARY");

      assertThat(chain.info().name()).isEqualTo("Primary > Primary");
      assertThat(chain.info().models()).containsExactly("gpt-4", "gpt-3.5-turbo");
      assertThat(chain.info().defaultModel()).isEqualTo("gpt-4");
    }
  }

  @Test
  void anEmptyEntryBetweenCommasIsRefused() {
    try (ProviderRegistry registry = registryOfPrimary()) {
      assertThatThrownBy(() -> ProviderChain.parse(registry, "primary,,nope"))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("provider: empty entry in the chain 'primary,,nope'");
    }
  }

  @Test
  void aLeadingCommaIsRefused() {
    try (ProviderRegistry registry = registryOfPrimary()) {
      assertThatThrownBy(() -> ProviderChain.parse(registry, ",primary"))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("provider: empty entry in the chain ',primary'");
    }
  }

  @Test
  void aTrailingCommaIsRefused() {
    try (ProviderRegistry registry = registryOfPrimary()) {
      assertThatThrownBy(() -> ProviderChain.parse(registry, "primary,"))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("provider: empty entry in the chain 'primary,'");
    }
  }

  @Test
  void anUnknownNameInTheChainIsRefusedListingTheAvailableProviders() {
    try (ProviderRegistry registry = registryOfPrimary()) {
      assertThatThrownBy(() -> ProviderChain.parse(registry, "primary,nope"))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("provider: unknown provider 'nope'; available: Primary");
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
