/** Test support for provider authors: a scriptable loopback HTTP server. */
module dev.completions.tck {
  requires transitive dev.completions.api;

  exports dev.completions.tck;
}
