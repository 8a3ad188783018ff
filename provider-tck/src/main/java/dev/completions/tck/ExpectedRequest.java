package dev.completions.tck;

import static org.assertj.core.api.Assertions.assertThat;

import dev.completions.api.CompletionRequest;
import dev.completions.api.Message;
import dev.completions.api.Tool;
import dev.completions.api.ToolCall;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The request a provider must send, as its author states it for {@link
 * ProviderConformanceTest#expectedRequest()}: the method and path, headers and query parameters
 * (where the key goes, for example {@code header("Authorization", "Bearer test-key")} or {@code
 * queryParameter("auth", "test-key")}), and the names of the JSON body's fields that carry the
 * model, the messages, the stream flag and the offered tools. The values of those fields come from
 * the request the kit sends, so they are not stated here. Immutable: every method returns a new
 * value.
 *
 * <pre>{@code
 * ExpectedRequest.post("/openai/v1/chat/completions").header("Authorization", "Bearer test-key")
 * }</pre>
 *
 * <p>The body is checked as text, without a JSON parser: a field matches when {@code "name": value}
 * appears anywhere in the body, with any JSON whitespace around the colon and any valid escaping of
 * the strings ({@code \u00e9} or {@code é}, {@code \/} or {@code /}). So the checks do not see
 * nesting (a {@code "model"} field inside another object counts), check the messages' contents in
 * order after the start of the messages array but not that they are inside it (a message that only
 * calls tools: the names of the tools it calls), and do not check roles. Each offered tool's name,
 * description and the member names of its parameter schema (such as {@code type}, {@code
 * properties} and each parameter's name) must appear as JSON strings after the start of the tools
 * field, in any order and shape ({@code {"type":"function","function":{...}}}, {@code
 * {"name":...,"input_schema":...}}); the schema's values, such as {@code "string"}, may be
 * rewritten. Header and query values must match exactly.
 */
public final class ExpectedRequest {

  private final String method;
  private final String path;
  private final Map<String, String> headers;
  private final Map<String, String> queryParameters;
  private final String modelField;
  private final String messagesField;
  private final String streamField;
  private final String toolsField;

  private ExpectedRequest(
      String method,
      String path,
      Map<String, String> headers,
      Map<String, String> queryParameters,
      String modelField,
      String messagesField,
      String streamField,
      String toolsField) {
    this.method = method;
    this.path = path;
    this.headers = Map.copyOf(headers);
    this.queryParameters = Map.copyOf(queryParameters);
    this.modelField = modelField;
    this.messagesField = messagesField;
    this.streamField = streamField;
    this.toolsField = toolsField;
  }

  /**
   * A {@code POST} to this path (query excluded), with the model, the messages and the stream flag
   * in the body fields {@code model}, {@code messages} and {@code stream}, and no header or query
   * parameter required yet.
   *
   * @param path the path as the loopback server receives it, for example {@code
   *     /v1/chat/completions}
   * @return the expected request
   */
  public static ExpectedRequest post(String path) {
    return of("POST", path);
  }

  /**
   * As {@link #post}, with another method.
   *
   * @param method the HTTP method, such as {@code GET}
   * @param path the path as the loopback server receives it, starting with {@code /}, without a
   *     query
   * @return the expected request
   */
  public static ExpectedRequest of(String method, String path) {
    Objects.requireNonNull(method, "method");
    if (path == null || !path.startsWith("/") || path.contains("?")) {
      throw new IllegalArgumentException("path: must start with / and have no query, got " + path);
    }
    return new ExpectedRequest(
        method, path, Map.of(), Map.of(), "model", "messages", "stream", "tools");
  }

  /**
   * This request with a header that must be sent once with exactly this value (the name in any
   * case).
   *
   * @param name the header's name
   * @param value its exact value
   * @return the expected request with the header
   */
  public ExpectedRequest header(String name, String value) {
    Map<String, String> more = new LinkedHashMap<>(headers);
    more.put(name.toLowerCase(Locale.ROOT), Objects.requireNonNull(value, "value"));
    return new ExpectedRequest(
        method, path, more, queryParameters, modelField, messagesField, streamField, toolsField);
  }

  /**
   * This request with a query parameter that must be sent with exactly this value (once decoded).
   *
   * @param name the parameter's name
   * @param value its exact value, decoded
   * @return the expected request with the query parameter
   */
  public ExpectedRequest queryParameter(String name, String value) {
    Map<String, String> more = new LinkedHashMap<>(queryParameters);
    more.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, "value"));
    return new ExpectedRequest(
        method, path, headers, more, modelField, messagesField, streamField, toolsField);
  }

  /**
   * This request with the model in another body field; null when the model is not in the body (it
   * is in the path).
   *
   * @param name the body field, or null
   * @return the expected request with that field
   */
  public ExpectedRequest modelField(String name) {
    return new ExpectedRequest(
        method, path, headers, queryParameters, name, messagesField, streamField, toolsField);
  }

  /**
   * This request with the messages in another body field, such as {@code contents}.
   *
   * @param name the body field
   * @return the expected request with that field
   */
  public ExpectedRequest messagesField(String name) {
    return new ExpectedRequest(
        method,
        path,
        headers,
        queryParameters,
        modelField,
        Objects.requireNonNull(name, "name"),
        streamField,
        toolsField);
  }

  /**
   * This request with the stream flag in another body field; null when the body has none (it is in
   * the path).
   *
   * @param name the body field, or null
   * @return the expected request with that field
   */
  public ExpectedRequest streamField(String name) {
    return new ExpectedRequest(
        method, path, headers, queryParameters, modelField, messagesField, name, toolsField);
  }

  /**
   * This request with the offered tools in another body field (default {@code tools}), such as
   * {@code functions}; its value is an array or an object.
   *
   * @param name the body field
   * @return the expected request with that field
   */
  public ExpectedRequest toolsField(String name) {
    return new ExpectedRequest(
        method,
        path,
        headers,
        queryParameters,
        modelField,
        messagesField,
        streamField,
        Objects.requireNonNull(name, "name"));
  }

  /** {@return the HTTP method} */
  public String method() {
    return method;
  }

  /** {@return the path, without the query} */
  public String path() {
    return path;
  }

  /** {@return the headers that must be sent, names in lower case} */
  public Map<String, String> headers() {
    return headers;
  }

  /** {@return the query parameters that must be sent} */
  public Map<String, String> queryParameters() {
    return queryParameters;
  }

  /** {@return the body field naming the model, or null when the body has none} */
  public String modelField() {
    return modelField;
  }

  /** {@return the body field holding the messages} */
  public String messagesField() {
    return messagesField;
  }

  /** {@return the body field holding the stream flag, or null when the body has none} */
  public String streamField() {
    return streamField;
  }

  /** {@return the body field holding the offered tools} */
  public String toolsField() {
    return toolsField;
  }

  /**
   * Checks everything stated on one request the provider sent: method and path, headers and query
   * parameters, the model, the messages (with the names of the tools their calls call) and the
   * stream flag and, when the request offers tools, the tools.
   *
   * @param recorded what the server received
   * @param request the request the provider was given
   * @param model the model it had to ask for: the request's, else the provider's default
   * @throws AssertionError describing the first difference
   */
  public void verify(RecordedRequest recorded, CompletionRequest request, String model) {
    verifyMethodAndPath(recorded);
    verifyHeadersAndQuery(recorded);
    verifyModel(recorded, model);
    verifyMessages(recorded, request);
    verifyStream(recorded, request.stream());
    verifyTools(recorded, request);
  }

  void verifyMethodAndPath(RecordedRequest recorded) {
    assertThat(recorded.method()).as("the request's method").isEqualTo(method);
    assertThat(recorded.path()).as("the request's path").isEqualTo(path);
  }

  void verifyHeadersAndQuery(RecordedRequest recorded) {
    headers.forEach(
        (name, value) ->
            assertThat(recorded.headers().get(name))
                .as("the values of the header %s", name)
                .containsExactly(value));
    queryParameters.forEach(
        (name, value) ->
            assertThat(recorded.query())
                .as("the query of %s", recorded.target())
                .containsEntry(name, value));
  }

  void verifyModel(RecordedRequest recorded, String model) {
    if (modelField != null) {
      assertThat(recorded.bodyText())
          .as("the body names the model %s in its field \"%s\"", model, modelField)
          .containsPattern(JsonText.field(modelField, JsonText.string(model)));
    }
  }

  void verifyMessages(RecordedRequest recorded, CompletionRequest request) {
    String body = recorded.bodyText();
    Matcher start = JsonText.arrayStart(messagesField).matcher(body);
    assertThat(start.find())
        .as("the body has an array field \"%s\": %s", messagesField, body)
        .isTrue();
    int from = start.end();
    for (Message message : request.messages()) {
      // an assistant message that only calls tools has no text to find: its calls' names stand for
      // it
      if (!message.content().isEmpty() || message.toolCalls().isEmpty()) {
        from =
            find(
                body,
                JsonText.string(message.content()),
                from,
                "the %s message %s"
                    .formatted(
                        message.role().wireName(), LoopbackServer.jsonString(message.content())));
      }
      for (ToolCall call : message.toolCalls()) {
        from =
            find(
                body,
                JsonText.string(call.name()),
                from,
                "the %s message's call of the tool %s"
                    .formatted(message.role().wireName(), call.name()));
      }
    }
  }

  /**
   * The end of the first match of {@code regex} at or after {@code from}, asserting there is one.
   */
  private int find(String body, String regex, int from, String what) {
    Matcher found = Pattern.compile(regex).matcher(body);
    assertThat(found.find(from))
        .as(
            "the body carries %s after the start of \"%s\" and the messages before it: %s",
            what, messagesField, body)
        .isTrue();
    return found.end();
  }

  void verifyTools(RecordedRequest recorded, CompletionRequest request) {
    if (request.tools().isEmpty()) {
      return;
    }
    String body = recorded.bodyText();
    Matcher start = JsonText.field(toolsField, "[\\[{]").matcher(body);
    assertThat(start.find())
        .as("the body offers tools in an array or object field \"%s\": %s", toolsField, body)
        .isTrue();
    String offered = body.substring(start.end());
    for (Tool tool : request.tools()) {
      assertThat(offered)
          .as("the body offers the tool %s in \"%s\": %s", tool.name(), toolsField, body)
          .containsPattern(JsonText.string(tool.name()));
      if (!tool.description().isEmpty()) {
        assertThat(offered)
            .as("the body describes the tool %s in \"%s\": %s", tool.name(), toolsField, body)
            .containsPattern(JsonText.string(tool.description()));
      }
      for (String name : JsonText.memberNames(tool.parameters())) {
        assertThat(offered)
            .as(
                "the body carries the name %s of the tool %s's parameter schema in \"%s\": %s",
                LoopbackServer.jsonString(name), tool.name(), toolsField, body)
            .containsPattern(JsonText.string(name));
      }
    }
  }

  void verifyStream(RecordedRequest recorded, boolean stream) {
    if (streamField == null) {
      return;
    }
    Pattern asksForStream = JsonText.field(streamField, "true");
    if (stream) {
      assertThat(recorded.bodyText())
          .as("the body asks for a stream in its field \"%s\"", streamField)
          .containsPattern(asksForStream);
    } else {
      assertThat(recorded.bodyText())
          .as("the body does not ask for a stream in its field \"%s\"", streamField)
          .doesNotContainPattern(asksForStream);
    }
  }

  @Override
  public String toString() {
    return "ExpectedRequest["
        + method
        + " "
        + path
        + ", headers="
        + headers.keySet()
        + ", query="
        + queryParameters.keySet()
        + ", model="
        + modelField
        + ", messages="
        + messagesField
        + ", stream="
        + streamField
        + ", tools="
        + toolsField
        + "]";
  }
}
