package dev.completions.api;

import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A request needs something its provider cannot do (tools, images, JSON output); thrown before any
 * I/O. Its message names the provider, what is missing and, when known, the providers that have it.
 * Immutable.
 */
public final class MissingCapabilityException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  /**
   * @serial the provider that cannot serve the request
   */
  private final String provider;

  private final transient Set<Capability> missing;
  private final transient List<String> alternatives;

  /**
   * @param provider the provider that cannot serve the request
   * @param missing what the request needs and the provider lacks; not empty
   * @param alternatives providers that have all of it, as far as the thrower knows; may be empty
   */
  public MissingCapabilityException(
      String provider, Set<Capability> missing, List<String> alternatives) {
    super(
        provider
            + " cannot serve this request: it needs "
            + java.util.EnumSet.copyOf(missing).stream()
                .map(Capability::wireName)
                .collect(Collectors.joining(", "))
            + ", which "
            + provider
            + " does not support"
            + (alternatives.isEmpty()
                ? ""
                : "; providers that do: " + String.join(", ", alternatives)));
    this.provider = provider;
    this.missing =
        java.util.Collections.unmodifiableSet(
            java.util.EnumSet.copyOf(missing)); // the message's order
    this.alternatives = List.copyOf(alternatives);
  }

  /** {@return the provider that cannot serve the request} */
  public String provider() {
    return provider;
  }

  /** {@return what the request needs and the provider lacks} */
  public Set<Capability> missing() {
    return missing;
  }

  /** {@return providers that have all of it, as far as the thrower knew; may be empty} */
  public List<String> alternatives() {
    return alternatives;
  }

  /**
   * The same refusal, naming these providers as the ones that have what is missing.
   *
   * @param providers the providers that have what is missing
   * @return a new exception naming them
   */
  public MissingCapabilityException withAlternatives(List<String> providers) {
    MissingCapabilityException richer =
        new MissingCapabilityException(provider, missing, providers);
    richer.setStackTrace(getStackTrace());
    return richer;
  }
}
