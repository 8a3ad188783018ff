package dev.completions.openai;

import dev.completions.api.CompletionRequest;
import dev.completions.openai.internal.RetryPolicy;
import dev.completions.tck.LoopbackServer;
import dev.completions.tck.OpenAiSse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.net.ssl.SSLContext;

/** Shared test material: a provider pointed at a loopback server, scripts, the example answer. */
final class Fixtures {

  /** A recognisable token that must never show up in anything the tests capture. */
  static final String TOKEN = "SeCrEt-T0ken+/=";

  static final String ROLE = OpenAiSse.ROLE;
  static final String STOP = OpenAiSse.STOP;
  static final String DONE = OpenAiSse.DONE;

  private Fixtures() {}

  /** Records the waits instead of sleeping. */
  static final class RecordingSleeper implements RetryPolicy.Sleeper {
    final List<Duration> waits = new CopyOnWriteArrayList<>();

    @Override
    public void sleep(Duration duration) {
      waits.add(duration);
    }
  }

  /** A provider named "Acme" (settings prefix {@code acme}) whose token goes in {@code ?auth=}. */
  static Builder provider(LoopbackServer server, RetryPolicy.Sleeper sleeper) {
    return new Builder(
        ProviderConfig.custom()
            .name("Acme")
            .baseUrl(server.url().toString())
            .path("/v1/chat/completions")
            .models("gpt-4", "gpt-3.5-turbo")
            .defaultModel("gpt-3.5-turbo")
            .auth(Auth.query("auth", TOKEN))
            .retrySleeper(sleeper)
            .connectTimeout(Duration.ofSeconds(5))
            .firstByteTimeout(Duration.ofSeconds(10))
            .idleTimeout(Duration.ofSeconds(10)));
  }

  /** The configuration builder, whose {@link #build()} makes the provider. */
  static final class Builder {
    final ProviderConfig.Builder config;

    Builder(ProviderConfig.Builder config) {
      this.config = config;
    }

    Builder baseUrl(String url) {
      config.baseUrl(url);
      return this;
    }

    /** The token sent as {@code ?auth=}; "" sends none. */
    Builder authToken(String token) {
      config.auth(token.isEmpty() ? Auth.none() : Auth.query("auth", token));
      return this;
    }

    Builder userAgent(String userAgent) {
      config.userAgent(userAgent);
      return this;
    }

    Builder attempts(int attempts) {
      config.attempts(attempts);
      return this;
    }

    Builder idleTimeout(Duration timeout) {
      config.idleTimeout(timeout);
      return this;
    }

    Builder firstByteTimeout(Duration timeout) {
      config.firstByteTimeout(timeout);
      return this;
    }

    Builder connectTimeout(Duration timeout) {
      config.connectTimeout(timeout);
      return this;
    }

    Builder maxRetryWait(Duration wait) {
      config.maxRetryWait(wait);
      return this;
    }

    Builder maxEventBytes(int bytes) {
      config.maxEventBytes(bytes);
      return this;
    }

    Builder maxConnections(int connections) {
      config.maxConnections(connections);
      return this;
    }

    Builder sslContext(SSLContext context) {
      config.sslContext(context);
      return this;
    }

    OpenAiCompatibleProvider build() {
      return new OpenAiCompatibleProvider(config.build());
    }
  }

  static CompletionRequest hello() {
    return CompletionRequest.builder().user("Hello, how are you?").build();
  }

  /** A JSON string literal. */
  static String quote(String text) {
    return LoopbackServer.jsonString(text);
  }

  static String content(String text) {
    return OpenAiSse.content(text);
  }

  static String delta(String deltaJson, String finishReason) {
    return OpenAiSse.delta(deltaJson, finishReason);
  }

  /** A 200 text/event-stream answer, one HTTP chunk per event, then the end of the body. */
  static LoopbackServer.Script sse(String... events) {
    return OpenAiSse.stream(events);
  }

  /** A complete answer with a body. */
  static LoopbackServer.Script respond(
      int status, String contentType, String body, String... headers) {
    return exchange -> exchange.respond(status, contentType, body, headers);
  }

  /** The example answer of the original Lockchat module, as tokens. */
  static final List<String> SEED_TOKENS =
      List.of(
          "I", " am", " doing", " well", ",", " thank", " you", " for", " asking", ".", " How",
          " can", " I", " assist", " you", " today", "?");

  static String[] seedAnswer() {
    return OpenAiSse.answer(SEED_TOKENS);
  }
}
