/**
 * The Lockchat provider, a configuration of the OpenAI-compatible engine; see {@link
 * dev.completions.lockchat.LockchatProvider} for its settings.
 */
module dev.completions.lockchat {
  requires transitive dev.completions.openai;
  requires static com.google.auto.service;

  exports dev.completions.lockchat;

  provides dev.completions.api.CompletionProvider with
      dev.completions.lockchat.LockchatProvider;
}
