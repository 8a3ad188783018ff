package dev.completions.openai;

import static dev.completions.openai.Fixtures.DONE;
import static dev.completions.openai.Fixtures.TOKEN;
import static dev.completions.openai.Fixtures.content;
import static dev.completions.openai.Fixtures.hello;
import static dev.completions.openai.Fixtures.provider;
import static dev.completions.openai.Fixtures.sse;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.completions.tck.LoopbackServer;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * HttpClient's own logs, at their most verbose, never show the secret: not the {@code ?auth=} query
 * (added only as the request line is written to the socket) and not a secret header. The {@code
 * wire} logger, which prints the raw bytes, is the exception; it is off here.
 */
class OpenAiSecretsInLogsTest {

  private static final String ENCODED = URLEncoder.encode(TOKEN, StandardCharsets.UTF_8);

  private final LoopbackServer server = LoopbackServer.start();
  private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
  private final Logger httpClient = (Logger) LoggerFactory.getLogger("org.apache.hc");
  private final Logger wire = (Logger) LoggerFactory.getLogger("org.apache.hc.client5.http.wire");
  private final Logger headers =
      (Logger) LoggerFactory.getLogger("org.apache.hc.client5.http.headers");

  @AfterEach
  void restoreLoggers() {
    httpClient.detachAppender(logs);
    httpClient.setLevel(null);
    httpClient.setAdditive(true);
    wire.setLevel(null);
    headers.setLevel(null);
    server.close();
  }

  /** Captures HttpClient's logs from {@code level} on (not printed), with the wire logger off. */
  private void capture(Logger logger, Level level) {
    logs.start();
    wire.setLevel(Level.OFF);
    logger.setLevel(level);
    httpClient.addAppender(logs);
    httpClient.setAdditive(false);
  }

  private List<String> messages() {
    return logs.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
  }

  @Test
  void noHttpClientLogAtTraceShowsTheQueryToken() {
    capture(httpClient, Level.TRACE);
    server.enqueue(sse(content("Hi"), DONE));
    try (OpenAiCompatibleProvider acme =
        provider(server, new Fixtures.RecordingSleeper()).build()) {
      assertThat(acme.complete(hello()).text()).isEqualTo("Hi");
    }

    assertThat(messages())
        .as("MainClientExec logged the request")
        .anyMatch(message -> message.endsWith(" executing POST /v1/chat/completions"));
    assertThat(messages())
        .as("the headers logger logged the request line")
        .anyMatch(message -> message.endsWith(" >> POST /v1/chat/completions HTTP/1.1"));
    assertThat(messages())
        .noneMatch(message -> message.contains(TOKEN) || message.contains(ENCODED));
    assertThat(server.takeRequestQuietly().target())
        .isEqualTo("/v1/chat/completions?auth=" + ENCODED);
  }

  @Test
  void theHeadersLoggerAtDebugShowsABearerTokenAsStars() {
    capture(headers, Level.DEBUG);
    server.enqueue(sse(content("Hi"), DONE));
    ProviderConfig bearer =
        provider(server, new Fixtures.RecordingSleeper()).config.auth(Auth.bearer(TOKEN)).build();
    try (OpenAiCompatibleProvider acme = new OpenAiCompatibleProvider(bearer)) {
      assertThat(acme.complete(hello()).text()).isEqualTo("Hi");
    }

    assertThat(messages()).anyMatch(message -> message.endsWith(" >> Authorization: ***"));
    assertThat(messages()).noneMatch(message -> message.contains(TOKEN));
    assertThat(server.takeRequestQuietly().header("Authorization")).isEqualTo("Bearer " + TOKEN);
  }

  @Test
  void theHeadersLoggerAtDebugShowsAKeyHeaderAsStars() {
    capture(headers, Level.DEBUG);
    server.enqueue(sse(content("Hi"), DONE));
    ProviderConfig keyed =
        provider(server, new Fixtures.RecordingSleeper())
            .config
            .auth(Auth.header("x-api-key", TOKEN))
            .build();
    try (OpenAiCompatibleProvider acme = new OpenAiCompatibleProvider(keyed)) {
      assertThat(acme.complete(hello()).text()).isEqualTo("Hi");
    }

    assertThat(messages()).anyMatch(message -> message.endsWith(" >> x-api-key: ***"));
    assertThat(messages()).noneMatch(message -> message.contains(TOKEN));
    assertThat(server.takeRequestQuietly().header("x-api-key")).isEqualTo(TOKEN);
  }
}
