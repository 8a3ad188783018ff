package dev.completions.lockchat;

import static dev.completions.lockchat.Fixtures.DONE;
import static dev.completions.lockchat.Fixtures.TOKEN;
import static dev.completions.lockchat.Fixtures.config;
import static dev.completions.lockchat.Fixtures.content;
import static dev.completions.lockchat.Fixtures.hello;
import static dev.completions.lockchat.Fixtures.provider;
import static dev.completions.lockchat.Fixtures.respond;
import static dev.completions.lockchat.Fixtures.sse;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.read.ListAppender;
import dev.completions.api.ProviderException;
import dev.completions.tck.LoopbackServer;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** The auth token travels in the query string but shows up in nothing a user or log can see. */
class LockchatSecretsTest {

  private final LoopbackServer server = LoopbackServer.start();
  private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
  private final Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
  private final List<String> seen = new ArrayList<>();

  @BeforeEach
  void captureLogs() {
    logs.start();
    root.addAppender(logs);
    ((Logger) LoggerFactory.getLogger("dev.completions")).setLevel(Level.DEBUG);
  }

  @AfterEach
  void close() {
    root.detachAppender(logs);
    server.close();
  }

  private void failWith(LockchatProvider provider) {
    try {
      provider.complete(hello()).text();
    } catch (ProviderException e) {
      StringWriter trace = new StringWriter();
      e.printStackTrace(new PrintWriter(trace));
      seen.add(trace.toString());
      seen.add(e.partialText());
    }
  }

  @Test
  void theTokenAppearsInNoMessageLogLineOrToStringAcrossFaults() throws IOException {
    String echo =
        "{\"error\":{\"message\":\"bad request to /v1/chat/completions?auth="
            + TOKEN
            + " ("
            + TOKEN
            + ")\"}}";
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    try (LockchatProvider lockchat = provider(server);
        LockchatProvider refused =
            new LockchatProvider(config(server).baseUrl("http://127.0.0.1:" + closedPort).build());
        LockchatProvider silent =
            new LockchatProvider(
                config(server).firstByteTimeout(Duration.ofMillis(100)).attempts(1).build())) {
      server.enqueue(respond(400, "application/json", echo));
      failWith(lockchat);
      server.enqueue(respond(503, "text/plain", "auth=" + TOKEN));
      server.enqueue(respond(503, "text/plain", "auth=" + TOKEN));
      server.enqueue(respond(503, "text/plain", "auth=" + TOKEN));
      failWith(lockchat);
      server.enqueue(sse(content("x"), "data: {\"error\":\"token " + TOKEN + " rejected\"}\n\n"));
      failWith(lockchat);
      server.enqueue(sse("The model: `" + TOKEN + "` does not exist\n\n"));
      server.enqueue(sse("The model: `" + TOKEN + "` does not exist\n\n"));
      server.enqueue(sse("The model: `" + TOKEN + "` does not exist\n\n"));
      failWith(lockchat);
      server.enqueue(exchange -> {});
      failWith(silent);
      failWith(refused);
      server.enqueue(sse(content("fine"), DONE));
      lockchat.complete(hello()).text();
      seen.add(lockchat.toString());
      seen.add(refused.toString());
    }

    for (ILoggingEvent event : logs.list) {
      seen.add(event.getFormattedMessage());
      if (event.getThrowableProxy() != null) {
        seen.add(ThrowableProxyUtil.asString(event.getThrowableProxy()));
      }
    }
    assertThat(logs.list).as("the retries were logged").anyMatch(e -> e.getLevel() == Level.WARN);
    assertThat(logs.list)
        .as("attempts were logged with the redacted URL")
        .anyMatch(e -> e.getFormattedMessage().contains("/v1/chat/completions?auth=***"));
    String encoded = URLEncoder.encode(TOKEN, StandardCharsets.UTF_8);
    assertThat(seen)
        .hasSizeGreaterThan(10)
        .noneMatch(text -> text.contains(TOKEN) || text.contains(encoded));
    assertThat(server.requestCount()).isGreaterThan(5);
  }
}
