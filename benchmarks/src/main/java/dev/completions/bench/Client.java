package dev.completions.bench;

/** One contender: streams an answer and counts its content characters. */
interface Client extends AutoCloseable {

  /**
   * Streams one answer of {@code chunks} content chunks from the server.
   *
   * @param onFirstToken run once, when the first content arrives
   * @return the number of UTF-16 characters of content received
   */
  long stream(int chunks, Runnable onFirstToken) throws Exception;

  /**
   * Figures of this contender's own, measured once the common ones are, as {@code key=value}.
   *
   * @return the figures; none by default
   */
  default java.util.Map<String, Double> figures() throws Exception {
    return java.util.Map.of();
  }

  @Override
  default void close() throws Exception {}

  static Client create(String name, String server) throws Exception {
    return switch (name) {
      case "ours" -> new Clients.Ours(server);
      case "naive" -> new Clients.Naive(server);
      case "floor" -> new Clients.Floor(server);
      case "langchain4j" -> new Clients.LangChain4j(server);
      case "openai-java" -> new Clients.OpenAiJava(server);
      case "gateway" -> new Clients.ViaGateway(server);
      default -> throw new IllegalArgumentException("unknown contender " + name);
    };
  }
}
