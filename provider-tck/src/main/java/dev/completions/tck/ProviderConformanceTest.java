package dev.completions.tck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.completions.api.CompletionProvider;
import dev.completions.api.CompletionRequest;
import dev.completions.api.CompletionStream;
import dev.completions.api.ParameterInfo;
import dev.completions.api.Parameters;
import dev.completions.api.ProviderException;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The SPI contract, checked for any provider: extend this class in the provider's own tests,
 * say how to build the provider against a base URL, and write a {@link WireFormat} adapter; the
 * kit serves scripted answers from a {@link LoopbackServer} and checks metadata, parameter
 * declarations, validation before I/O, construction without I/O, tokens in order, early close,
 * error mapping, partial text on a cut, and the idle timeout.
 */
public abstract class ProviderConformanceTest {

  /** The server the provider under test talks to; closed after each test. */
  protected final LoopbackServer server = LoopbackServer.start();

  private final List<CompletionProvider> created = new ArrayList<>();

  /**
   * A new provider that sends its requests to {@code baseUrl}, gives up after {@code idleTimeout}
   * of silence, and makes one attempt per request (no retries), so each scripted answer is used once.
   */
  protected abstract CompletionProvider createProvider(URI baseUrl, Duration idleTimeout);

  /** The adapter that renders scripted answers in the provider's wire format. */
  protected abstract WireFormat wireFormat();

  /** A request the provider accepts; override to add what the provider requires. */
  protected CompletionRequest request() {
    return CompletionRequest.of("Hello");
  }

  @AfterEach
  void closeKit() {
    created.forEach(CompletionProvider::close);
    server.close();
  }

  private CompletionProvider provider() {
    return provider(Duration.ofSeconds(10));
  }

  private CompletionProvider provider(Duration idleTimeout) {
    CompletionProvider provider = createProvider(server.url(), idleTimeout);
    created.add(provider);
    return provider;
  }

  private LoopbackServer.Script tokens(List<String> tokens) {
    WireFormat wire = wireFormat();
    return exchange -> {
      wire.head(exchange);
      for (String token : tokens) {
        wire.token(exchange, token);
      }
      wire.end(exchange);
    };
  }

  @Test
  void metadataIsSane() {
    var info = provider().info();
    assertThat(info.name()).isNotBlank().doesNotContain(",");
    assertThat(info.models()).isNotEmpty().contains(info.defaultModel());
    assertThat(info.url().isAbsolute()).isTrue();
    assertThat(info.url().getScheme()).isIn("http", "https");
  }

  @Test
  void parametersReflectAndDescribe() {
    CompletionProvider provider = provider();
    Parameters parameters = Parameters.of(provider.info().name(), provider.parameters());
    assertThat(parameters.list()).extracting(ParameterInfo::name)
        .contains("model", "messages", "stream", "temperature");
    assertThat(parameters.describe()).startsWith(provider.info().name() + " supports: (").endsWith(")");
  }

  @Test
  void constructingAndStartingARequestDoNoIo() {
    CompletionProvider provider = provider();
    provider.complete(request()).close();
    assertThat(server.connectionCount()).as("connections made without reading the answer").isZero();
  }

  @Test
  void anUndeclaredOptionIsRefusedBeforeAnyIo() {
    CompletionRequest request = request().toBuilder().option("no_such_option_" + System.nanoTime(), 1).build();
    assertThatThrownBy(() -> provider().complete(request).close())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("does not accept option");
    assertThat(server.connectionCount()).isZero();
  }

  @Test
  void anOutOfBoundsOptionIsRefusedBeforeAnyIo() {
    CompletionProvider provider = provider();
    Optional<ParameterInfo> bounded = Parameters.of(provider.info().name(), provider.parameters()).list().stream()
        .filter(p -> p.max() != null && !Parameters.STANDARD_NAMES.contains(p.name()))
        .findFirst();
    org.junit.jupiter.api.Assumptions.assumeTrue(bounded.isPresent(), "the provider declares no bounded option");
    CompletionRequest request = request().toBuilder().option(bounded.get().name(), bounded.get().max() + 1).build();
    assertThatThrownBy(() -> provider.complete(request).close())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(bounded.get().name());
    assertThat(server.connectionCount()).isZero();
  }

  @Test
  void tokensArriveInOrder() {
    server.enqueue(tokens(List.of("Hello", ", ", "wörld", " \"quoted\"", "\n", "!")));
    List<String> received = new ArrayList<>();
    try (CompletionStream stream = provider().complete(request())) {
      stream.forEach(received::add);
    }
    assertThat(String.join("", received)).isEqualTo("Hello, wörld \"quoted\"\n!");
  }

  @Test
  void closingEarlyReleasesTheConnection() throws Exception {
    CountDownLatch clientGone = new CountDownLatch(1);
    WireFormat wire = wireFormat();
    server.enqueue(exchange -> {
      wire.head(exchange);
      try {
        for (int i = 0; i < 1_000_000; i++) {
          wire.token(exchange, "tick ");
        }
      } catch (IOException e) {
        clientGone.countDown();
      }
    });
    try (CompletionStream stream = provider().complete(request())) {
      Iterator<String> tokens = stream.iterator();
      assertThat(tokens.next()).isNotEmpty();
    }
    assertThat(clientGone.await(10, TimeUnit.SECONDS))
        .as("the server saw the connection closed soon after the stream was closed, not drained").isTrue();
  }

  @Test
  void httpStatusesMapToTheirErrorTypes() {
    assertThat(failureFor(401)).isInstanceOf(ProviderException.AuthenticationFailed.class);
    assertThat(failureFor(404)).isInstanceOf(ProviderException.ModelNotFound.class);
    assertThat(failureFor(429)).isInstanceOf(ProviderException.RateLimited.class);
    assertThat(failureFor(500)).isInstanceOf(ProviderException.ServerError.class);
  }

  private ProviderException failureFor(int status) {
    WireFormat wire = wireFormat();
    server.enqueue(exchange -> wire.error(exchange, status, "scripted failure " + status));
    ProviderException e = catchThrowableOfType(ProviderException.class, () -> provider().complete(request()).text());
    assertThat(e).as("HTTP " + status + " fails with a ProviderException").isNotNull();
    assertThat(e.httpStatus()).as("HTTP " + status).hasValue(status);
    return e;
  }

  @Test
  void aCutConnectionReportsThePartialText() {
    WireFormat wire = wireFormat();
    server.enqueue(exchange -> {
      wire.head(exchange);
      wire.token(exchange, "Once");
      wire.token(exchange, " upon");
      exchange.reset();
    });
    List<String> received = new ArrayList<>();
    ProviderException e = catchThrowableOfType(ProviderException.class,
        () -> provider().complete(request()).forEach(received::add));
    assertThat(String.join("", received)).isEqualTo("Once upon");
    assertThat(e).isNotNull();
    assertThat(e.partialText()).isEqualTo("Once upon");
  }

  @Test
  void theIdleTimeoutFires() {
    CountDownLatch release = new CountDownLatch(1);
    WireFormat wire = wireFormat();
    server.enqueue(exchange -> {
      wire.head(exchange);
      wire.token(exchange, "first");
      release.await(30, TimeUnit.SECONDS);
    });
    try {
      long start = System.nanoTime();
      ProviderException e = catchThrowableOfType(ProviderException.class,
          () -> provider(Duration.ofMillis(300)).complete(request()).text());
      assertThat(e).isInstanceOf(ProviderException.Timeout.class);
      assertThat(e.partialText()).isEqualTo("first");
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
    } finally {
      release.countDown();
    }
  }
}
