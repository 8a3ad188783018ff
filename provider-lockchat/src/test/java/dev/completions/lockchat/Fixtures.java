package dev.completions.lockchat;

import dev.completions.api.CompletionRequest;
import dev.completions.tck.LoopbackServer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Shared test material: wire snippets, scripts and providers pointed at a loopback server. */
final class Fixtures {

  /** A recognisable token that must never show up in anything the tests capture. */
  static final String TOKEN = "SeCrEt-T0ken+/=";

  private Fixtures() {}

  /** Records the waits instead of sleeping. */
  static final class RecordingSleeper implements RetryPolicy.Sleeper {
    final List<Duration> waits = new CopyOnWriteArrayList<>();

    @Override
    public void sleep(Duration duration) {
      waits.add(duration);
    }
  }

  static LockchatProvider.Builder provider(LoopbackServer server, RetryPolicy.Sleeper sleeper) {
    return LockchatProvider.builder()
        .source(new Settings.Source(key -> null, key -> null))
        .baseUrl(server.url().toString())
        .authToken(TOKEN)
        .sleeper(sleeper)
        .connectTimeout(Duration.ofSeconds(5))
        .firstByteTimeout(Duration.ofSeconds(10))
        .idleTimeout(Duration.ofSeconds(10));
  }

  static CompletionRequest hello() {
    return CompletionRequest.builder().user("Hello, how are you?").build();
  }

  /** A JSON string literal. */
  static String quote(String text) {
    return LoopbackServer.jsonString(text);
  }

  /** One SSE event carrying a content delta. */
  static String content(String text) {
    return "data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"model\":\"gpt-3.5-turbo-0613\","
        + "\"choices\":[{\"index\":0,\"delta\":{\"content\":" + quote(text) + "},\"finish_reason\":null}]}\n\n";
  }

  /** One SSE event with the given delta object and finish reason (JSON, or null). */
  static String delta(String deltaJson, String finishReason) {
    return "data: {\"choices\":[{\"index\":0,\"delta\":" + deltaJson + ",\"finish_reason\":"
        + (finishReason == null ? "null" : quote(finishReason)) + "}]}\n\n";
  }

  static final String ROLE = delta("{\"role\":\"assistant\"}", null);
  static final String STOP = delta("{}", "stop");
  static final String DONE = "data: [DONE]\n\n";

  /** A 200 text/event-stream answer, one HTTP chunk per event, then the end of the body. */
  static LoopbackServer.Script sse(String... events) {
    return LoopbackServer.streamed("text/event-stream", events);
  }

  /** A complete answer with a body. */
  static LoopbackServer.Script respond(int status, String contentType, String body, String... headers) {
    return exchange -> exchange.respond(status, contentType, body, headers);
  }

  /** The seed's example answer as tokens. */
  static final List<String> SEED_TOKENS =
      List.of("I", " am", " doing", " well", ",", " thank", " you", " for", " asking", ".",
          " How", " can", " I", " assist", " you", " today", "?");

  static String[] seedAnswer() {
    String[] events = new String[SEED_TOKENS.size() + 3];
    events[0] = ROLE;
    for (int i = 0; i < SEED_TOKENS.size(); i++) {
      events[i + 1] = content(SEED_TOKENS.get(i));
    }
    events[events.length - 2] = STOP;
    events[events.length - 1] = DONE;
    return events;
  }
}
