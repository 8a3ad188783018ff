package org.example.groq;

import dev.completions.api.CompletionProvider;
import dev.completions.openai.Auth;
import dev.completions.tck.ExpectedRequest;
import dev.completions.tck.OpenAiSse;
import dev.completions.tck.ProviderConformanceTest;
import dev.completions.tck.WireFormat;
import java.net.URI;
import java.time.Duration;

/**
 * Groq passes the kit: Groq's path under the base URL, a Bearer key, its default attempts. Public
 * for the mutants.
 */
public class GroqConformanceTest extends ProviderConformanceTest {
  private static final String KEY = "gsk-test";

  @Override
  protected CompletionProvider createProvider(URI loopback, Duration timeout) {
    return new GroqProvider(
        GroqProvider.DEFAULTS.toBuilder()
            .baseUrl(loopback + "/openai/v1")
            .auth(Auth.bearer(KEY))
            .firstByteTimeout(timeout)
            .idleTimeout(timeout)
            .build());
  }

  @Override
  protected int attempts() {
    return GroqProvider.DEFAULTS.attempts();
  }

  @Override
  protected WireFormat wireFormat() {
    return OpenAiSse.wireFormat();
  }

  @Override
  protected ExpectedRequest expectedRequest() {
    return ExpectedRequest.post("/openai/v1/chat/completions")
        .header("Authorization", "Bearer " + KEY);
  }
}
