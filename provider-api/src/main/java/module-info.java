/**
 * The chat-completion provider SPI. Depends on nothing but the JDK.
 *
 * <p>Providers implement {@link dev.completions.api.CompletionProvider} and are discovered with
 * {@link java.util.ServiceLoader}; callers build a {@link dev.completions.api.CompletionRequest}
 * and read the {@link dev.completions.api.CompletionStream} it returns.
 *
 * <p>One convention for what is absent, everywhere in the API:
 *
 * <ul>
 *   <li>a request field left unset is null (a list: empty) and means "the provider's default";
 *   <li>a fact an answer may not report is an {@link java.util.Optional} ({@code finishReason()},
 *       {@code usage()}), never null;
 *   <li>inside a value record, a count not reported is -1 ({@link dev.completions.api.Usage}) and a
 *       text not given is {@code ""} ({@link dev.completions.api.ToolCall}, {@link
 *       dev.completions.api.CompletionEvent.ToolCallDelta}), so a record's components are never
 *       null unless its Javadoc says so.
 * </ul>
 *
 * <p>Every public type is immutable and thread-safe unless its Javadoc says otherwise; bad input is
 * an {@link java.lang.IllegalArgumentException} naming the field, thrown before any I/O.
 */
module dev.completions.api {
  exports dev.completions.api;
}
