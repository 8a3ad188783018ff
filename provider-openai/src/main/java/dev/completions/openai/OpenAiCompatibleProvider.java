package dev.completions.openai;

import dev.completions.api.CompletionRequest;
import dev.completions.openai.internal.OpenAiDecoder;
import dev.completions.openai.internal.RequestBody;
import java.util.Map;

/**
 * A provider for any OpenAI-compatible chat-completions endpoint: {@code POST
 * {baseUrl}/chat/completions}, answers streamed as server-sent events ({@code chat.completion.chunk}
 * objects, then {@code data: [DONE]}) or sent as one {@code chat.completion} JSON body. Text,
 * reasoning ({@code reasoning_content}), refusals, tool-call fragments, finish reasons, usage and
 * the answering model are all delivered as typed events.
 *
 * <p>Use it directly with a {@link ProviderConfig}, or extend it to publish a provider for {@link
 * java.util.ServiceLoader} with a public no-argument constructor:
 *
 * <pre>{@code
 * @AutoService(CompletionProvider.class)
 * public final class GroqProvider extends OpenAiCompatibleProvider {
 *   public GroqProvider() {
 *     super(ProviderConfig.custom().name("Groq").baseUrl("https://api.groq.com/openai/v1")
 *         .models("llama-3.3-70b-versatile").auth(Auth.bearer(null)).apiKeyVariable("GROQ_API_KEY")
 *         .build().withSettings(ConfigSource.system()));
 *   }
 * }
 * }</pre>
 *
 * <p>Thread-safe; the constructor does no I/O (see {@link HttpCompletionProvider}).
 */
public class OpenAiCompatibleProvider extends HttpCompletionProvider {

  /** A provider with this configuration, accepting the options of {@link OpenAiParameters}. */
  public OpenAiCompatibleProvider(ProviderConfig config) {
    super(config, OpenAiParameters.class);
  }

  @Override
  protected final byte[] requestBody(CompletionRequest request, String model, Map<String, Object> options) {
    return RequestBody.render(request, model, options);
  }

  @Override
  protected final WireDecoder decoder(CompletionRequest request, String model) {
    return new OpenAiDecoder();
  }
}
