/** The Local provider: GGUF chat models run in-process by llama.cpp. */
module dev.completions.local {
  requires transitive dev.completions.api;
  requires llama;
  requires org.slf4j;
  requires static com.google.auto.service;

  exports dev.completions.local;

  provides dev.completions.api.CompletionProvider with
      dev.completions.local.LocalProvider;
}
