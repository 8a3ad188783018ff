package dev.completions.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.completions.api.Usage;
import dev.completions.registry.ProviderRegistry;
import dev.completions.tck.OpenAiSse;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Answers in OpenAI's shapes: the chunks of a stream, one completion, tool calls, reasoning. */
class StreamingTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private Upstream upstream;
  private ProviderRegistry registry;
  private CompletionServer server;
  private Client client;

  @BeforeEach
  void start() {
    upstream = new Upstream("Up", "m1", "m2");
    registry = ProviderRegistry.builder().discover(false).add(upstream.provider).build();
    server = CompletionServer.builder(registry).port(0).build().start();
    client = new Client(server.uri());
  }

  @AfterEach
  void stop() {
    server.close();
    registry.close();
    upstream.close();
  }

  /** The JSON of each {@code data:} line, {@code [DONE]} as a text node. */
  static List<JsonNode> events(String body) throws Exception {
    List<JsonNode> events = new ArrayList<>();
    for (String block : body.split("\n\n")) {
      assertThat(block).startsWith("data: ");
      String data = block.substring("data: ".length());
      events.add(
          data.equals("[DONE]") ? JSON.getNodeFactory().textNode("[DONE]") : JSON.readTree(data));
    }
    return events;
  }

  @Test
  void aStreamIsRoleThenContentChunksThenFinishThenUsageThenDone() throws Exception {
    upstream.server.enqueue(
        OpenAiSse.stream(
            OpenAiSse.ROLE,
            OpenAiSse.content("Hel"),
            OpenAiSse.content("lo \"there\""),
            OpenAiSse.STOP,
            OpenAiSse.usage(new Usage(5, 2, 7)),
            OpenAiSse.DONE));

    HttpResponse<String> response =
        client.post(
            "/v1/chat/completions",
            "{\"model\":\"up:m1\",\"stream\":true,\"stream_options\":{\"include_usage\":true},"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type"))
        .hasValueSatisfying(type -> assertThat(type).startsWith("text/event-stream"));
    assertThat(response.headers().firstValue("X-Completions-Provider")).contains("Up");
    List<JsonNode> events = events(response.body());
    assertThat(events).hasSize(6);
    for (JsonNode chunk : events.subList(0, 5)) {
      assertThat(chunk.get("object").asText()).isEqualTo("chat.completion.chunk");
      assertThat(chunk.get("id").asText()).isEqualTo(events.get(0).get("id").asText());
      assertThat(chunk.get("created").asLong()).isPositive();
    }
    assertThat(events.get(0).at("/choices/0/delta").toString())
        .isEqualTo("{\"role\":\"assistant\"}");
    assertThat(events.get(1).at("/choices/0/delta/content").asText()).isEqualTo("Hel");
    assertThat(events.get(2).at("/choices/0/delta/content").asText()).isEqualTo("lo \"there\"");
    assertThat(events.get(2).at("/choices/0/finish_reason").isNull()).isTrue();
    assertThat(events.get(3).at("/choices/0/delta").toString()).isEqualTo("{}");
    assertThat(events.get(3).at("/choices/0/finish_reason").asText()).isEqualTo("stop");
    assertThat(events.get(4).get("choices").toString()).isEqualTo("[]");
    assertThat(events.get(4).get("usage").toString())
        .isEqualTo("{\"prompt_tokens\":5,\"completion_tokens\":2,\"total_tokens\":7}");
    assertThat(events.get(5).asText()).isEqualTo("[DONE]");
    String sent = upstream.server.takeRequest().bodyText();
    assertThat(JSON.readTree(sent).get("model").asText()).isEqualTo("m1");
  }

  @Test
  void theChunksOfABurstComeWholeAndInOrder() throws Exception {
    // sent at once, so that most are read while the gateway writes others, and written together
    String[] events = new String[2_002];
    for (int i = 0; i < 2_000; i++) {
      events[i] = OpenAiSse.content("t" + i + " ");
    }
    events[2_000] = OpenAiSse.STOP;
    events[2_001] = OpenAiSse.DONE;
    upstream.server.enqueue(OpenAiSse.stream(events));

    HttpResponse<String> response = client.post("/v1/chat/completions", Client.ask("up", true));

    List<JsonNode> chunks = events(response.body());
    assertThat(chunks).hasSize(2_003);
    assertThat(chunks.get(0).at("/choices/0/delta").toString())
        .isEqualTo("{\"role\":\"assistant\"}");
    for (int i = 0; i < 2_000; i++) {
      assertThat(chunks.get(1 + i).at("/choices/0/delta/content").asText())
          .isEqualTo("t" + i + " ");
    }
    assertThat(chunks.get(2_001).at("/choices/0/finish_reason").asText()).isEqualTo("stop");
    assertThat(chunks.get(2_002).asText()).isEqualTo("[DONE]");
  }

  @Test
  void withoutIncludeUsageTheUsageIsALastChunkWithAnEmptyChoice() throws Exception {
    upstream.server.enqueue(
        OpenAiSse.stream(
            OpenAiSse.content("Hi"),
            OpenAiSse.STOP,
            OpenAiSse.usage(new Usage(5, 1, 6)),
            OpenAiSse.DONE));

    HttpResponse<String> response = client.post("/v1/chat/completions", Client.ask("up", true));

    List<JsonNode> events = events(response.body());
    assertThat(events).hasSize(5);
    assertThat(events.get(2).at("/choices/0/finish_reason").asText()).isEqualTo("stop");
    assertThat(events.get(3).get("choices").toString())
        .isEqualTo("[{\"index\":0,\"delta\":{},\"finish_reason\":null}]");
    assertThat(events.get(3).get("usage").toString())
        .isEqualTo("{\"prompt_tokens\":5,\"completion_tokens\":1,\"total_tokens\":6}");
    assertThat(events.subList(0, 3)).noneMatch(event -> event.has("usage"));
    assertThat(events.get(4).asText()).isEqualTo("[DONE]");
  }

  @Test
  void anAnswerNotStreamedIsOneChatCompletionWithUsage() throws Exception {
    upstream.server.enqueue(
        OpenAiSse.stream(
            OpenAiSse.content("Hello"),
            OpenAiSse.content("!"),
            OpenAiSse.delta("{}", "length"),
            OpenAiSse.usage(new Usage(3, 2, 5)),
            OpenAiSse.DONE));

    HttpResponse<String> response = client.post("/v1/chat/completions", Client.ask("m2", false));

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type")).contains("application/json");
    JsonNode completion = JSON.readTree(response.body());
    assertThat(completion.get("object").asText()).isEqualTo("chat.completion");
    assertThat(completion.get("id").asText()).startsWith("chatcmpl-");
    assertThat(completion.at("/choices/0/message").toString())
        .isEqualTo("{\"role\":\"assistant\",\"content\":\"Hello!\"}");
    assertThat(completion.at("/choices/0/finish_reason").asText()).isEqualTo("length");
    assertThat(completion.get("usage").toString())
        .isEqualTo("{\"prompt_tokens\":3,\"completion_tokens\":2,\"total_tokens\":5}");
  }

  @Test
  void toolCallFragmentsAndReasoningKeepOpenAisShape() throws Exception {
    upstream.server.enqueue(
        OpenAiSse.stream(
            OpenAiSse.reasoning("think"),
            OpenAiSse.toolCallStart(0, "call_1", "get_weather"),
            OpenAiSse.toolCallArguments(0, "{\"city\":"),
            OpenAiSse.toolCallArguments(0, "\"Paris\"}"),
            OpenAiSse.TOOL_CALLS,
            OpenAiSse.DONE));

    HttpResponse<String> response =
        client.post(
            "/v1/chat/completions",
            "{\"model\":\"up\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"Weather?\"}],"
                + "\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"get_weather\","
                + "\"parameters\":{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"}}}}}],"
                + "\"tool_choice\":\"auto\"}");

    List<JsonNode> events = events(response.body());
    assertThat(events.get(1).at("/choices/0/delta").toString())
        .isEqualTo("{\"reasoning_content\":\"think\"}");
    assertThat(events.get(2).at("/choices/0/delta").toString())
        .isEqualTo(
            "{\"tool_calls\":[{\"index\":0,\"id\":\"call_1\",\"type\":\"function\","
                + "\"function\":{\"name\":\"get_weather\",\"arguments\":\"\"}}]}");
    assertThat(events.get(3).at("/choices/0/delta").toString())
        .isEqualTo(
            "{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\"{\\\"city\\\":\"}}]}");
    assertThat(events.get(5).at("/choices/0/finish_reason").asText()).isEqualTo("tool_calls");
    JsonNode sent = JSON.readTree(upstream.server.takeRequest().bodyText());
    assertThat(sent.at("/tools/0/function/name").asText()).isEqualTo("get_weather");
    assertThat(sent.get("tool_choice").asText()).isEqualTo("auto");
  }

  @Test
  void aToolResultGoesBackAsOurToolMessage() throws Exception {
    upstream.server.enqueue(OpenAiSse.stream(OpenAiSse.answer(List.of("22 °C"))));

    HttpResponse<String> response =
        client.post(
            "/v1/chat/completions",
            "{\"model\":\"up\",\"messages\":[{\"role\":\"user\",\"content\":\"Weather?\"},"
                + "{\"role\":\"assistant\",\"content\":null,\"tool_calls\":[{\"id\":\"call_1\",\"type\":\"function\","
                + "\"function\":{\"name\":\"get_weather\",\"arguments\":\"{\\\"city\\\":\\\"Paris\\\"}\"}}]},"
                + "{\"role\":\"tool\",\"tool_call_id\":\"call_1\",\"content\":\"sunny\"}],"
                + "\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"get_weather\"}}]}");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(JSON.readTree(response.body()).at("/choices/0/message/content").asText())
        .isEqualTo("22 °C");
    JsonNode sent = JSON.readTree(upstream.server.takeRequest().bodyText());
    assertThat(sent.at("/messages/1/tool_calls/0/id").asText()).isEqualTo("call_1");
    assertThat(sent.at("/messages/1/tool_calls/0/function/arguments").asText())
        .isEqualTo("{\"city\":\"Paris\"}");
    assertThat(sent.at("/messages/2/tool_call_id").asText()).isEqualTo("call_1");
    assertThat(sent.at("/messages/2/content").asText()).isEqualTo("sunny");
  }
}
