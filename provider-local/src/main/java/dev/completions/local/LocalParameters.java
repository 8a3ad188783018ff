package dev.completions.local;

import dev.completions.api.Message;
import dev.completions.api.Param;
import java.util.List;

/**
 * The parameters the Local provider accepts.
 *
 * @param model the configured model's name (one model per provider instance)
 * @param messages the conversation, rendered with the model's chat template
 * @param stream whether tokens arrive as decoded
 * @param temperature randomness
 * @param maxTokens the most tokens to generate: 256 by default, but with a JSON response format
 *     what the context leaves, so the JSON can close
 * @param topP nucleus sampling mass
 * @param topK sampling pool size
 * @param seed sampling seed: the same seed gives the same text
 * @param stop stop strings
 */
public record LocalParameters(
    @Param("The configured model's name (local.model)") String model,
    @Param(value = "The conversation, rendered with the model's chat template", required = true)
        List<Message> messages,
    @Param("Whether tokens arrive as they are decoded") boolean stream,
    @Param(value = "Randomness of generation", defaultValue = "0.7", min = 0, max = 2)
        double temperature,
    @Param(
            value =
                "The most tokens to generate (default 256; with JSON output, what the context leaves)",
            min = 1)
        Integer maxTokens,
    @Param(value = "Nucleus sampling: the probability mass to sample from", min = 0, max = 1)
        Double topP,
    @Param(value = "Sample from the k most likely tokens", min = 1) Integer topK,
    @Param(value = "Seed for repeatable sampling", min = 0, max = 2147483647) Long seed,
    @Param("Strings at which generation stops") List<String> stop) {}
