package dev.completions.registry;

import dev.completions.tck.ApiSnapshot;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * Regenerate with {@code ./mvnw -pl provider-registry test -Dtest=PublishedApiTest
 * -Dapi.update=true}.
 */
class PublishedApiTest {

  @Test
  void theRegistryMatchesItsRecordedApi() throws Exception {
    ApiSnapshot.assertMatches(ProviderRegistry.class, Path.of("api", "provider-registry.txt"));
  }
}
