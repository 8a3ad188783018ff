package dev.completions.openai;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.completions.api.CompletionRequest;
import dev.completions.api.ProviderException;
import dev.completions.openai.internal.OpenAiDecoder;
import dev.completions.openai.internal.RequestBody;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A provider for any OpenAI-compatible chat-completions endpoint: {@code POST
 * {baseUrl}/chat/completions}, answers streamed as server-sent events ({@code
 * chat.completion.chunk} objects, then {@code data: [DONE]}) or sent as one {@code chat.completion}
 * JSON body. Text, reasoning ({@code reasoning_content}), refusals, tool-call fragments, finish
 * reasons, usage and the answering model are all delivered as typed events.
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

  private static final JsonFactory JSON = JsonFactory.builder().build();

  /**
   * A provider with this configuration, accepting the options of {@link OpenAiParameters}. Does no
   * I/O.
   *
   * @param config the configuration, not null
   * @throws NullPointerException when {@code config} is null
   */
  public OpenAiCompatibleProvider(ProviderConfig config) {
    super(config, OpenAiParameters.class);
  }

  /**
   * A provider with this configuration whose server takes other parameters than {@link
   * OpenAiParameters}, for example a vendor's extra options. Every option the record declares is
   * sent under its wire name, an object-typed one (a record or a map) as a JSON object. Does no
   * I/O.
   *
   * @param config the configuration, not null
   * @param parameterRecord the record whose {@code @Param} components declare the parameters, not
   *     null; it should declare the standard fields the server takes ({@code model, messages,
   *     stream, temperature, max_tokens, stop})
   * @throws NullPointerException when an argument is null
   * @throws IllegalArgumentException when {@code parameterRecord} declares a default that is not of
   *     its parameter's type
   */
  protected OpenAiCompatibleProvider(
      ProviderConfig config, Class<? extends Record> parameterRecord) {
    super(config, parameterRecord);
  }

  /**
   * The models the server itself reports ({@code GET {baseUrl}/models}, OpenAI's list format), in
   * its order. One attempt, with the provider's timeouts.
   *
   * @return the {@code id}s of the {@code data} array's objects, in order; unmodifiable, empty when
   *     the server lists none
   * @throws dev.completions.api.ProviderException when the key is missing, the server cannot be
   *     reached, answers with an error, or answers with something that is not a model list
   */
  public List<String> serverModels() {
    String body = fetch("/models");
    List<String> ids = new ArrayList<>();
    try (JsonParser json = JSON.createParser(body)) {
      if (json.nextToken() != JsonToken.START_OBJECT) {
        throw notAList(body);
      }
      while (json.nextToken() == JsonToken.FIELD_NAME) {
        String field = json.currentName();
        JsonToken value = json.nextToken();
        if (field.equals("data") && value == JsonToken.START_ARRAY) {
          while (json.nextToken() == JsonToken.START_OBJECT) {
            while (json.nextToken() == JsonToken.FIELD_NAME) {
              String member = json.currentName();
              if (json.nextToken() == JsonToken.VALUE_STRING && member.equals("id")) {
                ids.add(json.getText());
              } else {
                json.skipChildren();
              }
            }
          }
        } else {
          json.skipChildren();
        }
      }
    } catch (IOException e) {
      throw notAList(body);
    }
    return List.copyOf(ids);
  }

  private ProviderException notAList(String body) {
    return ProviderException.builder(ProviderException.Kind.PROTOCOL, config().name())
        .message("GET /models did not answer with a model list: " + ErrorRules.excerpt(body))
        .build();
  }

  @Override
  protected final byte[] requestBody(
      CompletionRequest request, String model, Map<String, Object> options) {
    return RequestBody.render(request, model, config().maxTokensField(), options);
  }

  @Override
  protected final WireDecoder decoder(CompletionRequest request, String model) {
    return new OpenAiDecoder();
  }
}
