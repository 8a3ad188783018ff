package dev.completions.api;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where a provider reads its settings: the system property {@code prefix.key}, else the environment
 * variable {@code PREFIX_KEY}, else the caller's default. The environment name is the property name
 * upper-cased, with {@code .} and {@code -} turned into {@code _} and an {@code _} before each
 * upper-case letter of a camel-case key: {@code lockchat.maxEventBytes} is {@code
 * LOCKCHAT_MAX_EVENT_BYTES}, {@code ollama-native.url} is {@code OLLAMA_NATIVE_URL}. Blank values
 * count as unset; values are stripped.
 *
 * <p>Durations accept {@code 500ms}, {@code 10s}, {@code 2m}, ISO-8601 ({@code PT10S}) and a bare
 * number of seconds, from zero to 24 hours. Every parse error is an {@link
 * IllegalArgumentException} that names the setting, the value and the accepted forms.
 *
 * <p>Immutable and thread-safe; reads the JVM's properties and environment at each lookup.
 */
public final class ConfigSource {

  /** The longest duration any setting accepts. */
  private static final Duration LONGEST = Duration.ofHours(24);

  /** A decimal number and an optional unit; no signs, exponents or Java number suffixes. */
  private static final Pattern SIMPLE_DURATION =
      Pattern.compile("(\\d{1,12}(?:\\.\\d{1,9})?)\\s*(ms|s|m|)", Pattern.CASE_INSENSITIVE);

  private static final ConfigSource SYSTEM = new ConfigSource(System::getProperty, System::getenv);

  private final Function<String, String> properties;
  private final Function<String, String> environment;

  private ConfigSource(Function<String, String> properties, Function<String, String> environment) {
    this.properties = properties;
    this.environment = environment;
  }

  /** {@return the JVM's system properties, then its environment variables} */
  public static ConfigSource system() {
    return SYSTEM;
  }

  /**
   * A source over fixed maps, for tests and for embedding applications that keep settings
   * elsewhere.
   *
   * @param properties the values looked up by property name, such as {@code lockchat.url}
   * @param environment the values looked up by environment name, such as {@code LOCKCHAT_URL}
   * @return the source
   */
  public static ConfigSource of(Map<String, String> properties, Map<String, String> environment) {
    Map<String, String> p = Map.copyOf(properties);
    Map<String, String> e = Map.copyOf(environment);
    return new ConfigSource(p::get, e::get);
  }

  /**
   * The value of a setting, stripped; empty when it is unset or blank.
   *
   * @param name the property name, such as {@code lockchat.url}
   * @return the value, if set
   */
  public Optional<String> get(String name) {
    String value = properties.apply(Objects.requireNonNull(name, "name"));
    if (value == null || value.isBlank()) {
      value = environment.apply(environmentName(name));
    }
    return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.strip());
  }

  /**
   * The value of an environment variable alone, stripped; empty when it is unset or blank. For
   * secrets whose variable is named by the provider's declaration, such as {@code GROQ_API_KEY}.
   *
   * @param name the environment variable's name
   * @return the value, if set
   */
  public Optional<String> variable(String name) {
    String value = environment.apply(Objects.requireNonNull(name, "name"));
    return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.strip());
  }

  /**
   * The value of a setting, or {@code fallback} when it is unset or blank.
   *
   * @param name the property name, such as {@code lockchat.url}
   * @param fallback the value when the setting is unset
   * @return the value, or {@code fallback}
   */
  public String string(String name, String fallback) {
    return get(name).orElse(fallback);
  }

  /**
   * A duration setting, or {@code fallback} when it is unset.
   *
   * @throws IllegalArgumentException naming the setting when the value is not a duration
   * @param name the property name, such as {@code lockchat.url}
   * @param fallback the value when the setting is unset
   * @return the duration, or {@code fallback}
   */
  public Duration duration(String name, Duration fallback) {
    return get(name).map(value -> parseDuration(name, value)).orElse(fallback);
  }

  /**
   * A whole-number setting, or {@code fallback} when it is unset.
   *
   * @throws IllegalArgumentException naming the setting when the value is not a whole number
   * @param name the property name, such as {@code lockchat.url}
   * @param fallback the value when the setting is unset
   * @return the number, or {@code fallback}
   */
  public int integer(String name, int fallback) {
    return get(name).map(value -> parseInteger(name, value)).orElse(fallback);
  }

  /**
   * The environment variable that stands for a property: {@code lockchat.maxEventBytes} → {@code
   * LOCKCHAT_MAX_EVENT_BYTES}, {@code ollama-native.url} → {@code OLLAMA_NATIVE_URL}.
   *
   * @param name the property name
   * @return the variable's name
   */
  public static String environmentName(String name) {
    StringBuilder out = new StringBuilder(name.length() + 4);
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (c == '.' || c == '-') {
        out.append('_');
      } else if (Character.isUpperCase(c)) {
        if (i > 0 && out.charAt(out.length() - 1) != '_') {
          out.append('_');
        }
        out.append(c);
      } else {
        out.append(Character.toUpperCase(c));
      }
    }
    return out.toString();
  }

  /**
   * Parses {@code 500ms}, {@code 10s}, {@code 1.5s}, {@code 2m}, ISO-8601 such as {@code PT10S}, or
   * a bare number of seconds; from zero to 24 hours.
   *
   * @param name the setting, for the error message
   * @throws IllegalArgumentException naming the setting, the value and the accepted forms
   * @param text the text to parse
   * @return the duration
   */
  public static Duration parseDuration(String name, String text) {
    String value = text.strip();
    Duration parsed = null;
    Matcher simple = SIMPLE_DURATION.matcher(value);
    try {
      if (simple.matches()) {
        BigDecimal amount = new BigDecimal(simple.group(1));
        String unit = simple.group(2).toLowerCase(Locale.ROOT);
        BigDecimal millis =
            amount.multiply(
                unit.equals("ms")
                    ? BigDecimal.ONE
                    : unit.equals("m") ? BigDecimal.valueOf(60_000) : BigDecimal.valueOf(1000));
        if (millis.compareTo(BigDecimal.valueOf(LONGEST.toMillis())) <= 0) {
          parsed = Duration.ofMillis(millis.setScale(0, RoundingMode.HALF_UP).longValueExact());
        }
      } else if (value.regionMatches(true, 0, "P", 0, 1)) {
        parsed = Duration.parse(value.toUpperCase(Locale.ROOT));
      }
    } catch (ArithmeticException | DateTimeParseException e) {
      parsed = null;
    }
    if (parsed == null || parsed.isNegative() || parsed.compareTo(LONGEST) > 0) {
      throw new IllegalArgumentException(
          name
              + ": must be a duration from 0 to 24h such as 500ms, 10s, 2m, PT10S"
              + " or a number of seconds, got '"
              + text
              + "'");
    }
    return parsed;
  }

  /**
   * Parses a whole number.
   *
   * @param name the setting, for the error message
   * @throws IllegalArgumentException naming the setting and the value
   * @param text the text to parse
   * @return the number
   */
  public static int parseInteger(String name, String text) {
    try {
      return Integer.parseInt(text.strip());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + ": must be a whole number, got '" + text + "'");
    }
  }

  @Override
  public String toString() {
    return this == SYSTEM
        ? "ConfigSource[system properties, then environment]"
        : "ConfigSource[fixed maps]";
  }
}
