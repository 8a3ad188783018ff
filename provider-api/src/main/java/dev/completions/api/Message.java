package dev.completions.api;

/**
 * One chat message: who wrote it and what it says. Immutable and thread-safe.
 *
 * @param role the author; never null
 * @param content the text; never null (it may be empty)
 */
public record Message(Role role, String content) {

  /** @throws IllegalArgumentException when {@code role} or {@code content} is null */
  public Message {
    if (role == null) {
      throw new IllegalArgumentException("role: must not be null; allowed: system, user, assistant, tool");
    }
    if (content == null) {
      throw new IllegalArgumentException("content: must not be null (use \"\" for an empty message)");
    }
  }

  /** A message from a role given by name, e.g. {@code of("user", "Hi")}; see {@link Role#of}. */
  public static Message of(String role, String content) {
    return new Message(Role.of(role), content);
  }

  /** A {@link Role#SYSTEM} message. */
  public static Message system(String content) {
    return new Message(Role.SYSTEM, content);
  }

  /** A {@link Role#USER} message. */
  public static Message user(String content) {
    return new Message(Role.USER, content);
  }

  /** An {@link Role#ASSISTANT} message. */
  public static Message assistant(String content) {
    return new Message(Role.ASSISTANT, content);
  }
}
