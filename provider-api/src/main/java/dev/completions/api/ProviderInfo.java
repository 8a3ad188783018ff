package dev.completions.api;

import java.net.URI;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * What a provider is and can do: the capability metadata gpt4free's providers publish as module
 * constants ({@code url}, {@code model}, {@code supports_stream}, {@code needs_auth}). Immutable
 * and thread-safe.
 *
 * @param name the unique provider name, e.g. {@code "Lockchat"}; selection by name ignores case
 * @param url the provider's home page
 * @param models the model ids it serves, never empty
 * @param defaultModel the model used when a request names none; one of {@code models}
 * @param supportsStreaming whether tokens arrive as they are generated
 * @param needsAuth whether the caller must supply credentials
 * @param capabilities what it can do beyond plain text in and out; requests that need anything else
 *     are refused before any I/O
 */
public record ProviderInfo(
    String name,
    URI url,
    List<String> models,
    String defaultModel,
    boolean supportsStreaming,
    boolean needsAuth,
    Set<Capability> capabilities) {

  /**
   * @throws IllegalArgumentException when the name is blank, the url is not absolute, the model
   *     list is empty or holds a blank id, or the default model is not among the models
   * @param name the unique provider name, e.g. {@code "Lockchat"}; selection by name ignores case
   * @param url the provider's home page
   * @param models the model ids it serves, never empty
   * @param defaultModel the model used when a request names none; one of {@code models}
   * @param supportsStreaming whether tokens arrive as they are generated
   * @param needsAuth whether the caller must supply credentials
   * @param capabilities what it can do beyond plain text in and out; requests that need anything
   *     else are refused before any I/O
   */
  public ProviderInfo {
    if (name == null || name.isBlank() || !name.strip().equals(name) || name.contains(",")) {
      throw new IllegalArgumentException(
          "name: must be non-blank, without surrounding spaces or commas, got '" + name + "'");
    }
    if (url == null || !url.isAbsolute()) {
      throw new IllegalArgumentException("url: must be an absolute URI, got " + url);
    }
    models = List.copyOf(models == null ? List.of() : models);
    if (models.isEmpty() || models.stream().anyMatch(String::isBlank)) {
      throw new IllegalArgumentException(
          "models: must list at least one non-blank model id, got " + models);
    }
    if (!models.contains(defaultModel)) {
      throw new IllegalArgumentException(
          "defaultModel: must be one of " + models + ", got '" + defaultModel + "'");
    }
    capabilities =
        capabilities == null || capabilities.isEmpty()
            ? Set.of()
            : Collections.unmodifiableSet(EnumSet.copyOf(capabilities));
  }

  /**
   * A provider of plain text in and out, with no further capabilities.
   *
   * @param name the provider's name
   * @param url its home page
   * @param models the models it serves
   * @param defaultModel the model used when a request names none
   * @param supportsStreaming whether it streams
   * @param needsAuth whether it needs a key
   */
  public ProviderInfo(
      String name,
      URI url,
      List<String> models,
      String defaultModel,
      boolean supportsStreaming,
      boolean needsAuth) {
    this(name, url, models, defaultModel, supportsStreaming, needsAuth, Set.of());
  }

  /**
   * Refuses, before any I/O, a request that needs a capability this provider lacks.
   *
   * @throws MissingCapabilityException naming the provider and what the request needs
   * @param request the request
   */
  public void requireCapabilities(CompletionRequest request) {
    Set<Capability> needed = request.requiredCapabilities();
    if (!capabilities.containsAll(needed)) {
      EnumSet<Capability> missing = EnumSet.copyOf(needed);
      missing.removeAll(capabilities);
      throw new MissingCapabilityException(name, missing, List.of());
    }
  }
}
