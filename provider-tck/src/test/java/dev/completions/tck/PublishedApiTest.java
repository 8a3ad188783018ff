package dev.completions.tck;

import dev.completions.api.CompletionProvider;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The recorded public APIs of provider-api (which cannot use the kit itself: the kit depends on it)
 * and of the kit. Regenerate with {@code ./mvnw -pl provider-tck test -Dapi.update=true}.
 */
class PublishedApiTest {

  @Test
  void providerApiMatchesItsRecordedApi() throws Exception {
    ApiSnapshot.assertMatches(
        CompletionProvider.class, Path.of("..", "provider-api", "api", "provider-api.txt"));
  }

  @Test
  void theKitMatchesItsRecordedApi() throws Exception {
    ApiSnapshot.assertMatches(LoopbackServer.class, Path.of("api", "provider-tck.txt"));
  }
}
