package dev.completions.api;

import java.net.URI;
import java.util.Optional;

/**
 * A chat-completion provider: the service-provider interface every provider implements and
 * registers for {@link java.util.ServiceLoader} (for example with
 * {@code @AutoService(CompletionProvider.class)} and a {@code provides} clause in its module).
 *
 * <p>Contract for implementations:
 *
 * <ul>
 *   <li>A public no-argument constructor that does no I/O and starts no thread: configuration is
 *       read from system properties and environment variables, connections open on first use.
 *   <li>Thread-safe: one instance serves concurrent requests.
 *   <li>{@link #complete} validates the request against {@link #parameters()} (see {@link
 *       Parameters#validate}) and throws {@link IllegalArgumentException} before any I/O when it is
 *       invalid.
 * </ul>
 */
public interface CompletionProvider extends AutoCloseable {

  /** {@return the provider's name and capabilities; constant for the instance's life} */
  ProviderInfo info();

  /**
   * The record whose components declare the parameters this provider accepts, described with {@link
   * Param}. It includes the standard {@value Parameters#STANDARD_NAMES}; every other component is
   * an option the provider passes on.
   *
   * @return the record class declaring the parameters
   */
  Class<? extends Record> parameters();

  /**
   * Starts answering a request. Does no I/O itself: the exchange starts when the stream is first
   * read, so every failure of the exchange surfaces while reading, as a {@link ProviderException}.
   *
   * @param request the request; a null model means {@link ProviderInfo#defaultModel()}
   * @return the answer, to be read and closed by the caller
   * @throws IllegalArgumentException when the request is invalid for this provider
   * @throws IllegalStateException when the provider was closed
   */
  CompletionStream complete(CompletionRequest request);

  /**
   * Where this provider's requests go: the base URL of the service it calls, or empty when it
   * answers in-process, without the network. Observers use it to tell a remote call from a local
   * one (OpenTelemetry's span kind, {@code server.address}, {@code server.port}). Does no I/O.
   *
   * <p>The default is {@link ProviderInfo#url()}, the home page, right at least about the network
   * for a remote provider; HTTP providers return their base URL, in-process providers (Local)
   * return empty.
   *
   * @return the service's URL, or empty for an in-process provider
   */
  default Optional<URI> endpoint() {
    return Optional.of(info().url());
  }

  /** Releases the provider's resources (connection pools, native memory). Idempotent. */
  @Override
  default void close() {}
}
