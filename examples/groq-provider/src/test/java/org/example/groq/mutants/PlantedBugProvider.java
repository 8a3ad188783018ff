package org.example.groq.mutants;

import dev.completions.api.CompletionRequest;
import dev.completions.api.ProviderException;
import dev.completions.openai.EventSink;
import dev.completions.openai.HttpCompletionProvider;
import dev.completions.openai.OpenAiParameters;
import dev.completions.openai.ProviderConfig;
import dev.completions.openai.ServerSentEvent;
import dev.completions.openai.WireDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * Groq's provider written on {@link HttpCompletionProvider} with one planted bug: its request body
 * edited, or an HTTP status mapped by its own switch. Everything else is OpenAI's.
 */
final class PlantedBugProvider extends HttpCompletionProvider {

  /** How the provider maps an error status; {@code openAi} is the correct mapping. */
  @FunctionalInterface
  interface StatusMapping {
    ProviderException.Builder map(int status, String body, EventSink sink, WireDecoder openAi);
  }

  private final OpenAiParts openAi;
  private final UnaryOperator<String> bodyEdit;
  private final StatusMapping statusMapping;

  private PlantedBugProvider(
      ProviderConfig config, UnaryOperator<String> bodyEdit, StatusMapping statusMapping) {
    super(config, OpenAiParameters.class);
    this.openAi = new OpenAiParts(config);
    this.bodyEdit = bodyEdit;
    this.statusMapping = statusMapping;
  }

  /** Sends the body as {@code edit} rewrites OpenAI's. */
  static PlantedBugProvider withBody(ProviderConfig config, UnaryOperator<String> edit) {
    return new PlantedBugProvider(
        config, edit, (status, body, sink, openAi) -> openAi.onErrorStatus(status, body, sink));
  }

  /**
   * Maps this status to a bad request, as a switch without a case for it falls to its 4xx default.
   */
  static PlantedBugProvider withBadRequestFor(ProviderConfig config, int misread) {
    return new PlantedBugProvider(
        config,
        UnaryOperator.identity(),
        (status, body, sink, openAi) ->
            status == misread
                ? ProviderException.builder(ProviderException.Kind.BAD_REQUEST, sink.provider())
                    .message("HTTP " + status)
                    .httpStatus(status)
                : openAi.onErrorStatus(status, body, sink));
  }

  @Override
  protected byte[] requestBody(
      CompletionRequest request, String model, Map<String, Object> options) {
    String body = new String(openAi.body(request, model, options), StandardCharsets.UTF_8);
    return bodyEdit.apply(body).getBytes(StandardCharsets.UTF_8);
  }

  @Override
  protected WireDecoder decoder(CompletionRequest request, String model) {
    WireDecoder openAiDecoder = openAi.decoderFor(request, model);
    return new WireDecoder() {
      @Override
      public boolean onEvent(ServerSentEvent event, EventSink sink) {
        return openAiDecoder.onEvent(event, sink);
      }

      @Override
      public void onBody(byte[] body, int length, EventSink sink) {
        openAiDecoder.onBody(body, length, sink);
      }

      @Override
      public void onStrayLine(String line, EventSink sink) {
        openAiDecoder.onStrayLine(line, sink);
      }

      @Override
      public void onEnd(EventSink sink) {
        openAiDecoder.onEnd(sink);
      }

      @Override
      public ProviderException.Builder onErrorStatus(int status, String body, EventSink sink) {
        return statusMapping.map(status, body, sink, openAiDecoder);
      }
    };
  }
}
