package dev.completions.openai;

import dev.completions.api.Message;
import dev.completions.api.Param;
import java.util.List;

/**
 * The parameters an OpenAI-compatible provider accepts: {@code model, messages, stream,
 * temperature} and the OpenAI options it passes through. Only a declaration: the registry and the
 * provider read it by reflection.
 *
 * @param model the model id
 * @param messages the conversation
 * @param stream whether tokens arrive as generated
 * @param temperature randomness
 * @param maxTokens the most tokens to generate
 * @param topP nucleus sampling mass
 * @param stop stop sequences
 * @param presencePenalty penalty for tokens already present
 * @param frequencyPenalty penalty by token frequency
 * @param seed sampling seed
 * @param user end-user id
 */
public record OpenAiParameters(
    @Param("Model id; the provider's default when unset") String model,
    @Param(value = "The conversation: role and content of each message", required = true)
        List<Message> messages,
    @Param("Whether tokens arrive as they are generated") boolean stream,
    @Param(value = "Randomness of generation", defaultValue = "0.7", min = 0, max = 2)
        double temperature,
    @Param(value = "The most tokens to generate", min = 1) Integer maxTokens,
    @Param(value = "Nucleus sampling: the probability mass to sample from", min = 0, max = 1)
        Double topP,
    @Param("Sequences at which generation stops (at most 4)") List<String> stop,
    @Param(value = "Penalty for tokens already present in the text", min = -2, max = 2)
        Double presencePenalty,
    @Param(value = "Penalty for tokens by their frequency in the text", min = -2, max = 2)
        Double frequencyPenalty,
    @Param("Seed for repeatable sampling") Long seed,
    @Param("An id of the end user, for abuse monitoring") String user) {}
