/**
 * Discovers {@link dev.completions.api.CompletionProvider}s and selects them by name.
 *
 * <p>{@link dev.completions.registry.ProviderRegistry} finds providers, provider catalogs and call
 * listeners with {@link java.util.ServiceLoader}; {@link dev.completions.registry.ProviderChain}
 * falls back from one provider to the next.
 *
 * <p>Settings this module reads:
 *
 * <table class="striped">
 *   <caption>Settings</caption>
 *   <thead><tr><th>setting</th><th>default</th></tr></thead>
 *   <tbody>
 *     <tr><td>{@systemProperty completions.prefer}</td><td>none: the fully qualified names of the provider classes to select when several claim one name, comma-separated; a system property only (no environment variable), read when {@code ProviderRegistry.builder()} or {@code load()} is called</td></tr>
 *   </tbody>
 * </table>
 *
 * <p>The providers and catalogs it loads read their own settings: see the {@code
 * dev.completions.openai} module for those of every OpenAI-compatible provider and for {@code
 * completions.providers}.
 */
module dev.completions.registry {
  requires transitive dev.completions.api;

  exports dev.completions.registry;

  uses dev.completions.api.CompletionProvider;
  uses dev.completions.api.ProviderCatalog;
  uses dev.completions.api.CallListener;
}
