package dev.completions.lockchat;

import static dev.completions.lockchat.Fixtures.DONE;
import static dev.completions.lockchat.Fixtures.TOKEN;
import static dev.completions.lockchat.Fixtures.content;
import static dev.completions.lockchat.Fixtures.hello;
import static dev.completions.lockchat.Fixtures.provider;
import static dev.completions.lockchat.Fixtures.sse;
import static org.assertj.core.api.Assertions.assertThat;

import dev.completions.api.CompletionRequest;
import dev.completions.tck.LoopbackServer;
import dev.completions.tck.RecordedRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Paths;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** What is Lockchat's own: its metadata, its endpoint and where its token goes. */
class LockchatProviderTest {

  @Test
  void publishesTheOriginalModulesMetadata() {
    var info = new LockchatProvider(LockchatProvider.DEFAULTS).info();

    assertThat(info.name()).isEqualTo("Lockchat");
    assertThat(info.url()).hasToString("http://super.lockchat.app");
    assertThat(info.models()).containsExactly("gpt-4", "gpt-3.5-turbo");
    assertThat(info.defaultModel()).isEqualTo("gpt-3.5-turbo");
    assertThat(info.supportsStreaming()).isTrue();
    assertThat(info.needsAuth()).isFalse();
  }

  @Test
  void postsToV1ChatCompletionsUnderTheUrlWithTheTokenAsTheAuthParameter() throws Exception {
    try (LoopbackServer server = LoopbackServer.start();
        LockchatProvider lockchat = provider(server)) {
      server.enqueue(sse(content("Hi"), DONE));

      assertThat(lockchat.complete(CompletionRequest.builder().user("Hello").build()).text())
          .isEqualTo("Hi");

      RecordedRequest sent = server.takeRequest();
      assertThat(sent.path()).isEqualTo("/v1/chat/completions");
      assertThat(sent.query()).isEqualTo(Map.of("auth", TOKEN));
      assertThat(sent.header("Authorization")).isNull();
      assertThat(sent.header("User-Agent")).isEqualTo("completions-lockchat/0.1 (Java)");
      assertThat(sent.bodyText()).contains("\"model\":\"gpt-3.5-turbo\"");
    }
  }

  @Test
  void theUrlAndTokenSettingsKeepTheirMeaning() throws Exception {
    try (LoopbackServer server = LoopbackServer.start()) {
      server.enqueue(sse(content("Hi"), DONE));
      System.setProperty("lockchat.url", server.url() + "/prefix");
      System.setProperty("lockchat.auth", "from-property");
      try (LockchatProvider lockchat = new LockchatProvider()) {
        lockchat.complete(hello()).text();
      } finally {
        System.clearProperty("lockchat.url");
        System.clearProperty("lockchat.auth");
      }

      RecordedRequest sent = server.takeRequest();
      assertThat(sent.path()).isEqualTo("/prefix/v1/chat/completions");
      assertThat(sent.query()).isEqualTo(Map.of("auth", "from-property"));
    }
  }

  @Test
  void anEmptyAuthPropertySendsNoToken() throws Exception {
    try (LoopbackServer server = LoopbackServer.start()) {
      server.enqueue(sse(content("Hi"), DONE));
      System.setProperty("lockchat.url", server.url().toString());
      System.setProperty("lockchat.auth", "");
      try (LockchatProvider lockchat = new LockchatProvider()) {
        assertThat(lockchat.complete(hello()).text()).isEqualTo("Hi");
      } finally {
        System.clearProperty("lockchat.url");
        System.clearProperty("lockchat.auth");
      }

      RecordedRequest sent = server.takeRequest();
      assertThat(sent.target()).isEqualTo("/v1/chat/completions");
    }
  }

  @Test
  void anEmptyAuthVariableSendsNoToken() throws Exception {
    try (LoopbackServer server = LoopbackServer.start()) {
      server.enqueue(sse(content("Hi"), DONE));
      ProcessBuilder builder =
          new ProcessBuilder(
                  Paths.get(System.getProperty("java.home"), "bin", "java").toString(),
                  "-cp",
                  System.getProperty("java.class.path"),
                  EmptyAuthChild.class.getName())
              .redirectErrorStream(true);
      builder.environment().put("LOCKCHAT_URL", server.url().toString());
      builder.environment().put("LOCKCHAT_AUTH", "");
      Process child = builder.start();
      String output =
          new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
      assertThat(child.waitFor(60, TimeUnit.SECONDS)).isTrue();

      assertThat(child.exitValue()).as(output).isZero();
      assertThat(output).endsWith("Hi");
      assertThat(server.takeRequest().target()).isEqualTo("/v1/chat/completions");
    }
  }
}
