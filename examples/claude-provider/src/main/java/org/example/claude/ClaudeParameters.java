package org.example.claude;

import dev.completions.api.Message;
import dev.completions.api.Param;
import java.util.List;

/**
 * The parameters the Claude provider accepts, each described by its {@link Param} and sent under
 * Anthropic's name ({@code maxTokens} as {@code max_tokens}). Only a declaration: the registry and
 * the provider read it by reflection.
 */
public record ClaudeParameters(
    @Param("Model id; the provider's default when unset") String model,
    @Param(value = "The conversation; system messages become the system prompt", required = true)
        List<Message> messages,
    @Param("Whether tokens arrive as they are generated") boolean stream,
    @Param(value = "Randomness of generation; unset, Anthropic's default (1.0)", min = 0, max = 1)
        Double temperature,
    @Param(value = "The most tokens to generate", defaultValue = "1024", min = 1) Integer maxTokens,
    @Param(value = "Nucleus sampling: the probability mass to sample from", min = 0, max = 1)
        Double topP,
    @Param(value = "Sample from the k most likely tokens", min = 1) Integer topK,
    @Param("Sequences at which generation stops (sent as stop_sequences)") List<String> stop,
    @Param(
            value =
                "Extended thinking: tokens Claude may spend reasoning, below max_tokens (no temperature is"
                    + " then sent)",
            min = 1024)
        Integer thinkingBudget) {}
