/**
 * The chat-completion provider SPI. Depends on nothing but the JDK.
 *
 * <p>Providers implement {@link dev.completions.api.CompletionProvider} and are discovered with
 * {@link java.util.ServiceLoader}; callers build a {@link dev.completions.api.CompletionRequest}
 * and read the {@link dev.completions.api.CompletionStream} it returns.
 */
module dev.completions.api {
  exports dev.completions.api;
}
