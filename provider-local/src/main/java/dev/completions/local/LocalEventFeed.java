package dev.completions.local;

import de.kherud.llama.InferenceParameters;
import de.kherud.llama.LlamaIterator;
import de.kherud.llama.LlamaModel;
import de.kherud.llama.LlamaOutput;
import de.kherud.llama.Pair;
import dev.completions.api.CompletionEvent;
import dev.completions.api.CompletionRequest;
import dev.completions.api.EventFeed;
import dev.completions.api.Message;
import dev.completions.api.ProviderException.Kind;
import dev.completions.api.Role;
import dev.completions.api.Usage;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.Collectors;

/**
 * One generation: waits for the model's turn, renders the messages with the model's chat template,
 * and yields tokens as llama.cpp decodes them. A close from another thread while the reader waits
 * for a token takes effect at the next token (the native receive cannot be interrupted safely);
 * otherwise it cancels the generation at once.
 */
final class LocalEventFeed implements EventFeed {

  /**
   * The most tokens an answer takes when the request does not say (the declared default of
   * max_tokens).
   */
  static final int DEFAULT_MAX_TOKENS = 256;

  private final Engine engine;
  private final CompletionRequest request;
  private final Map<String, Object> options;
  private final JsonGrammar grammar;
  private final int contextSize;
  private final ReentrantLock reading = new ReentrantLock();
  private final ArrayDeque<CompletionEvent> pending = new ArrayDeque<>();
  private final StringBuilder whole =
      new StringBuilder(); // the answer's text when not streaming or under a grammar
  private volatile boolean closed;
  private LlamaIterator tokens;
  private boolean turnHeld;
  private boolean finished;
  private int maxTokens;
  private int promptTokens;
  private int generated;

  /**
   * @param grammar the shape of JSON the answer must have, or null for free text
   */
  LocalEventFeed(
      Engine engine,
      CompletionRequest request,
      Map<String, Object> options,
      JsonGrammar grammar,
      int contextSize) {
    this.engine = engine;
    this.request = request;
    this.options = options;
    this.grammar = grammar;
    this.contextSize = contextSize;
  }

  @Override
  public CompletionEvent next() {
    reading.lock();
    try {
      while (pending.isEmpty() && !finished) {
        if (closed) {
          stop();
          throw Engine.failure(Kind.CANCELLED, "the stream was closed", null);
        }
        if (tokens == null) {
          start();
        } else if (tokens.hasNext()) {
          LlamaOutput output = tokens.next();
          if (tokens.hasNext()) {
            // every output but the closing one is a decoded token, also those with no text (a
            // special
            // token, or one held back because it may start a stop string); counting only text
            // undercounted
            // and turned a cut by the context into "stop"
            generated++;
          }
          if (!output.text.isEmpty()) {
            if (request.stream()) {
              pending.add(new CompletionEvent.Text(output.text));
            }
            if (!request.stream() || grammar != null) {
              whole.append(output.text);
            }
          }
        } else {
          finish();
        }
      }
      return pending.poll();
    } finally {
      reading.unlock();
    }
  }

  @Override
  public void close() {
    closed = true;
    if (reading.tryLock()) {
      try {
        stop();
      } finally {
        reading.unlock();
      }
    }
  }

  private void start() {
    engine.awaitTurn();
    turnHeld = true;
    try {
      Engine.Loaded loaded = engine.load();
      LlamaModel model = loaded.model();
      String prompt = render(model, loaded.header().hasChatTemplate());
      promptTokens = model.encode(prompt).length;
      if (promptTokens >= contextSize) {
        throw Engine.failure(
            Kind.BAD_REQUEST,
            "the prompt is "
                + promptTokens
                + " tokens but the context holds "
                + contextSize
                + " (local.contextSize)",
            null);
      }
      // JSON cut short is of no use: unless the caller set a budget, it may take what the context
      // leaves
      int room = contextSize - promptTokens;
      maxTokens =
          request.maxTokens() != null
              ? request.maxTokens()
              : grammar != null ? room : DEFAULT_MAX_TOKENS;
      maxTokens = Math.min(maxTokens, room);
      InferenceParameters parameters =
          new InferenceParameters(prompt)
              .setNPredict(maxTokens)
              .setTemperature(
                  request.temperature().floatValue()) // the provider filled in its default
              .setCachePrompt(false);
      if (options.get("top_p") instanceof Double topP) {
        parameters.setTopP(topP.floatValue());
      }
      if (options.get("top_k") instanceof Integer topK) {
        parameters.setTopK(topK);
      }
      if (options.get("seed") instanceof Long seed) {
        parameters.setSeed(seed.intValue());
      }
      if (!request.stop().isEmpty()) {
        parameters.setStopStrings(request.stop().toArray(String[]::new));
      }
      if (grammar != null) {
        // every token under a grammar has text, so an answer of at most N bytes takes at most N
        // tokens: sized to one token less than the budget, the JSON closes and the end token fits
        parameters.setGrammar(grammar.text(Math.max(0, maxTokens - 1)));
      }
      tokens = model.generate(parameters).iterator();
    } catch (RuntimeException e) {
      stop();
      throw e;
    }
  }

  private String render(LlamaModel model, boolean hasChatTemplate) {
    List<Message> messages = request.messages();
    if (!hasChatTemplate) {
      // a base model (no chat template) continues plain text
      return messages.stream().map(Message::content).collect(Collectors.joining("\n"));
    }
    String system =
        messages.stream()
            .filter(m -> m.role() == Role.SYSTEM)
            .map(Message::content)
            .collect(Collectors.joining("\n\n"));
    List<Pair<String, String>> turns = new ArrayList<>();
    for (Message message : messages) {
      if (message.role() != Role.SYSTEM) {
        turns.add(
            new Pair<>(message.role() == Role.ASSISTANT ? "assistant" : "user", message.content()));
      }
    }
    return model.applyTemplate(
        new InferenceParameters("").setMessages(system.isEmpty() ? null : system, turns));
  }

  private void finish() {
    finished = true;
    endTurn();
    String reason = generated >= maxTokens ? "length" : "stop";
    if (grammar != null
        && reason.equals("stop")
        && request.stop().isEmpty()
        && !Json.isJson(whole.toString())) {
      // llama.cpp samples freely, saying so only in its log, when it cannot parse a grammar
      throw Engine.failure(
          Kind.PROTOCOL,
          "the model's answer is not the JSON its grammar demands"
              + " (llama.cpp did not apply the grammar)",
          null);
    }
    if (!request.stream() && whole.length() > 0) {
      pending.add(new CompletionEvent.Text(whole.toString()));
    }
    pending.add(new CompletionEvent.Finish(reason));
    pending.add(new CompletionEvent.UsageReport(new Usage(promptTokens, generated, -1)));
  }

  /**
   * Cancels a generation in progress and gives the turn back; the caller holds the reading lock.
   */
  private void stop() {
    if (tokens != null && !finished) {
      tokens.cancel();
    }
    finished = true;
    endTurn();
  }

  private void endTurn() {
    if (turnHeld) {
      turnHeld = false;
      engine.endTurn();
    }
  }
}
