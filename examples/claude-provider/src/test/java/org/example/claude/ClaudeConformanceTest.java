package org.example.claude;

import dev.completions.api.CompletionProvider;
import dev.completions.tck.ExpectedRequest;
import dev.completions.tck.ProviderConformanceTest;
import dev.completions.tck.WireFormat;
import java.net.URI;
import java.time.Duration;

/** The Claude provider passes the kit's contract on Anthropic's wire format. */
class ClaudeConformanceTest extends ProviderConformanceTest {

  @Override
  protected CompletionProvider createProvider(URI baseUrl, Duration timeout) {
    return new ClaudeProvider(
        ClaudeProvider.DEFAULTS.toBuilder()
            .baseUrl(baseUrl + "/v1")
            .firstByteTimeout(timeout)
            .idleTimeout(timeout)
            .attempts(attempts())
            .auth(ClaudeProvider.DEFAULTS.auth().withSecret(AnthropicSse.KEY))
            .build());
  }

  @Override
  protected WireFormat wireFormat() {
    return AnthropicSse.wireFormat();
  }

  @Override
  protected int attempts() {
    return 2;
  }

  @Override
  protected ExpectedRequest expectedRequest() {
    return ExpectedRequest.post("/v1/messages")
        .header("x-api-key", AnthropicSse.KEY)
        .header("anthropic-version", "2023-06-01");
  }
}
