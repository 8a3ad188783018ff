package org.example.groq.mutants;

import dev.completions.api.CompletionRequest;
import dev.completions.openai.OpenAiCompatibleProvider;
import dev.completions.openai.ProviderConfig;
import dev.completions.openai.WireDecoder;
import java.util.Map;

/**
 * OpenAI's request writer and answer decoder, reached through a subclass because {@link
 * OpenAiCompatibleProvider} keeps them protected and final, so a planted bug can change one detail
 * of an otherwise real provider. Never sends a request itself.
 */
final class OpenAiParts extends OpenAiCompatibleProvider {

  OpenAiParts(ProviderConfig config) {
    super(config);
  }

  byte[] body(CompletionRequest request, String model, Map<String, Object> options) {
    return requestBody(request, model, options);
  }

  WireDecoder decoderFor(CompletionRequest request, String model) {
    return decoder(request, model);
  }
}
