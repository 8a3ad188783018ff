package dev.completions.openai;

import static dev.completions.openai.Fixtures.hello;
import static dev.completions.openai.Fixtures.provider;
import static dev.completions.openai.Fixtures.respond;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.completions.api.ProviderException;
import dev.completions.tck.LoopbackServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A server that echoes the token escaped ({@code SeCrEt\u002dT0ken+\/=}) shows it to no one,
 * decoded or raw.
 */
class OpenAiEscapedEchoTest {

  /** {@link Fixtures#TOKEN} as a JSON encoder may write it. */
  private static final String ESCAPED = "SeCrEt\\u002dT0ken+\\/=";

  private final LoopbackServer server = LoopbackServer.start();
  private final OpenAiCompatibleProvider acme =
      provider(server, new Fixtures.RecordingSleeper()).build();

  @AfterEach
  void close() {
    acme.close();
    server.close();
  }

  private ProviderException failure() {
    return catchThrowableOfType(ProviderException.class, () -> acme.complete(hello()).text());
  }

  @Test
  void anErrorPageEchoingTheTokenEscapedShowsStarsInItsExcerpt() {
    server.enqueue(respond(400, "text/html", "<p>bad token " + ESCAPED + "</p>"));

    assertThat(failure()).hasMessage("[Acme] HTTP 400: bad token ***");
  }

  @Test
  void aJsonErrorEchoingTheTokenEscapedShowsStarsOnceDecoded() {
    server.enqueue(
        respond(
            400, "application/json", "{\"error\":{\"message\":\"bad token " + ESCAPED + "\"}}"));

    assertThat(failure()).hasMessage("[Acme] HTTP 400: bad token ***");
  }
}
