package dev.completions.api;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The author of a chat {@link Message}. Its {@link #wireName()} is the lower-case name chat APIs
 * use.
 */
public enum Role {
  /** Instructions that frame the conversation. */
  SYSTEM,
  /** The person asking. */
  USER,
  /** The model. */
  ASSISTANT,
  /** The result of a tool call the model made. */
  TOOL;

  /** {@return the lower-case name used on the wire and on the command line, e.g. {@code "user"}} */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * Parses a role name, ignoring case.
   *
   * @throws IllegalArgumentException naming the field and the allowed values when {@code name} is
   *     null or not a role
   * @param name the role's name, in any case
   * @return the role
   */
  public static Role of(String name) {
    if (name != null) {
      for (Role role : values()) {
        if (role.name().equalsIgnoreCase(name.strip())) {
          return role;
        }
      }
    }
    throw new IllegalArgumentException(
        "role: unknown role "
            + (name == null ? "null" : "'" + name + "'")
            + "; allowed: "
            + Arrays.stream(values()).map(Role::wireName).collect(Collectors.joining(", ")));
  }
}
