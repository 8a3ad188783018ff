/** Test kit for provider authors: a conformance suite and a scriptable loopback HTTP server. */
module dev.completions.tck {
  requires transitive dev.completions.api;
  requires transitive org.junit.jupiter.api;
  requires org.assertj.core;

  exports dev.completions.tck;
}
