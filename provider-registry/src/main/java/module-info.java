/** Discovers {@link dev.completions.api.CompletionProvider}s and selects them by name. */
module dev.completions.registry {
  requires transitive dev.completions.api;

  exports dev.completions.registry;

  uses dev.completions.api.CompletionProvider;
  uses dev.completions.api.ProviderCatalog;
  uses dev.completions.api.CallListener;
}
