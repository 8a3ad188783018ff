package org.example.ollama;

import dev.completions.api.Message;
import dev.completions.api.Param;
import java.util.List;

/**
 * The parameters the Ollama provider accepts; the token limit, the stop sequences and the options
 * are sent in Ollama's {@code options} object, the token limit as {@code num_predict}.
 *
 * @param model the model name, e.g. llama3.2
 * @param messages the conversation
 * @param stream whether tokens arrive as generated
 * @param temperature randomness
 * @param maxTokens the most tokens to generate
 * @param topP nucleus sampling mass
 * @param topK sampling pool size
 * @param seed sampling seed
 * @param stop stop sequences
 */
public record OllamaParameters(
    @Param("Model name, as pulled into Ollama") String model,
    @Param(value = "The conversation", required = true) List<Message> messages,
    @Param("Whether tokens arrive as they are generated") boolean stream,
    @Param(value = "Randomness of generation", defaultValue = "0.7", min = 0, max = 2)
        double temperature,
    @Param(value = "The most tokens to generate (sent as num_predict)", min = 1) Integer maxTokens,
    @Param(value = "Nucleus sampling: the probability mass to sample from", min = 0, max = 1)
        Double topP,
    @Param(value = "Sample from the k most likely tokens", min = 1) Integer topK,
    @Param("Seed for repeatable sampling") Long seed,
    @Param("Sequences at which generation stops") List<String> stop) {}
