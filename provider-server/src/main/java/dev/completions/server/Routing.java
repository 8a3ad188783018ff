package dev.completions.server;

import dev.completions.api.CompletionProvider;
import dev.completions.registry.ProviderChain;
import dev.completions.registry.ProviderRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Chooses the provider of a request; the first route that applies wins:
 *
 * <ol>
 *   <li>the path prefix {@code /api/{provider}/v1/...};
 *   <li>the body field {@code provider} (a name or a chain such as {@code groq,local});
 *   <li>{@code model} as {@code PROVIDER}, {@code PROVIDER:MODEL} or a chain {@code A:m1,B};
 *   <li>a bare model id that exactly one provider lists.
 * </ol>
 *
 * Anything else is a 404 listing what is available. Chains are kept per spec (at most {@value
 * #MAX_CHAINS}), so that their cooldowns span requests. Thread-safe.
 */
final class Routing {

  static final int MAX_CHAINS = 256;

  /** The chosen provider and the model to ask it for (null: its default, or the chain's). */
  record Choice(CompletionProvider provider, String model) {}

  private final ProviderRegistry registry;
  private final Map<String, ProviderChain> chains = new ConcurrentHashMap<>();

  Routing(ProviderRegistry registry) {
    this.registry = registry;
  }

  /**
   * @param pathProvider the provider named in the path, or null
   * @param bodyProvider the body's {@code provider} field, or null
   * @param model the body's {@code model} field, or null
   * @throws HttpError 404 when no route applies, 400 when a name is claimed twice
   */
  Choice choose(String pathProvider, String bodyProvider, String model) {
    if (pathProvider != null) {
      return new Choice(named(pathProvider, "provider"), withoutPrefix(pathProvider, model));
    }
    if (bodyProvider != null) {
      return new Choice(named(bodyProvider, "provider"), withoutPrefix(bodyProvider, model));
    }
    if (model == null) {
      throw HttpError.notFound(
          "model_not_found",
          "model",
          "model: required to choose a provider (or give one in the path /api/{provider}/v1 or"
              + " the body field provider); "
              + available());
    }
    if (model.contains(",")) {
      return new Choice(chain(model, "model"), null);
    }
    int colon = model.indexOf(':');
    if (colon > 0) {
      Optional<CompletionProvider> provider = find(model.substring(0, colon).strip());
      String rest = model.substring(colon + 1).strip();
      if (provider.isPresent() && !rest.isEmpty()) {
        return new Choice(provider.get(), rest);
      }
    }
    Optional<CompletionProvider> named = find(model);
    if (named.isPresent()) {
      return new Choice(named.get(), null);
    }
    List<CompletionProvider> listing = new ArrayList<>();
    for (CompletionProvider provider : registry.providers()) {
      if (provider.info().models().contains(model) && !listing.contains(provider)) {
        listing.add(provider);
      }
    }
    if (listing.size() == 1) {
      return new Choice(listing.get(0), model);
    }
    if (listing.size() > 1) {
      throw HttpError.notFound(
          "model_not_found",
          "model",
          "model: '"
              + model
              + "' is listed by several providers; choose one as PROVIDER:MODEL, e.g. '"
              + key(listing.get(0).info().name())
              + ":"
              + model
              + "' (listed by "
              + String.join(", ", listing.stream().map(provider -> provider.info().name()).toList())
              + ")");
    }
    throw HttpError.notFound(
        "model_not_found",
        "model",
        "model: no provider is named or lists '" + model + "'; " + available());
  }

  /** A provider by name, or a chain when the spec has a comma. */
  private CompletionProvider named(String spec, String param) {
    if (spec.contains(",")) {
      return chain(spec, param);
    }
    String name = spec.contains(":") ? spec.substring(0, spec.indexOf(':')).strip() : spec;
    return find(name)
        .orElseThrow(
            () ->
                HttpError.notFound(
                    "provider_not_found",
                    param,
                    param + ": unknown provider '" + name + "'; " + available()));
  }

  /** With the provider given apart, a model {@code PROVIDER:MODEL} of that provider is MODEL. */
  private static String withoutPrefix(String provider, String model) {
    if (provider.contains(":") && !provider.contains(",")) {
      return provider.substring(provider.indexOf(':') + 1).strip(); // "provider": "groq:model"
    }
    if (model != null && model.toLowerCase(Locale.ROOT).startsWith(key(provider) + ":")) {
      return model.substring(provider.length() + 1).strip();
    }
    return model;
  }

  private ProviderChain chain(String spec, String param) {
    ProviderChain chain = chains.get(spec);
    if (chain != null) {
      return chain;
    }
    try {
      chain = ProviderChain.parse(registry, spec);
    } catch (IllegalArgumentException e) {
      throw HttpError.notFound("provider_not_found", param, param + ": " + e.getMessage());
    }
    if (chains.size() >= MAX_CHAINS) {
      chains.clear(); // a client sending endless specs costs cooldown history, not memory
    }
    ProviderChain known = chains.putIfAbsent(spec, chain);
    return known != null ? known : chain;
  }

  private Optional<CompletionProvider> find(String name) {
    try {
      return registry.find(name);
    } catch (IllegalStateException duplicate) {
      throw HttpError.badRequest("provider", duplicate.getMessage());
    }
  }

  private String available() {
    List<String> names = registry.names();
    return names.isEmpty()
        ? "no provider is loaded"
        : "available providers: "
            + String.join(", ", names.stream().map(Routing::key).toList())
            + " (GET /v1/models lists their models)";
  }

  static String key(String name) {
    return name.toLowerCase(Locale.ROOT);
  }
}
