package dev.completions.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.completions.api.CompletionProvider;
import dev.completions.api.CompletionRequest;
import dev.completions.api.CompletionStream;
import dev.completions.api.ProviderException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.ServiceLoader;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The real engine with the tiny real model; one provider (one loaded model) serves every test. */
class LocalProviderTest {

  @TempDir static Path cache;

  private static LocalProvider local;

  @BeforeAll
  static void load() {
    local =
        new LocalProvider(
            TestModel.settings(cache, 512), new PrintStream(PrintStream.nullOutputStream()));
  }

  @AfterAll
  static void close() {
    if (local != null) {
      local.close();
    }
  }

  private static CompletionRequest story(int maxTokens, long seed) {
    return CompletionRequest.builder()
        .user("Once upon a time")
        .temperature(0.8)
        .maxTokens(maxTokens)
        .option("seed", seed)
        .build();
  }

  @Test
  void streamsTokensAsTheyAreDecoded() {
    List<String> tokens = new ArrayList<>();
    CompletionStream stream = local.complete(story(20, 42));
    stream.forEach(tokens::add);

    assertThat(tokens).hasSizeGreaterThan(5).allSatisfy(token -> assertThat(token).isNotEmpty());
    assertThat(String.join("", tokens)).isNotBlank();
    assertThat(stream.finishReason()).contains("length");
    assertThat(stream.usage())
        .hasValueSatisfying(
            usage -> {
              assertThat(usage.promptTokens()).isPositive();
              assertThat(usage.completionTokens()).isEqualTo(tokens.size());
            });
    assertThat(stream.provider()).isEqualTo("Local");
    assertThat(stream.model()).isEqualTo("stories260K");
  }

  @Test
  void theSameSeedGivesTheSameTextTwice() {
    String first = local.complete(story(30, 7)).text();
    String second = local.complete(story(30, 7)).text();

    assertThat(first).isNotBlank().isEqualTo(second);
  }

  @Test
  void stopsAtMaxTokens() {
    CompletionStream stream = local.complete(story(5, 1));
    stream.text();

    assertThat(stream.usage())
        .hasValueSatisfying(usage -> assertThat(usage.completionTokens()).isBetween(1L, 5L));
    assertThat(stream.finishReason()).contains("length");
  }

  @Test
  void stopsAtAStopString() {
    String free = local.complete(story(40, 11)).text();
    String[] words = free.strip().split("\\s+");
    assertThat(words.length).isGreaterThan(4);
    String stop = " " + words[3];

    CompletionStream stream = local.complete(story(40, 11).toBuilder().stop(List.of(stop)).build());
    String stopped = stream.text();

    assertThat(free).startsWith(stopped);
    assertThat(stopped).doesNotContain(stop).hasSizeLessThan(free.length());
    assertThat(stream.finishReason()).contains("stop");
  }

  @Test
  void returnsTheWholeTextWhenNotStreaming() {
    String streamed = local.complete(story(25, 3)).text();
    List<String> pieces = new ArrayList<>();
    local.complete(story(25, 3).toBuilder().stream(false).build()).forEach(pieces::add);

    assertThat(pieces).containsExactly(streamed);
  }

  @Test
  void closingMidGenerationStopsItAndTheNextRequestStillWorks() {
    try (CompletionStream stream = local.complete(story(400, 5))) {
      Iterator<String> tokens = stream.iterator();
      for (int i = 0; i < 3; i++) {
        assertThat(tokens.next()).isNotEmpty();
      }
    }

    assertThat(local.complete(story(10, 5)).text()).isNotBlank();
  }

  @Test
  void closingFromAnotherThreadCancelsTheReader() throws Exception {
    CompletionStream stream = local.complete(story(2000, 9));
    Iterator<String> tokens = stream.iterator();
    tokens.next();
    CompletableFuture<ProviderException> reader =
        CompletableFuture.supplyAsync(
            () ->
                catchThrowableOfType(
                    ProviderException.class, () -> tokens.forEachRemaining(token -> {})));

    stream.close();

    assertThat(reader.get(30, TimeUnit.SECONDS)).isInstanceOf(ProviderException.Cancelled.class);
    assertThat(local.complete(story(10, 9)).text()).isNotBlank();
  }

  @Test
  void concurrentRequestsQueueAndAllAnswer() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(3);
    try {
      List<Future<String>> answers = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        answers.add(pool.submit(() -> local.complete(story(15, 21)).text()));
      }
      String first = answers.get(0).get(60, TimeUnit.SECONDS);
      assertThat(first).isNotBlank();
      for (Future<String> answer : answers) {
        assertThat(answer.get(60, TimeUnit.SECONDS)).isEqualTo(first);
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void whenTheContextCutsTheAnswerTheFinishReasonIsLengthEvenIfSomeTokensHadNoText() {
    // "e@@" never occurs, but every token ending in "e" starts it, so llama.cpp holds that token's
    // text back
    CompletionStream stream =
        local.complete(
            CompletionRequest.builder()
                .user("Once upon a time there was a little dog. ".repeat(45))
                .temperature(0)
                .maxTokens(1000)
                .stop(List.of("e@@"))
                .build());
    stream.text();

    assertThat(stream.finishReason()).contains("length");
    assertThat(stream.usage())
        .hasValueSatisfying(
            usage -> assertThat(usage.promptTokens() + usage.completionTokens()).isEqualTo(512));
  }

  @Test
  void aPromptLongerThanTheContextIsABadRequestThatSaysTheSizes() {
    String longPrompt = "Once upon a time there was a little dog. ".repeat(60);

    ProviderException e =
        catchThrowableOfType(
            ProviderException.class, () -> local.complete(CompletionRequest.of(longPrompt)).text());

    assertThat(e).isInstanceOf(ProviderException.BadRequest.class);
    assertThat(e.getMessage())
        .matches(
            "\\[Local\\] the prompt is \\d+ tokens but the context holds 512 \\(local.contextSize\\)");
  }

  @Test
  void publishesTheConfiguredModelAsItsOnlyModel() {
    assertThat(local.info().models()).containsExactly("stories260K");
    assertThat(local.info().defaultModel()).isEqualTo("stories260K");
    assertThat(local.info().supportsStreaming()).isTrue();
    assertThat(local.info().needsAuth()).isFalse();
    assertThatThrownBy(
            () -> local.complete(CompletionRequest.builder().model("gpt-4").user("Hi").build()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "model: Local runs 'stories260K' (set local.model to run another), got 'gpt-4'");
  }

  @Test
  void isFoundByServiceLoaderAndConstructsWithoutIo() {
    assertThat(ServiceLoader.load(CompletionProvider.class).stream().map(p -> p.type().getName()))
        .contains(LocalProvider.class.getName());
    System.setProperty("local.model", "/nonexistent/dir/model.gguf");
    try (LocalProvider unused = new LocalProvider()) {
      assertThat(unused.info().defaultModel()).isEqualTo("model");
    } finally {
      System.clearProperty("local.model");
    }
  }
}
