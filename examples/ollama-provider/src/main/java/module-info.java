/** A third-party provider for Ollama's native chat API. */
module org.example.ollama {
  requires dev.completions.api;
  requires com.fasterxml.jackson.core;
  requires static com.google.auto.service;

  exports org.example.ollama;

  provides dev.completions.api.CompletionProvider with org.example.ollama.OllamaProvider;
}
