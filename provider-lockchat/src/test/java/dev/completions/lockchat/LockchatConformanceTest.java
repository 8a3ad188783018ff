package dev.completions.lockchat;

import dev.completions.api.CompletionProvider;
import dev.completions.tck.ExpectedRequest;
import dev.completions.tck.OpenAiSse;
import dev.completions.tck.ProviderConformanceTest;
import dev.completions.tck.WireFormat;
import java.net.URI;
import java.time.Duration;

/**
 * Lockchat passes the provider kit: OpenAI-style server-sent events, its token in the query, its
 * default retries.
 */
class LockchatConformanceTest extends ProviderConformanceTest {

  @Override
  protected CompletionProvider createProvider(URI baseUrl, Duration timeout) {
    return new LockchatProvider(
        LockchatProvider.DEFAULTS.toBuilder()
            .baseUrl(baseUrl)
            .firstByteTimeout(timeout)
            .idleTimeout(timeout)
            .build());
  }

  @Override
  protected int attempts() {
    return LockchatProvider.DEFAULTS.attempts();
  }

  @Override
  protected WireFormat wireFormat() {
    return OpenAiSse.wireFormat();
  }

  @Override
  protected ExpectedRequest expectedRequest() {
    return ExpectedRequest.post("/v1/chat/completions")
        .queryParameter("auth", LockchatProvider.PUBLIC_TOKEN);
  }
}
