/** The Lockchat provider: OpenAI-style chat completions over server-sent events. */
module dev.completions.lockchat {
  requires transitive dev.completions.api;
  requires org.apache.httpcomponents.client5.httpclient5;
  requires org.apache.httpcomponents.core5.httpcore5;
  requires com.fasterxml.jackson.core;
  requires org.slf4j;
  requires static com.google.auto.service;

  exports dev.completions.lockchat;

  provides dev.completions.api.CompletionProvider with dev.completions.lockchat.LockchatProvider;
}
