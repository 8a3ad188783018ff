package dev.completions.lockchat;

import dev.completions.api.CompletionProvider;
import dev.completions.tck.OpenAiSse;
import dev.completions.tck.ProviderConformanceTest;
import dev.completions.tck.WireFormat;
import java.net.URI;
import java.time.Duration;

/** Lockchat passes the provider kit: OpenAI-style server-sent events. */
class LockchatConformanceTest extends ProviderConformanceTest {

  @Override
  protected CompletionProvider createProvider(URI baseUrl, Duration idleTimeout) {
    return new LockchatProvider(LockchatProvider.DEFAULTS.toBuilder()
        .baseUrl(baseUrl)
        .idleTimeout(idleTimeout)
        .attempts(1)
        .build());
  }

  @Override
  protected WireFormat wireFormat() {
    return OpenAiSse.wireFormat();
  }
}
