package dev.completions.tck;

import java.io.IOException;

/**
 * How a provider's server speaks, written by the provider's author for {@link
 * ProviderConformanceTest}: the kit scripts answers (tokens, an HTTP error, a cut connection) and
 * this adapter renders them in the provider's own wire format.
 */
public interface WireFormat {

  /** Writes the head of a successful streamed answer (status line and headers). */
  void head(LoopbackServer.Exchange exchange) throws IOException;

  /** Writes one token, as the server sends it while streaming. */
  void token(LoopbackServer.Exchange exchange, String token) throws IOException;

  /** Ends a successful answer normally (finish marker, end of body). */
  void end(LoopbackServer.Exchange exchange) throws IOException;

  /** Writes a complete error answer with this HTTP status and message. */
  void error(LoopbackServer.Exchange exchange, int status, String message) throws IOException;
}
