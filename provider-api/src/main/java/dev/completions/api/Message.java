package dev.completions.api;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * One chat message: who wrote it and what it says, in one or more parts (text, images). An
 * assistant message may carry the tool calls it made; a tool message carries the id of the call it
 * answers. Immutable and thread-safe.
 *
 * @param role the author; never null
 * @param parts the content, in order; never null, may be empty only for an assistant message with
 *     tool calls
 * @param toolCalls the calls an assistant message made; empty for every other message
 * @param toolCallId the id of the call a tool message answers; null for every other message
 */
public record Message(
    Role role, List<ContentPart> parts, List<ToolCall> toolCalls, String toolCallId) {

  /**
   * @throws IllegalArgumentException naming the field: a null role or part, images outside a user
   *     message, tool calls outside an assistant message or with a blank id, an invalid name or
   *     arguments that are not JSON, a tool message without a call id, or a call id elsewhere
   * @param role the author; never null
   * @param parts the content, in order; never null, may be empty only for an assistant message with
   *     tool calls
   * @param toolCalls the calls an assistant message made; empty for every other message
   * @param toolCallId the id of the call a tool message answers; null for every other message
   */
  public Message {
    if (role == null) {
      throw new IllegalArgumentException(
          "role: must not be null; allowed: system, user, assistant, tool");
    }
    if (parts == null || parts.stream().anyMatch(java.util.Objects::isNull)) {
      throw new IllegalArgumentException(
          "content: must not be null (use \"\" for an empty message)");
    }
    parts = List.copyOf(parts);
    toolCalls = toolCalls == null ? List.of() : List.copyOf(toolCalls);
    if (role != Role.USER && parts.stream().anyMatch(ContentPart.Image.class::isInstance)) {
      throw new IllegalArgumentException(
          "content: images are allowed in user messages only, not " + role.wireName());
    }
    if (!toolCalls.isEmpty() && role != Role.ASSISTANT) {
      throw new IllegalArgumentException(
          "tool_calls: only an assistant message carries tool calls, not " + role.wireName());
    }
    Set<String> ids = new HashSet<>();
    for (ToolCall call : toolCalls) {
      if (call.id().isBlank() || !ids.add(call.id())) {
        throw new IllegalArgumentException(
            "tool_calls: each call needs an id of its own, got '" + call.id() + "'");
      }
      new Tool(call.name(), "", Tool.NO_PARAMETERS); // the name rules of a tool
      if (!JsonSyntax.isValue(call.arguments())) {
        throw new IllegalArgumentException(
            "tool_calls[" + call.id() + "].arguments: must be JSON, such as {}");
      }
    }
    if (role == Role.TOOL && (toolCallId == null || toolCallId.isBlank())) {
      throw new IllegalArgumentException(
          "tool_call_id: a tool message must name the call it answers");
    }
    if (role != Role.TOOL && toolCallId != null) {
      throw new IllegalArgumentException(
          "tool_call_id: only a tool message answers a call, not " + role.wireName());
    }
    if (parts.isEmpty() && toolCalls.isEmpty()) {
      throw new IllegalArgumentException(
          "content: must not be null (use \"\" for an empty message)");
    }
  }

  /**
   * A text message.
   *
   * @throws IllegalArgumentException when the role or content is null, or the role is {@code tool}
   *     (use {@link #tool(String, String)})
   * @param role who speaks
   * @param content the text
   */
  public Message(Role role, String content) {
    this(role, content == null ? null : List.of(ContentPart.text(content)), List.of(), null);
  }

  /**
   * A message from a role given by name, e.g. {@code of("user", "Hi")}; see {@link Role#of}.
   *
   * @param role the role's name, in any case
   * @param content the text
   * @return the message
   */
  public static Message of(String role, String content) {
    return new Message(Role.of(role), content);
  }

  /**
   * A {@link Role#SYSTEM} message.
   *
   * @param content the text
   * @return the message
   */
  public static Message system(String content) {
    return new Message(Role.SYSTEM, content);
  }

  /**
   * A {@link Role#USER} message.
   *
   * @param content the text
   * @return the message
   */
  public static Message user(String content) {
    return new Message(Role.USER, content);
  }

  /**
   * A {@link Role#USER} message of text followed by more parts, such as images.
   *
   * @param text the first part's text
   * @param more the parts that follow
   * @return the message
   */
  public static Message user(String text, ContentPart... more) {
    List<ContentPart> parts = new ArrayList<>(1 + more.length);
    parts.add(ContentPart.text(text));
    parts.addAll(List.of(more));
    return new Message(Role.USER, parts, List.of(), null);
  }

  /**
   * An {@link Role#ASSISTANT} message.
   *
   * @param content the text
   * @return the message
   */
  public static Message assistant(String content) {
    return new Message(Role.ASSISTANT, content);
  }

  /**
   * An {@link Role#ASSISTANT} message that made these tool calls (and said nothing else).
   *
   * @param toolCalls the calls the model made
   * @return the message
   */
  public static Message assistant(List<ToolCall> toolCalls) {
    return new Message(Role.ASSISTANT, List.of(), toolCalls, null);
  }

  /**
   * A {@link Role#TOOL} message: the result of the call with this id.
   *
   * @param toolCallId the id of the call answered
   * @param result the call's result
   * @return the message
   */
  public static Message tool(String toolCallId, String result) {
    return new Message(Role.TOOL, List.of(ContentPart.text(result)), List.of(), toolCallId);
  }

  /** {@return the text parts, joined; "" when there are none} */
  public String content() {
    if (parts.size() == 1 && parts.get(0) instanceof ContentPart.Text text) {
      return text.text();
    }
    StringBuilder joined = new StringBuilder();
    for (ContentPart part : parts) {
      if (part instanceof ContentPart.Text text) {
        joined.append(text.text());
      }
    }
    return joined.toString();
  }

  /** {@return whether the content is exactly one text part (the common, plain message)} */
  public boolean isPlainText() {
    return parts.size() == 1
        && parts.get(0) instanceof ContentPart.Text
        && toolCalls.isEmpty()
        && toolCallId == null;
  }

  /** {@return the images among the parts} */
  public List<ContentPart.Image> images() {
    List<ContentPart.Image> images = new ArrayList<>();
    for (ContentPart part : parts) {
      if (part instanceof ContentPart.Image image) {
        images.add(image);
      }
    }
    return images;
  }
}
