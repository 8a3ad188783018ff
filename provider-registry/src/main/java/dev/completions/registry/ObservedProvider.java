package dev.completions.registry;

import dev.completions.api.CompletionProvider;
import dev.completions.api.CompletionRequest;
import dev.completions.api.CompletionStream;
import dev.completions.api.ProviderInfo;
import java.net.URI;
import java.util.Optional;

/** A registry's provider whose calls its listeners observe. Thread-safe as the provider is. */
final class ObservedProvider implements CompletionProvider {

  private final CompletionProvider provider;
  private final Listeners listeners;

  ObservedProvider(CompletionProvider provider, Listeners listeners) {
    this.provider = provider;
    this.listeners = listeners;
  }

  /** The provider observed (a chain takes its links unobserved: the chain is the call). */
  CompletionProvider provider() {
    return provider;
  }

  Listeners listeners() {
    return listeners;
  }

  @Override
  public ProviderInfo info() {
    return provider.info();
  }

  @Override
  public Class<? extends Record> parameters() {
    return provider.parameters();
  }

  @Override
  public CompletionStream complete(CompletionRequest request) {
    return listeners.call(provider, request, provider::complete);
  }

  @Override
  public Optional<URI> endpoint() {
    return provider.endpoint();
  }

  @Override
  public void close() {
    provider.close();
  }

  @Override
  public String toString() {
    return provider.toString();
  }
}
