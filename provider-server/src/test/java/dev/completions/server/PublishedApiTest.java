package dev.completions.server;

import dev.completions.tck.ApiSnapshot;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * Regenerate with {@code ./mvnw -pl provider-server test -Dtest=PublishedApiTest
 * -Dapi.update=true}.
 */
class PublishedApiTest {

  @Test
  void theServerMatchesItsRecordedApi() throws Exception {
    ApiSnapshot.assertMatches(CompletionServer.class, Path.of("api", "provider-server.txt"));
  }
}
