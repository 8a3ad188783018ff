package dev.completions.openai;

import dev.completions.tck.ApiSnapshot;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * Regenerate with {@code ./mvnw -pl provider-openai test -Dtest=PublishedApiTest
 * -Dapi.update=true}.
 */
class PublishedApiTest {

  @Test
  void theExportedPackageMatchesItsRecordedApi() throws Exception {
    ApiSnapshot.assertMatches(ProviderConfig.class, Path.of("api", "provider-openai.txt"));
  }
}
