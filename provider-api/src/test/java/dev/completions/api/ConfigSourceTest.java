package dev.completions.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ConfigSourceTest {

  @ParameterizedTest(name = "{0} is {1} ms")
  @CsvSource({
    "500ms, 500",
    "10s, 10000",
    "1.5s, 1500",
    "2m, 120000",
    "PT10S, 10000",
    "pt0.25s, 250",
    "7, 7000",
    "0.5, 500",
    "' 3s ', 3000",
    "86400, 86400000",
    "PT24H, 86400000"
  })
  void everyDurationFormIsAccepted(String text, long millis) {
    assertThat(ConfigSource.parseDuration("x.timeout", text)).isEqualTo(Duration.ofMillis(millis));
  }

  @ParameterizedTest(name = "''{0}'' is refused")
  @CsvSource({
    "ten seconds",
    "10h",
    "-5s",
    "PT-1S",
    "NaN",
    "ms",
    "2d",
    "1.5f",
    "1e400s",
    "25h",
    "PT25H",
    "86401"
  })
  void aBadDurationNamesTheSettingTheValueAndTheForms(String text) {
    assertThatThrownBy(() -> ConfigSource.parseDuration("groq.idleTimeout", text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "groq.idleTimeout: must be a duration from 0 to 24h such as 500ms, 10s, 2m, PT10S or a number of seconds, got '"
                + text
                + "'");
  }

  @Test
  void aPropertyWinsOverTheEnvironmentWhichWinsOverTheDefault() {
    ConfigSource both =
        ConfigSource.of(Map.of("groq.url", "http://p"), Map.of("GROQ_URL", "http://e"));
    ConfigSource environmentOnly = ConfigSource.of(Map.of(), Map.of("GROQ_URL", " http://e "));
    ConfigSource neither = ConfigSource.of(Map.of("groq.url", "  "), Map.of());

    assertThat(both.string("groq.url", "http://d")).isEqualTo("http://p");
    assertThat(environmentOnly.string("groq.url", "http://d")).isEqualTo("http://e");
    assertThat(neither.string("groq.url", "http://d")).isEqualTo("http://d");
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({
    "lockchat.url, LOCKCHAT_URL",
    "lockchat.maxEventBytes, LOCKCHAT_MAX_EVENT_BYTES",
    "ollama-native.url, OLLAMA_NATIVE_URL",
    "groq.apiKey, GROQ_API_KEY",
    "local.queueTimeout, LOCAL_QUEUE_TIMEOUT"
  })
  void environmentNamesFollowThePropertyNames(String property, String environment) {
    assertThat(ConfigSource.environmentName(property)).isEqualTo(environment);
  }

  @Test
  void aBadWholeNumberNamesTheSetting() {
    ConfigSource source = ConfigSource.of(Map.of("lockchat.attempts", "three"), Map.of());

    assertThatThrownBy(() -> source.integer("lockchat.attempts", 3))
        .hasMessage("lockchat.attempts: must be a whole number, got 'three'");
    assertThat(ConfigSource.of(Map.of(), Map.of()).integer("lockchat.attempts", 3)).isEqualTo(3);
  }
}
