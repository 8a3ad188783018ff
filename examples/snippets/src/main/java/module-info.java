/** Snippets showing how the library is used. */
module dev.completions.snippets {
  requires dev.completions.registry;
}
