package dev.completions.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.completions.api.CallListener;
import dev.completions.api.CallObserver;
import dev.completions.api.CallRecord;
import dev.completions.api.CallStart;
import dev.completions.api.CompletionEvent;
import dev.completions.api.CompletionRequest;
import dev.completions.api.CompletionStream;
import dev.completions.api.ProviderException;
import dev.completions.api.ProviderException.Kind;
import dev.completions.api.Usage;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Calls observed through a registry's listeners: what each record says, and what it costs. */
public class ObservationTest {

  /**
   * Where the listener compiled into a jar by {@link #aListenerJarOnTheClassPathGetsTheRecord}
   * writes.
   */
  public static final List<CallRecord> FROM_JAR = new CopyOnWriteArrayList<>();

  private final ScriptedProvider primary = new ScriptedProvider("Primary");
  private final ScriptedProvider backup = new ScriptedProvider("Backup");

  /** Keeps every start, first-token time, event and record it is told of. */
  static final class Recorder implements CallListener {
    final List<CallStart> starts = new CopyOnWriteArrayList<>();
    final List<CallRecord> records = new CopyOnWriteArrayList<>();
    final List<CompletionEvent> events = new CopyOnWriteArrayList<>();
    final List<String> threads = new CopyOnWriteArrayList<>();
    int firstTokens;

    @Override
    public CallObserver onStart(CallStart start) {
      starts.add(start);
      threads.add(Thread.currentThread().getName());
      return new CallObserver() {
        @Override
        public void onFirstToken(java.time.Instant at) {
          assertThat(at).isAfterOrEqualTo(start.started());
          firstTokens++;
        }

        @Override
        public void onEvent(CompletionEvent event) {
          events.add(event);
        }

        @Override
        public void onEnd(CallRecord record) {
          records.add(record);
        }
      };
    }
  }

  private ProviderRegistry registry(CallListener... listeners) {
    ProviderRegistry.Builder builder =
        ProviderRegistry.builder().discover(false).add(primary).add(backup);
    for (CallListener listener : listeners) {
      builder.listener(listener);
    }
    return builder.build();
  }

  private static ProviderException failure(String provider, Kind kind, int attempts) {
    return ProviderException.builder(kind, provider)
        .message(kind.wireName())
        .attempts(attempts)
        .build();
  }

  @Test
  void withoutListenersTheRegistryHandsOutTheProvidersThemselves() {
    try (ProviderRegistry registry = registry()) {
      assertThat(registry.get("primary")).isSameAs(primary);
      assertThat(registry.providers()).containsExactly(primary, backup);
      assertThat(registry.listeners()).isEmpty();
    }
  }

  @Test
  void aCompletedCallEndsInOneRecordWithItsTimesUsageAndFinish() {
    Recorder recorder = new Recorder();
    primary.answer(
        new CompletionEvent.Answered("Primary", "gpt-4-0613"),
        new CompletionEvent.Text("Hel"),
        new CompletionEvent.Text("lo"),
        new CompletionEvent.Finish("end_turn"),
        new CompletionEvent.UsageReport(new Usage(7, 2, 9)));
    try (ProviderRegistry registry = registry(recorder)) {
      CompletionStream stream =
          registry
              .get("primary")
              .complete(CompletionRequest.builder().model("gpt-4").user("Hi").build());
      assertThat(recorder.starts)
          .singleElement()
          .satisfies(
              start -> {
                assertThat(start.provider()).isEqualTo("Primary");
                assertThat(start.model()).isEqualTo("gpt-4");
                assertThat(start.request().messages().get(0).content()).isEqualTo("Hi");
                assertThat(start.endpoint()).hasToString("https://primary.example");
              });
      assertThat(recorder.threads).containsExactly(Thread.currentThread().getName());
      assertThat(recorder.records).as("nothing ends before the stream is read").isEmpty();

      assertThat(stream.text()).isEqualTo("Hello");
    }
    CallRecord record = recorder.records.get(0);
    assertThat(recorder.records).hasSize(1);
    assertThat(record.callId()).isEqualTo(recorder.starts.get(0).callId());
    assertThat(record.askedProvider()).isEqualTo("Primary");
    assertThat(record.askedModel()).isEqualTo("gpt-4");
    assertThat(record.provider()).isEqualTo("Primary");
    assertThat(record.model()).isEqualTo("gpt-4-0613");
    assertThat(record.links()).containsExactly(new CallRecord.Link("Primary", "gpt-4", null));
    assertThat(record.attempts()).isEqualTo(1);
    assertThat(record.retries()).isZero();
    assertThat(record.usage()).isEqualTo(new Usage(7, 2, 9));
    assertThat(record.finishReason()).isEqualTo("stop");
    assertThat(record.error()).isNull();
    assertThat(record.closedEarly()).isFalse();
    assertThat(record.completed()).isTrue();
    assertThat(record.firstToken())
        .isAfterOrEqualTo(record.started())
        .isBeforeOrEqualTo(record.ended());
    assertThat(record.timeToFirstToken())
        .contains(Duration.between(record.started(), record.firstToken()));
    assertThat(recorder.firstTokens).isEqualTo(1);
    assertThat(recorder.events).hasSize(5);
  }

  @Test
  void aFailedCallRecordsItsErrorAndAttempts() {
    Recorder recorder = new Recorder();
    primary.answer(failure("Primary", Kind.RATE_LIMIT, 3));
    try (ProviderRegistry registry = registry(recorder)) {
      CompletionStream stream = registry.get("primary").complete(CompletionRequest.of("Hi"));
      assertThatThrownBy(stream::text).isInstanceOf(ProviderException.RateLimited.class);
    }
    CallRecord record = recorder.records.get(0);
    assertThat(record.askedModel()).as("the provider's default").isEqualTo("gpt-3.5-turbo");
    assertThat(record.errorKind()).contains(Kind.RATE_LIMIT);
    assertThat(record.attempts()).isEqualTo(3);
    assertThat(record.firstToken()).isNull();
    assertThat(record.timeToFirstToken()).isEmpty();
    assertThat(record.links())
        .singleElement()
        .satisfies(link -> assertThat(link.error()).isSameAs(record.error()));
    assertThat(record.completed()).isFalse();
  }

  @Test
  void retriesAreCountedFromTheRetryingEvents() {
    Recorder recorder = new Recorder();
    ProviderException first = failure("Primary", Kind.SERVER, 1);
    primary.answer(
        new CompletionEvent.Retrying("Primary", 1, first, Duration.ofMillis(500)),
        new CompletionEvent.Text("Hi"));
    try (ProviderRegistry registry = registry(recorder)) {
      assertThat(registry.get("primary").complete(CompletionRequest.of("Hi")).text())
          .isEqualTo("Hi");
    }
    CallRecord record = recorder.records.get(0);
    assertThat(record.retries()).isEqualTo(1);
    assertThat(record.attempts()).isEqualTo(2);
  }

  @Test
  void aChainFromTheRegistryIsOneCallWhoseRecordNamesEveryLink() {
    Recorder recorder = new Recorder();
    ProviderException down = failure("Primary", Kind.SERVER, 2);
    primary.answer(down);
    backup.answer(
        new CompletionEvent.Text("Hi"), new CompletionEvent.UsageReport(new Usage(3, 1, 4)));
    try (ProviderRegistry registry = registry(recorder)) {
      ProviderChain chain = ProviderChain.parse(registry, "primary:gpt-4,backup");
      List<CompletionEvent> events = new ArrayList<>();
      chain.complete(CompletionRequest.of("Hi")).events().forEach(events::add);

      assertThat(events)
          .containsExactly(
              new CompletionEvent.Answered("Primary", "gpt-4"),
              new CompletionEvent.FellBack("Primary", "gpt-4", down),
              new CompletionEvent.Answered("Backup", "gpt-3.5-turbo"),
              new CompletionEvent.Text("Hi"),
              new CompletionEvent.UsageReport(new Usage(3, 1, 4)));
    }
    assertThat(recorder.records).as("the links are not observed apart: no double count").hasSize(1);
    CallRecord record = recorder.records.get(0);
    assertThat(record.askedProvider()).isEqualTo("Primary > Backup");
    assertThat(record.askedModel()).isEqualTo("gpt-4");
    assertThat(record.provider()).isEqualTo("Backup");
    assertThat(record.model()).isEqualTo("gpt-3.5-turbo");
    assertThat(record.links())
        .containsExactly(
            new CallRecord.Link("Primary", "gpt-4", down),
            new CallRecord.Link("Backup", "gpt-3.5-turbo", null));
    assertThat(record.attempts()).isEqualTo(3);
    assertThat(record.retries()).isZero();
    assertThat(record.usage()).isEqualTo(new Usage(3, 1, 4));
  }

  @Test
  void aChainWhoseEveryLinkFailsNamesEachOnceWithItsError() {
    Recorder recorder = new Recorder();
    ProviderException primaryDown = failure("Primary", Kind.SERVER, 1);
    ProviderException backupDown = failure("Backup", Kind.TIMEOUT, 1);
    primary.answer(primaryDown);
    backup.answer(backupDown);
    try (ProviderRegistry registry = registry(recorder)) {
      CompletionStream stream =
          ProviderChain.parse(registry, "primary,backup").complete(CompletionRequest.of("Hi"));
      assertThatThrownBy(stream::text).isInstanceOf(ProviderException.Timeout.class);
    }
    CallRecord record = recorder.records.get(0);
    assertThat(record.links())
        .containsExactly(
            new CallRecord.Link("Primary", "gpt-3.5-turbo", primaryDown),
            new CallRecord.Link("Backup", "gpt-3.5-turbo", backupDown));
    assertThat(record.errorKind()).contains(Kind.TIMEOUT);
    assertThat(record.attempts()).isEqualTo(2);
  }

  @Test
  void closingBeforeTheEndGivesOneRecordMarkedClosedEarlyWithoutError() {
    Recorder recorder = new Recorder();
    primary.tokens("one", "two", "three");
    try (ProviderRegistry registry = registry(recorder)) {
      CompletionStream stream = registry.get("primary").complete(CompletionRequest.of("Hi"));
      Iterator<String> tokens = stream.iterator();
      assertThat(tokens.next()).isEqualTo("one");
      stream.close();
      assertThatThrownBy(tokens::hasNext).isInstanceOf(ProviderException.Cancelled.class);
      stream.close();
    }
    assertThat(recorder.records).hasSize(1);
    CallRecord record = recorder.records.get(0);
    assertThat(record.closedEarly()).isTrue();
    assertThat(record.error()).isNull();
    assertThat(record.completed()).isFalse();
  }

  @Test
  void aThrowingListenerNeitherBreaksTheStreamNorStopsTheOthers() {
    Recorder recorder = new Recorder();
    CallListener failsAtStart =
        start -> {
          throw new IllegalStateException("listener bug");
        };
    CallListener failsLater =
        start ->
            new CallObserver() {
              @Override
              public void onEvent(CompletionEvent event) {
                throw new IllegalStateException("observer bug");
              }

              @Override
              public void onEnd(CallRecord record) {
                throw new IllegalStateException("observer bug");
              }
            };
    primary.tokens("fine").tokens("again");
    CapturedLogs.WARNINGS.clear();
    try (ProviderRegistry registry = registry(failsAtStart, failsLater, recorder)) {
      assertThat(registry.get("primary").complete(CompletionRequest.of("Hi")).text())
          .isEqualTo("fine");
      assertThat(registry.get("primary").complete(CompletionRequest.of("Hi")).text())
          .isEqualTo("again");
    }
    assertThat(CapturedLogs.WARNINGS)
        .as("each failing listener is logged once, however often it fails")
        .containsExactly(
            "call listener "
                + failsAtStart.getClass().getName()
                + " failed; its failures are ignored (only this first one is logged)",
            "call listener "
                + failsLater.getClass().getName()
                + " failed; its failures are ignored (only this first one is logged)");
    assertThat(recorder.records).hasSize(2).allMatch(CallRecord::completed);
  }

  @Test
  void aListenerThatObservesNothingLeavesTheStreamUnwrapped() {
    primary.tokens("Hi");
    List<CallStart> seen = Collections.synchronizedList(new ArrayList<>());
    try (ProviderRegistry registry =
        registry(
            start -> {
              seen.add(start);
              return null;
            })) {
      assertThat(registry.get("primary").complete(CompletionRequest.of("Hi")).text())
          .isEqualTo("Hi");
    }
    assertThat(seen).hasSize(1);
  }

  @Test
  void aListenerJarOnTheClassPathGetsTheRecord(@TempDir Path dir) throws Exception {
    FROM_JAR.clear();
    ProviderJars jars =
        new ProviderJars(dir)
            .listenerJar(
                "listener",
                List.of("com.acme.Collector"),
                "com.acme.Collector",
                """
                package com.acme;

                import dev.completions.api.*;

                public final class Collector implements CallListener {
                  public CallObserver onStart(CallStart start) {
                    return dev.completions.registry.ObservationTest.FROM_JAR::add;
                  }
                }
                """);
    primary.tokens("Hi");
    try (java.net.URLClassLoader loader = jars.loader();
        ProviderRegistry registry =
            ProviderRegistry.builder().classLoader(loader).add(primary).build()) {
      assertThat(registry.listeners())
          .singleElement()
          .satisfies(l -> assertThat(l.getClass().getName()).isEqualTo("com.acme.Collector"));
      assertThat(registry.get("primary").complete(CompletionRequest.of("Hi")).text())
          .isEqualTo("Hi");
    }
    assertThat(FROM_JAR)
        .singleElement()
        .satisfies(record -> assertThat(record.provider()).isEqualTo("Primary"));
  }
}
