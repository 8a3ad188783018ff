package dev.completions.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.completions.api.ConfigSource;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Settings come from properties, then the environment, then defaults; bad values name the setting.
 */
class LocalSettingsTest {

  private static LocalSettings from(
      Map<String, String> properties, Map<String, String> environment) {
    return LocalSettings.from(ConfigSource.of(properties, environment));
  }

  private static LocalSettings fromProperty(String name, String value) {
    return from(Map.of(name, value), Map.of());
  }

  @Test
  void aPropertyWinsOverItsEnvironmentVariable() {
    LocalSettings settings =
        from(
            Map.of("local.contextSize", "4096"),
            Map.of(
                "LOCAL_CONTEXT_SIZE",
                "1024",
                "LOCAL_THREADS",
                "3",
                "LOCAL_MODEL",
                "/models/a.gguf"));

    assertThat(settings.contextSize()).isEqualTo(4096);
    assertThat(settings.threads()).isEqualTo(3);
    assertThat(settings.model()).isEqualTo("/models/a.gguf");
  }

  @Test
  void unsetSettingsTakeTheDefaults() {
    LocalSettings settings = from(Map.of(), Map.of("XDG_CACHE_HOME", "/xdg"));

    assertThat(settings.model()).isEqualTo(ModelStore.DEFAULT_MODEL);
    assertThat(settings.cache()).isEqualTo(Path.of("/xdg/completions"));
    assertThat(settings.contextSize()).isEqualTo(2048);
    assertThat(settings.queueTimeout()).isEqualTo(Duration.ofMinutes(5));
    assertThat(settings.huggingFace()).isEqualTo(URI.create("https://huggingface.co"));
  }

  @Test
  void localCacheFromTheEnvironmentWinsOverXdg() {
    assertThat(from(Map.of(), Map.of("LOCAL_CACHE", "/c", "XDG_CACHE_HOME", "/xdg")).cache())
        .isEqualTo(Path.of("/c"));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({"500ms, PT0.5S", "10s, PT10S", "2m, PT2M", "PT10S, PT10S", "30, PT30S", "0, PT0S"})
  void queueTimeoutAcceptsUnitsIsoAndBareSeconds(String value, Duration expected) {
    assertThat(fromProperty("local.queueTimeout", value).queueTimeout()).isEqualTo(expected);
  }

  @Test
  void aNegativeQueueTimeoutIsRefusedNamingTheForms() {
    assertThatThrownBy(() -> from(Map.of(), Map.of("LOCAL_QUEUE_TIMEOUT", "-1")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "local.queueTimeout: must be a duration from 0 to 24h such as 500ms, 10s, 2m, PT10S"
                + " or a number of seconds, got '-1'");
  }

  @Test
  void aThreadCountThatIsNotANumberIsRefused() {
    assertThatThrownBy(() -> fromProperty("local.threads", "many"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("local.threads: must be a whole number, got 'many'");
  }

  @Test
  void aHugeContextSizeIsRefusedSayingTheBound() {
    assertThatThrownBy(() -> fromProperty("local.contextSize", "100000000"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("local.contextSize: must be between 64 and 131072 tokens, got 100000000");
  }

  @Test
  void hfEndpointFromTheEnvironmentKeepsItsMeaning() {
    assertThat(from(Map.of(), Map.of("HF_ENDPOINT", "http://mirror.example:8080")).huggingFace())
        .isEqualTo(URI.create("http://mirror.example:8080"));
  }

  @Test
  void theHfEndpointPropertyWinsOverHfEndpoint() {
    assertThat(
            from(
                    Map.of("local.hfEndpoint", "https://a.example"),
                    Map.of("HF_ENDPOINT", "https://b.example"))
                .huggingFace())
        .isEqualTo(URI.create("https://a.example"));
  }

  @Test
  void aFileHfEndpointIsRefusedNamingHfEndpoint() {
    assertThatThrownBy(() -> from(Map.of(), Map.of("HF_ENDPOINT", "file:///srv/models")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "HF_ENDPOINT: must be an http:// or https:// URL such as https://huggingface.co,"
                + " got 'file:///srv/models'");
  }

  @Test
  void aMalformedHfEndpointPropertyIsRefusedNamingTheProperty() {
    assertThatThrownBy(() -> fromProperty("local.hfEndpoint", "http://bad host"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "local.hfEndpoint: must be an http:// or https:// URL such as https://huggingface.co,"
                + " got 'http://bad host'");
  }
}
