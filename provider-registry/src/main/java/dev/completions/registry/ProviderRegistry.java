package dev.completions.registry;

import dev.completions.api.CallListener;
import dev.completions.api.Capability;
import dev.completions.api.CompletionProvider;
import dev.completions.api.CompletionRequest;
import dev.completions.api.CompletionStream;
import dev.completions.api.MissingCapabilityException;
import dev.completions.api.Parameters;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The providers found on a class path or module path, selected by name at runtime, ignoring case;
 * the analogue of {@code java.sql.DriverManager} and {@code javax.script.ScriptEngineManager}.
 *
 * <p>Discovery uses {@link java.util.ServiceLoader} and survives broken jars: a missing class, a
 * failing constructor or a bad services file becomes a {@link LoadProblem} and the other providers
 * still load. Two providers claiming one name are a problem too, and selecting that name fails
 * unless a preferred class was given ({@link Builder#prefer}, or the system property {@value
 * #PREFER_PROPERTY}, a comma-separated list of class names).
 *
 * <p>With {@link CallListener}s (given to {@link Builder#listener}, or found by ServiceLoader as
 * services of that interface), every provider the registry hands out is observed: each call it
 * starts reaches the listeners, and ends in one {@link dev.completions.api.CallRecord}. A fallback
 * chain built from the registry ({@link ProviderChain#parse}) is observed as one call whose record
 * names every link. Without listeners the providers are handed out as they are, at no cost.
 *
 * <p>Immutable and thread-safe once built. Closing it closes every provider it loaded.
 */
public final class ProviderRegistry implements AutoCloseable {

  /** System property naming preferred provider classes, comma-separated. */
  public static final String PREFER_PROPERTY = "completions.prefer";

  private final List<CompletionProvider> providers;
  private final Map<String, List<CompletionProvider>> byName;
  private final Set<String> preferred;
  private final List<LoadProblem> problems;
  private final Listeners listeners;

  /** Each provider as handed out: observed when there are listeners, else itself. */
  private final Map<CompletionProvider, CompletionProvider> handedOut;

  private ProviderRegistry(Builder builder, Discovery discovery) {
    Map<String, List<CompletionProvider>> names = new LinkedHashMap<>();
    List<CompletionProvider> all = new ArrayList<>(builder.explicit);
    all.addAll(discovery.providers());
    Set<String> explicitNames = new LinkedHashSet<>();
    for (CompletionProvider provider : builder.explicit) {
      explicitNames.add(key(provider.info().name()));
      names.computeIfAbsent(key(provider.info().name()), k -> new ArrayList<>()).add(provider);
    }
    for (CompletionProvider provider : discovery.providers()) {
      String key = key(provider.info().name());
      if (!explicitNames.contains(key)) {
        names.computeIfAbsent(key, k -> new ArrayList<>()).add(provider);
      }
    }
    List<LoadProblem> found = new ArrayList<>(discovery.problems());
    names.values().stream()
        .filter(claimants -> claimants.size() > 1)
        .forEach(
            claimants -> found.add(new LoadProblem(null, null, duplicateMessage(claimants), null)));
    this.providers = List.copyOf(all);
    List<CallListener> observing = new ArrayList<>(builder.listeners);
    observing.addAll(discovery.listeners());
    this.listeners = observing.isEmpty() ? null : new Listeners(observing);
    Map<CompletionProvider, CompletionProvider> wrapped = new IdentityHashMap<>();
    if (listeners != null) {
      all.forEach(provider -> wrapped.put(provider, new ObservedProvider(provider, listeners)));
    }
    this.handedOut = wrapped;
    this.byName = Collections.unmodifiableMap(names);
    this.preferred = Set.copyOf(builder.preferred);
    this.problems = List.copyOf(found);
  }

  /**
   * Discovers the providers visible to the thread's context class loader, preferring the classes
   * named by {@value #PREFER_PROPERTY}.
   *
   * @return a new registry; never fails for a broken provider (see {@link #problems()})
   */
  public static ProviderRegistry load() {
    return builder().build();
  }

  /**
   * Discovers the providers visible to {@code classLoader}, preferring the classes named by {@value
   * #PREFER_PROPERTY}.
   *
   * @param classLoader the class loader to discover with, or null for the thread's context class
   *     loader
   * @return a new registry; never fails for a broken provider (see {@link #problems()})
   */
  public static ProviderRegistry load(ClassLoader classLoader) {
    return builder().classLoader(classLoader).build();
  }

  /**
   * {@return a new builder that discovers with the context class loader and prefers the classes
   * that {@value #PREFER_PROPERTY} names now (read here, once)}
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * {@return every provider loaded, in discovery order (explicitly added ones first), duplicates
   * included, each observed when the registry has call listeners (see {@link #unobserved});
   * unmodifiable}
   */
  public List<CompletionProvider> providers() {
    return listeners == null ? providers : providers.stream().map(this::handOut).toList();
  }

  /**
   * The call listeners observing the providers this registry hands out, those given to the builder
   * first, then those discovered.
   *
   * @return the listeners; empty when calls are not observed
   */
  public List<CallListener> listeners() {
    return listeners == null ? List.of() : listeners.all();
  }

  /**
   * The provider itself, without the observing wrapper the registry puts around each provider it
   * hands out when it has listeners: for what only the provider's own type tells (its class, the
   * configuration of an {@code HttpCompletionProvider}). Calls made through it are not observed.
   *
   * @param provider a provider, from this registry or not
   * @return the provider inside the wrapper, or the provider given when it is not one
   */
  public static CompletionProvider unobserved(CompletionProvider provider) {
    return provider instanceof ObservedProvider observed ? observed.provider() : provider;
  }

  private CompletionProvider handOut(CompletionProvider provider) {
    return listeners == null ? provider : handedOut.get(provider);
  }

  /**
   * {@return the selectable names, as the providers spell them, in discovery order; one per name,
   * even when several providers claim it}
   */
  public List<String> names() {
    return byName.values().stream().map(claimants -> claimants.get(0).info().name()).toList();
  }

  /**
   * {@return what could not be loaded or decided (broken jars and files, names claimed twice);
   * unmodifiable, empty when all went well}
   */
  public List<LoadProblem> problems() {
    return problems;
  }

  /**
   * The provider with this name, ignoring case.
   *
   * @param name the name, or null; surrounding spaces are ignored
   * @return the provider, or empty when none has the name (always for null)
   * @throws IllegalStateException when several providers claim the name and none is preferred
   */
  public Optional<CompletionProvider> find(String name) {
    List<CompletionProvider> claimants = name == null ? null : byName.get(key(name));
    if (claimants == null) {
      return Optional.empty();
    }
    if (claimants.size() == 1) {
      return Optional.of(handOut(claimants.get(0)));
    }
    return Optional.of(
        claimants.stream()
            .filter(provider -> preferred.contains(provider.getClass().getName()))
            .findFirst()
            .map(this::handOut)
            .orElseThrow(
                () ->
                    new IllegalStateException(
                        duplicateMessage(claimants)
                            + "; choose one with ProviderRegistry.builder().prefer(className) or -D"
                            + PREFER_PROPERTY
                            + "=className")));
  }

  /**
   * The provider with this name, ignoring case.
   *
   * <p>When no loaded provider has the name but a {@link LoadProblem} matches it, the exception
   * says why that provider failed to load rather than calling the name unknown. A problem matches
   * when its class's simple name, with or without a {@code Provider} suffix, equals the name
   * (ignoring case and anything but letters and digits), or when its source ends with the name in
   * parentheses, as a catalog's entry that failed does (e.g. {@code providers.json, providers[1]
   * (Groq)}). A provider whose class is named otherwise, a catalog entry that failed before its
   * name was read, and a catalog that failed as a whole are not matched, and the name is called
   * unknown.
   *
   * @param name the name; surrounding spaces are ignored
   * @return the provider
   * @throws IllegalArgumentException naming the available providers when none has this name, or
   *     saying why the provider of this name failed to load
   * @throws IllegalStateException when several providers claim the name and none is preferred
   */
  public CompletionProvider get(String name) {
    return find(name).orElseThrow(() -> notFound(name));
  }

  /**
   * Sends a request to a provider or chain chosen by name at runtime: {@code get(name).complete}
   * for a name, {@link ProviderChain#parse} for a chain such as {@code groq:llama-3.3-70b,local} (a
   * spec with a comma or a colon). A request the chosen provider cannot serve is refused before any
   * I/O, naming the registry's providers that can.
   *
   * @param provider a provider's name (any case), or a chain
   * @param request the request
   * @return the answer, not yet started (see {@link CompletionProvider#complete})
   * @throws IllegalArgumentException as {@link #get} and {@link ProviderChain#parse} do, or when
   *     the provider refuses the request
   * @throws MissingCapabilityException naming the providers that have what the request needs
   */
  public CompletionStream complete(String provider, CompletionRequest request) {
    CompletionProvider chosen =
        provider != null && (provider.contains(",") || provider.contains(":"))
            ? ProviderChain.parse(this, provider)
            : get(provider);
    try {
      return chosen.complete(request);
    } catch (MissingCapabilityException e) {
      throw e.withAlternatives(providersWith(e.missing()));
    }
  }

  /**
   * The names of the providers that declare every one of these capabilities, in {@link #names()}'
   * order.
   *
   * @param needed the capabilities, e.g. {@code request.requiredCapabilities()}
   * @return the names; unmodifiable, empty when none has them all
   */
  public List<String> providersWith(Set<Capability> needed) {
    return providers.stream()
        .filter(p -> p.info().capabilities().containsAll(needed))
        .map(p -> p.info().name())
        .toList();
  }

  private IllegalArgumentException notFound(String name) {
    List<LoadProblem> failed =
        name == null ? List.of() : problems.stream().filter(p -> concerns(p, name)).toList();
    if (!failed.isEmpty()) {
      return new IllegalArgumentException(
          "provider: '"
              + name
              + "' failed to load: "
              + failed.stream().map(ProviderRegistry::why).collect(Collectors.joining("; ")));
    }
    return new IllegalArgumentException(
        "provider: unknown provider '"
            + name
            + "'; available: "
            + (byName.isEmpty()
                ? "none (no provider jar on the class path)"
                : String.join(", ", names())));
  }

  /** Whether a load problem concerns the provider of this name (see {@link #get}). */
  private static boolean concerns(LoadProblem problem, String name) {
    String wanted = letters(name);
    if (wanted.isEmpty()) {
      return false;
    }
    if (problem.className() != null) {
      String simple =
          letters(problem.className().substring(problem.className().lastIndexOf('.') + 1));
      if (simple.equals(wanted) || simple.equals(wanted + "provider")) {
        return true;
      }
    }
    return problem.source() != null
        && problem
            .source()
            .strip()
            .toLowerCase(Locale.ROOT)
            .endsWith("(" + name.strip().toLowerCase(Locale.ROOT) + ")");
  }

  private static String letters(String text) {
    return text.toLowerCase(Locale.ROOT).replaceAll("[^\\p{L}\\p{N}]", "");
  }

  /** The root reason a provider failed to load, then where it came from. */
  private static String why(LoadProblem problem) {
    String reason = problem.reason();
    if (problem.cause() != null) {
      Throwable root = problem.cause();
      while (root.getCause() != null && root.getCause() != root) {
        root = root.getCause();
      }
      // an invalid setting or declaration names itself; anything else is shown with its type
      reason =
          root instanceof IllegalArgumentException && root.getMessage() != null
              ? root.getMessage()
              : root.toString();
    }
    String origin =
        problem.className() == null
            ? problem.source()
            : problem.source() == null
                ? problem.className()
                : problem.className() + " from " + problem.source();
    return reason + (origin == null ? "" : " (" + origin + ")");
  }

  /**
   * The parameters the named provider accepts, derived by reflection from its declaration.
   *
   * @param name the provider's name, ignoring case
   * @return the parameters, as {@link Parameters#of} derives them from the provider's record
   * @throws IllegalArgumentException as {@link #get} does, or when the declaration is not a record
   * @throws IllegalStateException as {@link #get} does
   */
  public Parameters parameters(String name) {
    CompletionProvider provider = get(name);
    return Parameters.of(provider.info().name(), provider.parameters());
  }

  /** Closes every provider; failures are suppressed into the first one, which is rethrown. */
  @Override
  public void close() {
    RuntimeException failure = null;
    for (CompletionProvider provider : providers) {
      try {
        provider.close();
      } catch (Exception e) {
        if (failure == null) {
          failure =
              new IllegalStateException(
                  "closing provider " + provider.getClass().getName() + " failed", e);
        } else {
          failure.addSuppressed(e);
        }
      }
    }
    if (failure != null) {
      throw failure;
    }
  }

  private static String key(String name) {
    return name.strip().toLowerCase(Locale.ROOT);
  }

  private static String duplicateMessage(List<CompletionProvider> claimants) {
    return "provider name '"
        + claimants.get(0).info().name()
        + "' is claimed by "
        + claimants.stream()
            .map(p -> p.getClass().getName() + " (" + Discovery.locationOf(p.getClass()) + ")")
            .collect(Collectors.joining(" and "));
  }

  /** Builds a {@link ProviderRegistry}. Not thread-safe. */
  public static final class Builder {
    private ClassLoader classLoader;
    private boolean discover = true;
    private final List<CompletionProvider> explicit = new ArrayList<>();
    private final Set<String> preferred = new LinkedHashSet<>();
    private final List<CallListener> listeners = new ArrayList<>();

    private Builder() {
      String property = System.getProperty(PREFER_PROPERTY, "");
      Arrays.stream(property.split(","))
          .map(String::strip)
          .filter(s -> !s.isEmpty())
          .forEach(preferred::add);
    }

    /**
     * The class loader to discover with; null (the default) means the thread's context class
     * loader, as it is when {@link #build()} runs.
     *
     * @param classLoader the class loader, or null
     * @return this builder
     */
    public Builder classLoader(ClassLoader classLoader) {
      this.classLoader = classLoader;
      return this;
    }

    /**
     * Whether to discover providers, catalogs and call listeners with ServiceLoader at all (default
     * true).
     *
     * @param discover false to use only the providers and listeners added to this builder
     * @return this builder
     */
    public Builder discover(boolean discover) {
      this.discover = discover;
      return this;
    }

    /**
     * Adds a provider instance; it wins over discovered providers of the same name. The registry
     * closes it when it is closed.
     *
     * @param provider the provider, not null
     * @return this builder
     * @throws IllegalArgumentException when the provider is null
     */
    public Builder add(CompletionProvider provider) {
      if (provider == null) {
        throw new IllegalArgumentException("provider must not be null");
      }
      explicit.add(provider);
      return this;
    }

    /**
     * Adds a call listener: every call of the providers the registry hands out reaches it (see
     * {@link CallListener}). Listeners found by ServiceLoader are added after these unless {@link
     * #discover} is false.
     *
     * @param listener the listener
     * @return this builder
     * @throws IllegalArgumentException when the listener is null
     */
    public Builder listener(CallListener listener) {
      if (listener == null) {
        throw new IllegalArgumentException("listener must not be null");
      }
      listeners.add(listener);
      return this;
    }

    /**
     * When several classes claim one name, select the one with this fully qualified class name.
     * Adds to the classes {@value ProviderRegistry#PREFER_PROPERTY} named when the builder was
     * made.
     *
     * @param className the class's binary name, such as {@code org.example.GroqProvider}
     * @return this builder
     */
    public Builder prefer(String className) {
      preferred.add(className);
      return this;
    }

    /**
     * Discovers and builds. Never throws for a broken provider: see {@link #problems()}.
     *
     * @return a new registry; each build discovers again, with new instances of the discovered
     *     providers
     */
    public ProviderRegistry build() {
      ClassLoader loader =
          classLoader != null ? classLoader : Thread.currentThread().getContextClassLoader();
      return new ProviderRegistry(this, discover ? Discovery.run(loader) : Discovery.none());
    }
  }
}
