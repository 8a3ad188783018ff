package dev.completions.api;

/**
 * Observes calls: told when each one starts, it returns the observer of that call, which gets the
 * first token and, at the end, one {@link CallRecord}. Register it with {@code
 * ProviderRegistry.builder().listener(...)}, or as a {@link java.util.ServiceLoader} service of
 * this interface (a jar on the class path with {@code
 * META-INF/services/dev.completions.api.CallListener} turns it on; such a class needs a public
 * no-argument constructor that does no I/O).
 *
 * <p>Implementations must be thread-safe: calls start on many threads at once. A listener or
 * observer that throws is logged once and otherwise ignored; it never breaks the stream, but it
 * runs on the caller's threads, so its own work is the caller's cost.
 */
@FunctionalInterface
public interface CallListener {

  /**
   * A call starts. Runs on the thread that called {@link CompletionProvider#complete}, before the
   * stream is returned (so a tracer may take the caller's current context as the parent), after the
   * request was validated and before any I/O.
   *
   * @param start the call's id, the provider and model asked for, the request and the start time
   * @return the observer of this call, or null to leave it unobserved
   */
  CallObserver onStart(CallStart start);
}
