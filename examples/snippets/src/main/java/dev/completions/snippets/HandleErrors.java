package dev.completions.snippets;

import dev.completions.api.CompletionRequest;
import dev.completions.api.CompletionStream;
import dev.completions.api.ProviderException;
import dev.completions.registry.ProviderRegistry;

/**
 * Acts on each kind of failure; invalid requests fail before any I/O with IllegalArgumentException.
 */
public final class HandleErrors {
  private HandleErrors() {}

  public static void main(String[] args) {
    try (ProviderRegistry registry = ProviderRegistry.load();
        CompletionStream answer = registry.get("lockchat").complete(CompletionRequest.of("Hi"))) {
      answer.forEach(System.out::print);
      System.out.println();
    } catch (IllegalArgumentException invalid) {
      System.err.println("fix the request: " + invalid.getMessage());
    } catch (ProviderException.RateLimited e) {
      System.err.println(
          "slow down; retry after " + e.retryAfter().map(Object::toString).orElse("a while"));
    } catch (ProviderException.AuthenticationFailed | ProviderException.QuotaExhausted e) {
      System.err.println("check the account: " + e.getMessage());
    } catch (ProviderException.ModelNotFound
        | ProviderException.BadRequest
        | ProviderException.ContentFiltered e) {
      System.err.println("change the request: " + e.getMessage());
    } catch (ProviderException.Timeout
        | ProviderException.ConnectionFailed
        | ProviderException.ServerError e) {
      System.err.println(
          "try again later"
              + (e.isRetryable() ? "" : " (the provider says it will not help)")
              + ": "
              + e.getMessage());
    } catch (ProviderException.ProtocolError
        | ProviderException.EmptyAnswer
        | ProviderException.Cancelled e) {
      System.err.println(e.kind().wireName() + ": " + e.getMessage());
    } finally {
      System.err.flush();
    }
  }
}
