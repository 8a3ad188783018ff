package dev.completions.opentelemetry;

import dev.completions.tck.ApiSnapshot;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * Regenerate with {@code ./mvnw -pl provider-opentelemetry test -Dtest=PublishedApiTest
 * -Dapi.update=true}.
 */
class PublishedApiTest {

  @Test
  void theListenerMatchesItsRecordedApi() throws Exception {
    ApiSnapshot.assertMatches(
        OpenTelemetryCallListener.class, Path.of("api", "provider-opentelemetry.txt"));
  }
}
