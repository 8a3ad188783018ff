/** A third-party provider for Ollama's native chat API, built on the kit's HTTP engine. */
module org.example.ollama {
  requires transitive dev.completions.openai;
  requires com.fasterxml.jackson.core;
  requires static com.google.auto.service;

  exports org.example.ollama;

  provides dev.completions.api.CompletionProvider with
      org.example.ollama.OllamaNativeProvider;
}
