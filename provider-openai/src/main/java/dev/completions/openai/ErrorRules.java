package dev.completions.openai;

import dev.completions.api.ProviderException;
import dev.completions.api.ProviderException.Kind;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * Turns what a server says went wrong into a typed {@link ProviderException}: an HTTP status with
 * its body, an error object inside a 200 stream, or a line outside the wire format. The provider's
 * own rules are tried first, in the order added, on the error's text; then OpenAI's mapping applies
 * ({@link #openAi()}). Immutable and thread-safe: {@link #rule} returns a new instance.
 *
 * <p>OpenAI's mapping: 400 is a bad request (a content-filter text makes it {@code
 * content_filter}), 401 and 403 are authentication, 404 is a model that does not exist (not
 * retried), 408 is a timeout, 409 a retryable conflict, 413 a bad request, 429 a rate limit (a
 * quota text makes it {@code quota}), 5xx and 529 server errors. An error object in a stream is
 * mapped by the HTTP-like {@code code} it carries, else by its text.
 */
public final class ErrorRules {

  private static final int BODY_EXCERPT = 200;
  private static final Pattern TAGS = Pattern.compile("<[^>]*>");
  private static final Pattern SPACES = Pattern.compile("\\s+");
  private static final ErrorRules OPENAI = new ErrorRules(List.of());

  /**
   * One rule: when the error's text (message, type and code, in any case) matches, the error is of
   * this kind and retried or not as said.
   *
   * @param matches tested on the error text, lower-cased
   * @param kind the kind of error
   * @param retryable whether a request failing so may be tried again
   */
  public record Rule(Predicate<String> matches, Kind kind, boolean retryable) {
    /**
     * Checks the rule.
     *
     * @param matches tested on the error text, lower-cased; not null
     * @param kind the kind of error; not null
     * @param retryable whether a request failing so may be tried again
     * @throws NullPointerException when {@code matches} or {@code kind} is null
     */
    public Rule {
      Objects.requireNonNull(matches, "matches");
      Objects.requireNonNull(kind, "kind");
    }
  }

  private final List<Rule> rules;

  private ErrorRules(List<Rule> rules) {
    this.rules = List.copyOf(rules);
  }

  /**
   * {@return OpenAI's mapping alone, with no rules of a provider's own: the default of every {@link
   * ProviderConfig}}
   */
  public static ErrorRules openAi() {
    return OPENAI;
  }

  /**
   * These rules with one more, tried after the ones already added and before OpenAI's mapping.
   *
   * @param whenTextMatches tested on the lower-cased error text (message, type and code); not null
   * @param kind the kind of error when it matches; not null
   * @param retryable whether a request failing so may be tried again (before the first token, while
   *     attempts remain)
   * @return new rules: these and the new one last; this instance is unchanged
   * @throws NullPointerException when {@code whenTextMatches} or {@code kind} is null
   */
  public ErrorRules rule(Predicate<String> whenTextMatches, Kind kind, boolean retryable) {
    List<Rule> more = new ArrayList<>(rules);
    more.add(new Rule(whenTextMatches, kind, retryable));
    return new ErrorRules(more);
  }

  /**
   * {@return the provider's own rules, in the order they are tried; unmodifiable, empty for {@link
   * #openAi()}}
   */
  public List<Rule> rules() {
    return rules;
  }

  /**
   * The error for an HTTP status of 400 or more.
   *
   * @param provider the provider's name
   * @param status the HTTP status
   * @param detail the readable message (a JSON error's message, else an {@link #excerpt} of the
   *     body)
   * @param text everything known of the error (message, type, code), matched by the rules; null
   *     counts as empty
   * @return a builder with the kind, the HTTP status, the message {@code HTTP <status>: <detail>}
   *     and, where a rule or the mapping says so, the retryability set; the caller may add more
   *     (such as a retry delay) before building
   */
  public ProviderException.Builder forStatus(
      String provider, int status, String detail, String text) {
    String lower = text == null ? "" : text.toLowerCase(Locale.ROOT);
    String message = "HTTP " + status + (detail == null || detail.isEmpty() ? "" : ": " + detail);
    Rule own = ownRule(lower);
    if (own != null) {
      return ProviderException.builder(own.kind(), provider)
          .message(message)
          .retryable(own.retryable())
          .httpStatus(status);
    }
    return forCode(provider, status, lower, message).httpStatus(status);
  }

  /**
   * The error for an error object or error event inside a successful (200) answer.
   *
   * @param provider the provider's name
   * @param detail the readable message
   * @param text everything known of the error (message, type, code), matched by the rules
   * @param code the HTTP-like status the error object carries ({@code "code": 429}), or -1; a value
   *     outside 400 to 599 is ignored
   * @return a builder with the kind, the message {@code error in the stream: <detail>} and, where a
   *     rule or the mapping says so, the retryability set; no HTTP status
   */
  public ProviderException.Builder forEvent(String provider, String detail, String text, int code) {
    String lower =
        ((detail == null ? "" : detail) + " " + (text == null ? "" : text))
            .toLowerCase(Locale.ROOT);
    String message = "error in the stream: " + detail;
    Rule own = ownRule(lower);
    if (own != null) {
      return ProviderException.builder(own.kind(), provider)
          .message(message)
          .retryable(own.retryable());
    }
    if (code >= 400 && code <= 599) {
      return forCode(provider, code, lower, message);
    }
    Kind kind;
    if (isContentFilter(lower)) {
      kind = Kind.CONTENT_FILTER;
    } else if (lower.contains("insufficient_quota")) {
      kind = Kind.QUOTA;
    } else if (lower.contains("rate_limit") || lower.contains("rate limit")) {
      kind = Kind.RATE_LIMIT;
    } else if (lower.contains("model_not_found")) {
      kind = Kind.MODEL_NOT_FOUND;
    } else if (lower.contains("invalid_request")
        || lower.contains("context length")
        || lower.contains("context_length")) {
      kind = Kind.BAD_REQUEST;
    } else if (lower.contains("authentication") || lower.contains("invalid_api_key")) {
      kind = Kind.AUTH;
    } else {
      kind = Kind.SERVER;
    }
    return ProviderException.builder(kind, provider).message(message);
  }

  /**
   * The error for a line outside the wire format, when one of the provider's own rules matches it.
   * OpenAI's mapping does not apply to stray lines.
   *
   * @param provider the provider's name
   * @param line the line as read, not null; its stripped text becomes the message
   * @return the error, or null when no rule of the provider's matches (the line is then ignored)
   */
  public ProviderException.Builder forStrayLine(String provider, String line) {
    Rule own = ownRule(line.toLowerCase(Locale.ROOT));
    return own == null
        ? null
        : ProviderException.builder(own.kind(), provider)
            .message(line.strip())
            .retryable(own.retryable());
  }

  /**
   * The start of a body as one readable line: markup removed, whitespace collapsed, at most 200
   * characters.
   *
   * @param body the body's text, or null
   * @return the excerpt, followed by {@code …} when cut; empty when {@code body} is null
   */
  public static String excerpt(String body) {
    if (body == null) {
      return "";
    }
    String text = SPACES.matcher(TAGS.matcher(body).replaceAll(" ")).replaceAll(" ").strip();
    return text.length() <= BODY_EXCERPT ? text : text.substring(0, BODY_EXCERPT) + "…";
  }

  private Rule ownRule(String lowerText) {
    for (Rule rule : rules) {
      if (rule.matches().test(lowerText)) {
        return rule;
      }
    }
    return null;
  }

  private static ProviderException.Builder forCode(
      String provider, int status, String lower, String message) {
    Kind kind;
    Boolean retryable = null;
    if (status == 400 && isContentFilter(lower)) {
      kind = Kind.CONTENT_FILTER;
    } else if (status == 401 || status == 403) {
      kind = Kind.AUTH;
    } else if (status == 404) {
      kind = Kind.MODEL_NOT_FOUND;
      retryable = false;
    } else if (status == 408) {
      kind = Kind.TIMEOUT;
    } else if (status == 409) {
      kind = Kind.BAD_REQUEST;
      retryable = true;
    } else if (status == 429) {
      kind =
          lower.contains("insufficient_quota") || lower.contains("quota")
              ? Kind.QUOTA
              : Kind.RATE_LIMIT;
    } else if (status >= 500) {
      kind = Kind.SERVER;
    } else {
      kind = Kind.BAD_REQUEST;
    }
    ProviderException.Builder builder = ProviderException.builder(kind, provider).message(message);
    return retryable == null ? builder : builder.retryable(retryable);
  }

  private static boolean isContentFilter(String lowerText) {
    return lowerText.contains("content_filter")
        || lowerText.contains("content_policy")
        || lowerText.contains("content management policy")
        || lowerText.contains("content filter");
  }

  @Override
  public String toString() {
    return "ErrorRules[" + rules.size() + " own rule(s), then OpenAI's mapping]";
  }
}
