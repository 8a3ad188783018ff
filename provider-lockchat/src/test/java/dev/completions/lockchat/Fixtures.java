package dev.completions.lockchat;

import dev.completions.api.CompletionRequest;
import dev.completions.openai.Auth;
import dev.completions.openai.ProviderConfig;
import dev.completions.tck.LoopbackServer;
import dev.completions.tck.OpenAiSse;
import java.time.Duration;

/** Lockchat pointed at a loopback server, with its retries recorded instead of slept. */
final class Fixtures {

  /** A recognisable token that must never show up in anything the tests capture. */
  static final String TOKEN = "SeCrEt-T0ken+/=";

  static final String DONE = OpenAiSse.DONE;

  private Fixtures() {}

  /** Lockchat at the server; retries wait as in production (0.5 s, then 1 s, with jitter). */
  static ProviderConfig.Builder config(LoopbackServer server) {
    return LockchatProvider.DEFAULTS.toBuilder()
        .baseUrl(server.url().toString())
        .auth(Auth.query("auth", TOKEN))
        .connectTimeout(Duration.ofSeconds(5))
        .firstByteTimeout(Duration.ofSeconds(10))
        .idleTimeout(Duration.ofSeconds(10));
  }

  static LockchatProvider provider(LoopbackServer server) {
    return new LockchatProvider(config(server).build());
  }

  static CompletionRequest hello() {
    return CompletionRequest.builder().user("Hello, how are you?").build();
  }

  static String content(String text) {
    return OpenAiSse.content(text);
  }

  static LoopbackServer.Script sse(String... events) {
    return OpenAiSse.stream(events);
  }

  static LoopbackServer.Script respond(
      int status, String contentType, String body, String... headers) {
    return exchange -> exchange.respond(status, contentType, body, headers);
  }
}
