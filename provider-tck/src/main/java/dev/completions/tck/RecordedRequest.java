package dev.completions.tck;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A request as the {@link LoopbackServer} received it. Immutable.
 *
 * @param method e.g. {@code POST}
 * @param target the request target as sent, path and query
 * @param headers header names in lower case, each with its values in order
 * @param body the body bytes
 */
public record RecordedRequest(
    String method, String target, Map<String, List<String>> headers, byte[] body) {

  /**
   * Copies the headers.
   *
   * @param method e.g. {@code POST}
   * @param target the request target as sent, path and query
   * @param headers header names in lower case, each with its values in order
   * @param body the body bytes
   */
  public RecordedRequest {
    headers = Map.copyOf(headers);
  }

  /** {@return the path without the query} */
  public String path() {
    int q = target.indexOf('?');
    return q < 0 ? target : target.substring(0, q);
  }

  /** {@return the query parameters, URL-decoded, in order; empty when there is no query} */
  public Map<String, String> query() {
    Map<String, String> query = new LinkedHashMap<>();
    int q = target.indexOf('?');
    if (q >= 0) {
      for (String pair : target.substring(q + 1).split("&")) {
        int eq = pair.indexOf('=');
        String name = eq < 0 ? pair : pair.substring(0, eq);
        String value = eq < 0 ? "" : pair.substring(eq + 1);
        query.put(
            URLDecoder.decode(name, StandardCharsets.UTF_8),
            URLDecoder.decode(value, StandardCharsets.UTF_8));
      }
    }
    return query;
  }

  /**
   * The first value of a header, ignoring the name's case, or null.
   *
   * @param name the header's name, in any case
   * @return its first value, or null when it was not sent
   */
  public String header(String name) {
    List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
    return values == null || values.isEmpty() ? null : values.get(0);
  }

  /** {@return the body as UTF-8 text} */
  public String bodyText() {
    return new String(body, StandardCharsets.UTF_8);
  }
}
