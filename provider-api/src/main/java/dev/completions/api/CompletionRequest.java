package dev.completions.api;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One chat-completion request: {@code model, messages, stream, temperature, max_tokens, stop} and
 * provider options, as gpt4free's providers take them, plus the tools the model may call, how it
 * must choose among them, and the shape of its output. Immutable and thread-safe; validated when
 * built, before any I/O.
 *
 * <p>Absent values: an unset model, temperature, token limit, tool choice or response format is
 * null and means the provider's default; unset lists (stop sequences, tools) are empty.
 *
 * @param model the model id, or null for the provider's default model; never blank
 * @param messages the conversation, never empty
 * @param stream whether tokens should arrive as they are generated; either way the answer is read
 *     through the same {@link CompletionStream}
 * @param temperature randomness of generation, in [0, 2], or null for the provider's default (see
 *     {@link Parameters#withDefaults})
 * @param maxTokens the most tokens to generate, at least 1, or null for the provider's default;
 *     each provider sends it under its own wire name (OpenAI {@code max_tokens}, Ollama {@code
 *     num_predict})
 * @param stop sequences at which generation stops, each non-empty; empty for none; each provider
 *     sends them under its own wire name (OpenAI {@code stop}, Anthropic {@code stop_sequences})
 * @param tools the functions the model may call; empty for none
 * @param toolChoice how the model chooses among the tools, or null for the provider's default
 *     ({@code auto} when tools are offered)
 * @param responseFormat the shape of the output, or null for free text
 * @param options provider-specific parameters by wire name (e.g. {@code top_p}); the provider
 *     refuses any it does not declare, see {@link Parameters#validate}
 */
public record CompletionRequest(
    String model,
    List<Message> messages,
    boolean stream,
    Double temperature,
    Integer maxTokens,
    List<String> stop,
    List<Tool> tools,
    ToolChoice toolChoice,
    ResponseFormat responseFormat,
    Map<String, Object> options) {

  /** The default temperature of OpenAI-style providers. */
  public static final double DEFAULT_TEMPERATURE = 0.7;

  /**
   * @throws IllegalArgumentException naming the field and what is allowed when the model is blank,
   *     there are no messages or a null one, the temperature is outside [0, 2], the token limit is
   *     below 1, a stop sequence is null or empty, tools repeat a name, the tool choice names a
   *     tool not offered (or any tool when none is offered), or an option has a blank name, a null
   *     value or the name of a request field
   * @param model the model id, or null for the provider's default model; never blank
   * @param messages the conversation, never empty
   * @param stream whether tokens should arrive as they are generated; either way the answer is read
   *     through the same {@link CompletionStream}
   * @param temperature randomness of generation, in [0, 2], or null for the provider's default (see
   *     {@link Parameters#withDefaults})
   * @param maxTokens the most tokens to generate, at least 1, or null for the provider's default
   * @param stop sequences at which generation stops, each non-empty; null or empty for none
   * @param tools the functions the model may call; empty for none
   * @param toolChoice how the model chooses among the tools, or null for the provider's default
   *     ({@code auto} when tools are offered)
   * @param responseFormat the shape of the output, or null for free text
   * @param options provider-specific parameters by wire name (e.g. {@code top_p}); the provider
   *     refuses any it does not declare, see {@link Parameters#validate}
   */
  public CompletionRequest {
    if (model != null && model.isBlank()) {
      throw new IllegalArgumentException(
          "model: must not be blank (leave it unset for the provider's default)");
    }
    if (messages == null || messages.isEmpty()) {
      throw new IllegalArgumentException("messages: at least one message is required");
    }
    if (messages.stream()
        .anyMatch(java.util.Objects::isNull)) { // List.of(...).contains(null) would throw
      throw new IllegalArgumentException("messages: must not contain null");
    }
    messages = List.copyOf(messages);
    if (temperature != null && !(temperature >= 0.0 && temperature <= 2.0)) {
      throw new IllegalArgumentException(
          "temperature: must be between 0 and 2, got " + temperature);
    }
    if (maxTokens != null && maxTokens < 1) {
      throw new IllegalArgumentException("max_tokens: must be at least 1, got " + maxTokens);
    }
    if (stop == null || stop.isEmpty()) {
      stop = List.of();
    } else {
      for (String sequence : stop) {
        if (sequence == null || sequence.isEmpty()) {
          throw new IllegalArgumentException(
              "stop: stop sequences must not be null or empty, got " + stop);
        }
      }
      stop = List.copyOf(stop);
    }
    tools = tools == null ? List.of() : List.copyOf(tools);
    Set<String> names = new HashSet<>();
    for (Tool tool : tools) {
      if (!names.add(tool.name())) {
        throw new IllegalArgumentException(
            "tools: the name '" + tool.name() + "' is offered twice");
      }
    }
    if (toolChoice instanceof ToolChoice.Named named && !names.contains(named.name())) {
      throw new IllegalArgumentException(
          "tool_choice: names the tool '"
              + named.name()
              + "', which is not offered; "
              + (names.isEmpty()
                  ? "no tools are offered"
                  : "offered: " + String.join(", ", names)));
    }
    if (toolChoice == ToolChoice.Mode.REQUIRED && tools.isEmpty()) {
      throw new IllegalArgumentException("tool_choice: required, but no tools are offered");
    }
    if (options == null || options.isEmpty()) {
      options = Map.of();
    } else {
      Map<String, Object> copy = new LinkedHashMap<>();
      options.forEach(
          (name, value) -> {
            if (name == null || name.isBlank()) {
              throw new IllegalArgumentException("options: option names must not be blank");
            }
            if (value == null) {
              throw new IllegalArgumentException("options: option '" + name + "' has a null value");
            }
            if (Parameters.STANDARD.contains(name)) {
              throw new IllegalArgumentException(
                  "options: '"
                      + name
                      + "' is a request field, not an option: set it with the builder's "
                      + Parameters.builderMethod(name)
                      + "(...)");
            }
            copy.put(name, value);
          });
      options = Collections.unmodifiableMap(copy);
    }
  }

  /** {@return what a provider needs to serve this request, beyond text in and out} */
  public Set<Capability> requiredCapabilities() {
    if (tools.isEmpty() && toolChoice == null && responseFormat == null && allPlainText()) {
      return Set.of(); // the common request: nothing made before its exchange
    }
    EnumSet<Capability> needed = EnumSet.noneOf(Capability.class);
    if (!tools.isEmpty() || toolChoice != null) {
      needed.add(Capability.TOOLS);
    }
    for (Message message : messages) {
      if (!message.toolCalls().isEmpty() || message.toolCallId() != null) {
        needed.add(Capability.TOOLS);
      }
      if (!message.images().isEmpty()) {
        needed.add(Capability.IMAGE_INPUT);
      }
    }
    if (responseFormat instanceof ResponseFormat.JsonObject) {
      needed.add(Capability.JSON_OUTPUT);
    } else if (responseFormat instanceof ResponseFormat.JsonSchema) {
      needed.add(Capability.JSON_SCHEMA_OUTPUT);
    }
    return needed.isEmpty() ? Set.of() : Collections.unmodifiableSet(needed);
  }

  private boolean allPlainText() {
    for (int i = 0; i < messages.size(); i++) {
      if (!messages.get(i).isPlainText()) {
        return false;
      }
    }
    return true;
  }

  /**
   * A streaming request with the default model and temperature and one user message.
   *
   * @param userPrompt the user's message
   * @return the request
   */
  public static CompletionRequest of(String userPrompt) {
    return builder().user(userPrompt).build();
  }

  /**
   * {@return a new builder: no model (the provider's default), streaming, the provider's
   * temperature and token limit, no stop sequences, no tools, no options}
   */
  public static Builder builder() {
    return new Builder();
  }

  /** {@return a builder holding this request's values} */
  public Builder toBuilder() {
    Builder builder =
        new Builder()
            .model(model).stream(stream).toolChoice(toolChoice).responseFormat(responseFormat);
    builder.temperature = temperature;
    builder.maxTokens = maxTokens;
    builder.stop.addAll(stop);
    builder.messages.addAll(messages);
    builder.tools.addAll(tools);
    builder.options.putAll(options);
    return builder;
  }

  /** Builds {@link CompletionRequest}s. Not thread-safe. */
  public static final class Builder {
    private String model;
    private final List<Message> messages = new ArrayList<>();
    private boolean stream = true;
    private Double temperature;
    private Integer maxTokens;
    private final List<String> stop = new ArrayList<>();
    private final List<Tool> tools = new ArrayList<>();
    private ToolChoice toolChoice;
    private ResponseFormat responseFormat;
    private final Map<String, Object> options = new LinkedHashMap<>();

    private Builder() {}

    /**
     * The model id; null means the provider's default.
     *
     * @param model the model id, or null
     * @return this builder
     */
    public Builder model(String model) {
      this.model = model;
      return this;
    }

    /**
     * Appends a message.
     *
     * @param message the message
     * @return this builder
     */
    public Builder message(Message message) {
      messages.add(message);
      return this;
    }

    /**
     * Appends messages.
     *
     * @param messages the messages, in order
     * @return this builder
     */
    public Builder messages(List<Message> messages) {
      this.messages.addAll(messages);
      return this;
    }

    /**
     * Appends a {@link Role#SYSTEM} message.
     *
     * @param content the message's text
     * @return this builder
     */
    public Builder system(String content) {
      return message(Message.system(content));
    }

    /**
     * Appends a {@link Role#USER} message.
     *
     * @param content the message's text
     * @return this builder
     */
    public Builder user(String content) {
      return message(Message.user(content));
    }

    /**
     * Whether to stream (default true).
     *
     * @param stream true to stream
     * @return this builder
     */
    public Builder stream(boolean stream) {
      this.stream = stream;
      return this;
    }

    /**
     * The temperature, in [0, 2] (default: the provider's).
     *
     * @param temperature the temperature
     * @return this builder
     */
    public Builder temperature(double temperature) {
      this.temperature = temperature;
      return this;
    }

    /**
     * The most tokens to generate, at least 1 (default: the provider's).
     *
     * @param maxTokens the limit
     * @return this builder
     */
    public Builder maxTokens(int maxTokens) {
      this.maxTokens = maxTokens;
      return this;
    }

    /**
     * The sequences at which generation stops, replacing any set before (default: none).
     *
     * @param sequences the stop sequences, each non-empty
     * @return this builder
     */
    public Builder stop(List<String> sequences) {
      stop.clear();
      stop.addAll(sequences);
      return this;
    }

    /**
     * Offers a tool the model may call.
     *
     * @param tool the tool
     * @return this builder
     */
    public Builder tool(Tool tool) {
      tools.add(tool);
      return this;
    }

    /**
     * How the model chooses among the tools (default: the provider's, {@code auto}).
     *
     * @param choice the choice
     * @return this builder
     */
    public Builder toolChoice(ToolChoice choice) {
      this.toolChoice = choice;
      return this;
    }

    /**
     * The shape of the output (default: free text).
     *
     * @param format the format
     * @return this builder
     */
    public Builder responseFormat(ResponseFormat format) {
      this.responseFormat = format;
      return this;
    }

    /**
     * Sets a provider-specific option by its wire name, e.g. {@code option("top_p", 0.9)}. A value
     * may be text (converted to the declared type), a number, a boolean, a list, or a map for an
     * option whose declared type is a record or a map (for example Anthropic's {@code thinking}).
     *
     * @param name the option's wire name
     * @param value its value
     * @return this builder
     */
    public Builder option(String name, Object value) {
      options.put(name, value);
      return this;
    }

    /**
     * Builds the request.
     *
     * @throws IllegalArgumentException as the {@link CompletionRequest} constructor does
     * @return the request
     */
    public CompletionRequest build() {
      return new CompletionRequest(
          model,
          messages,
          stream,
          temperature,
          maxTokens,
          stop,
          tools,
          toolChoice,
          responseFormat,
          options);
    }
  }
}
