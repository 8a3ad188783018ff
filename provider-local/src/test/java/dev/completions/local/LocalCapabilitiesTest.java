package dev.completions.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.completions.api.Capability;
import dev.completions.api.CompletionRequest;
import dev.completions.api.CompletionStream;
import dev.completions.api.ContentPart;
import dev.completions.api.Message;
import dev.completions.api.MissingCapabilityException;
import dev.completions.api.ResponseFormat;
import dev.completions.api.Tool;
import dev.completions.api.ToolCall;
import dev.completions.api.ToolChoice;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What Local declares and what it refuses before any I/O. The provider points at a model file that
 * does not exist and a cache folder that is never made: any attempt to load or download would fail
 * or create the folder, so a refusal from {@code complete} itself with the folder still absent
 * shows nothing was touched.
 */
class LocalCapabilitiesTest {

  @TempDir Path temp;

  private Path cache;
  private LocalProvider local;

  @BeforeEach
  void create() {
    cache = temp.resolve("cache-never-made");
    local =
        new LocalProvider(
            new LocalSettings(
                temp.resolve("absent/model.gguf").toString(),
                cache,
                1,
                512,
                Duration.ofSeconds(5),
                URI.create("http://127.0.0.1:9")),
            new PrintStream(PrintStream.nullOutputStream()));
  }

  @AfterEach
  void close() {
    local.close();
    assertThat(cache).doesNotExist();
  }

  private static CompletionRequest.Builder ask() {
    return CompletionRequest.builder().user("Once upon a time");
  }

  @Test
  void declaresJsonAndJsonSchemaOutputButNotToolsImagesOrReasoning() {
    assertThat(local.info().capabilities())
        .containsExactlyInAnyOrder(Capability.JSON_OUTPUT, Capability.JSON_SCHEMA_OUTPUT);
  }

  @Test
  void requestsWithToolsAreRefusedBeforeAnyIo() {
    Tool weather =
        Tool.of(
            "weather",
            "The weather in a city",
            "{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"}},\"required\":[\"city\"]}");
    List<CompletionRequest> needTools =
        List.of(
            ask().tool(weather).build(),
            ask().tool(weather).toolChoice(ToolChoice.required()).build(),
            ask().toolChoice(ToolChoice.none()).build(),
            ask()
                .message(
                    Message.assistant(
                        List.of(new ToolCall(0, "call_1", "weather", "{\"city\":\"Oslo\"}"))))
                .message(Message.tool("call_1", "{\"celsius\":4}"))
                .build(),
            ask().tool(weather).responseFormat(ResponseFormat.jsonObject()).build());

    for (CompletionRequest request : needTools) {
      MissingCapabilityException refused =
          catchThrowableOfType(MissingCapabilityException.class, () -> local.complete(request));

      assertThat(refused).as("%s", request).isNotNull();
      assertThat(refused.provider()).isEqualTo("Local");
      assertThat(refused.missing()).containsExactly(Capability.TOOLS);
      assertThat(refused)
          .hasMessage(
              "Local cannot serve this request: it needs tools, which Local does not support");
    }
  }

  @Test
  void requestsWithImagesAreRefusedBeforeAnyIo() {
    CompletionRequest request =
        CompletionRequest.builder()
            .message(
                Message.user(
                    "What is this?", ContentPart.image(URI.create("https://example.com/cat.png"))))
            .build();

    assertThatThrownBy(() -> local.complete(request))
        .isInstanceOf(MissingCapabilityException.class)
        .extracting(e -> ((MissingCapabilityException) e).missing())
        .isEqualTo(Set.of(Capability.IMAGE_INPUT));
  }

  @Test
  void jsonRequestsAreAcceptedWithoutIo() {
    try (CompletionStream object =
            local.complete(ask().responseFormat(ResponseFormat.jsonObject()).build());
        CompletionStream schema =
            local.complete(
                ask()
                    .responseFormat(
                        ResponseFormat.jsonSchema("person", JsonGrammarTest.PERSON, true))
                    .build())) {
      assertThat(object.isDone()).isFalse();
      assertThat(schema.isDone()).isFalse();
    }
    assertThat(Files.exists(cache)).isFalse();
  }

  @Test
  void aStrictSchemaThatCannotBeEnforcedIsRefusedBeforeAnyIoAndTheSameLaxOneIsTaken() {
    String schema =
        "{\"type\":\"object\",\"properties\":{\"email\":{\"type\":\"string\",\"format\":\"email\"}}}";

    assertThatThrownBy(
            () ->
                local.complete(
                    ask()
                        .responseFormat(ResponseFormat.jsonSchema("contact", schema, true))
                        .build()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "response_format.schema: at #/properties/email: 'format' cannot be enforced by Local;"
                + " remove it, or set strict to false to have it ignored");
    local
        .complete(ask().responseFormat(ResponseFormat.jsonSchema("contact", schema, false)).build())
        .close();
  }

  @Test
  void aSchemaThatAllowsNothingIsRefusedBeforeAnyIo() {
    String schema = "{\"type\":\"integer\",\"minimum\":10,\"maximum\":1}";

    assertThatThrownBy(
            () ->
                local.complete(
                    ask().responseFormat(ResponseFormat.jsonSchema("n", schema, false)).build()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("response_format.schema: at #: no integer lies within the bounds");
  }
}
