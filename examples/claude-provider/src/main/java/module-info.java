/** A third-party provider for Anthropic's Messages API, built on the kit's HTTP engine. */
module org.example.claude {
  requires transitive dev.completions.openai;
  requires com.fasterxml.jackson.core;
  requires static com.google.auto.service;

  exports org.example.claude;

  provides dev.completions.api.CompletionProvider with
      org.example.claude.ClaudeProvider;
}
