package dev.completions.registry;

/**
 * Something the registry could not load or could not decide, reported instead of thrown so that one
 * broken jar does not hide the other providers. Immutable.
 *
 * @param className the provider class concerned, or null when unknown
 * @param source where it came from (a jar or a services file), or null when unknown
 * @param reason what went wrong, in one line
 * @param cause the underlying error, or null
 */
public record LoadProblem(String className, String source, String reason, Throwable cause) {

  /** One line: the class, its source and the reason. */
  @Override
  public String toString() {
    return (className == null ? "" : className + " ")
        + (source == null ? "" : "(" + source + ") ")
        + reason;
  }
}
