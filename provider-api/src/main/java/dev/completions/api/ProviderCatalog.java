package dev.completions.api;

import java.util.List;
import java.util.Objects;

/**
 * A service that contributes several providers at once, such as providers declared in files:
 * registered for {@link java.util.ServiceLoader} like a {@link CompletionProvider}, and listed by
 * the registry beside the providers found one by one. Implementations need a public no-argument
 * constructor that does no I/O.
 */
public interface ProviderCatalog {

  /**
   * The providers this catalog holds. Reads local files at most, never the network. A broken entry
   * is reported in {@link Contents#problems()} and never hides the others.
   *
   * @param loader where class-path resources are looked up
   * @return the providers and the problems met
   */
  Contents load(ClassLoader loader);

  /**
   * What a catalog loaded. Immutable.
   *
   * @param providers the providers, in declaration order
   * @param problems what could not be loaded, each naming where it came from
   */
  record Contents(List<CompletionProvider> providers, List<Problem> problems) {
    /**
     * @param providers the providers, in declaration order
     * @param problems what could not be loaded, each naming where it came from
     * @throws NullPointerException when a list is null
     */
    public Contents {
      providers = List.copyOf(providers);
      problems = List.copyOf(problems);
    }
  }

  /**
   * An entry that could not be loaded. Immutable.
   *
   * @param source where it was declared (a file, and the entry in it)
   * @param reason what is wrong, naming the field and what is allowed
   */
  record Problem(String source, String reason) {
    /**
     * @param source where it was declared (a file, and the entry in it)
     * @param reason what is wrong, naming the field and what is allowed
     * @throws NullPointerException when an argument is null
     */
    public Problem {
      Objects.requireNonNull(source, "source");
      Objects.requireNonNull(reason, "reason");
    }
  }
}
