package dev.completions.registry;

import dev.completions.api.Capability;
import dev.completions.api.CompletionEvent;
import dev.completions.api.CompletionProvider;
import dev.completions.api.CompletionRequest;
import dev.completions.api.CompletionStream;
import dev.completions.api.EventFeed;
import dev.completions.api.MissingCapabilityException;
import dev.completions.api.Parameters;
import dev.completions.api.ProviderException;
import dev.completions.api.ProviderException.Kind;
import dev.completions.api.ProviderInfo;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A fallback chain that is itself a {@link CompletionProvider}: it tries its providers in order and
 * moves to the next only while no token has been delivered. After the first token, a failure
 * surfaces with the partial text, as for any provider. Failures another provider cannot fix (a bad
 * request, a content filter, cancellation) stop the chain at once. When every provider fails, one
 * error lists each provider tried, its model, and why it failed.
 *
 * <p>A provider that failed {@code failureThreshold} times in a row is skipped for {@code
 * cooldown}, then tried again. The answer's {@link CompletionStream#provider()} and {@link
 * CompletionStream#model()} name the link that answered.
 *
 * <p>Each link that fails and is left is reported to {@link CompletionStream#events()} readers as a
 * {@link CompletionEvent.FellBack} event. When the links come from a registry with call listeners,
 * the chain's calls are observed as one call each (the links themselves are called unobserved), and
 * the record names every link tried.
 *
 * <p>Thread-safe. Closing the chain does not close its providers: the registry owns them.
 */
public final class ProviderChain implements CompletionProvider {

  private final List<Link> links;
  private final ProviderInfo info;
  private final int failureThreshold;
  private final Duration cooldown;
  private final Clock clock;

  /** The listeners of the registry the links came from, or null. */
  private final Listeners listeners;

  private ProviderChain(Builder builder) {
    if (builder.links.isEmpty()) {
      throw new IllegalArgumentException("provider: a chain needs at least one provider");
    }
    this.links = List.copyOf(builder.links);
    this.failureThreshold = builder.failureThreshold;
    this.cooldown = builder.cooldown;
    this.clock = builder.clock;
    this.listeners = builder.listeners;
    Set<String> models = new LinkedHashSet<>();
    for (Link link : links) {
      models.add(link.model());
    }
    this.info =
        new ProviderInfo(
            links.stream()
                .map(link -> link.provider().info().name())
                .collect(Collectors.joining(" > ")),
            links.get(0).provider().info().url(),
            List.copyOf(models),
            links.get(0).model(),
            links.stream().allMatch(link -> link.provider().info().supportsStreaming()),
            links.stream().anyMatch(link -> link.provider().info().needsAuth()),
            links.stream()
                .flatMap(link -> link.provider().info().capabilities().stream())
                .collect(Collectors.toSet()));
  }

  /**
   * Parses a chain such as {@code lockchat:gpt-4,local}: provider names (any case), each optionally
   * with a model after a colon, separated by commas. An empty entry (a leading, double or trailing
   * comma) is refused.
   *
   * @param registry where the names are looked up ({@link ProviderRegistry#get}); not null. When it
   *     has call listeners, the chain is observed as one call by them
   * @param spec the chain, not null; spaces around names and models are ignored
   * @return a chain with the default failure threshold (3) and cooldown (60 s)
   * @throws IllegalArgumentException naming the unknown provider or the malformed part
   * @throws IllegalStateException when a name is claimed by several providers and none is preferred
   */
  public static ProviderChain parse(ProviderRegistry registry, String spec) {
    Builder builder = builder();
    for (String part : spec.split(",", -1)) {
      String trimmed = part.strip();
      if (trimmed.isEmpty()) {
        throw new IllegalArgumentException("provider: empty entry in the chain '" + spec + "'");
      }
      int colon = trimmed.indexOf(':');
      CompletionProvider provider =
          registry.get(colon < 0 ? trimmed : trimmed.substring(0, colon).strip());
      builder.add(provider, colon < 0 ? null : trimmed.substring(colon + 1).strip());
    }
    return builder.build();
  }

  /**
   * {@return a new builder with no link yet: failure threshold 3, cooldown 60 s, the system clock}
   */
  public static Builder builder() {
    return new Builder();
  }

  @Override
  public ProviderInfo info() {
    return info;
  }

  /** The first provider's declaration; requests are validated against every provider's. */
  @Override
  public Class<? extends Record> parameters() {
    return links.get(0).provider().parameters();
  }

  /**
   * {@inheritDoc}
   *
   * <p>The request is validated against every provider in the chain before any I/O. Each link gets
   * the request with its own model: the one given in the chain, else the request's when the
   * provider lists it, else the provider's default. A link that lacks a capability the request
   * needs is passed over without counting as a failure, and the chain's error says so; when no link
   * has what the request needs, the request is refused before any I/O.
   *
   * <p>Options and the standard fields {@code temperature}, {@code max_tokens} and {@code stop} go
   * to the links whose parameter records declare them; the others get the request without them. An
   * option named {@code <provider>.<option>} (e.g. {@code claude.thinking_budget}) goes to that
   * link only, as {@code <option>}.
   *
   * @throws MissingCapabilityException when no link can serve the request
   * @throws IllegalArgumentException when no link takes a field or option the request sets, a link
   *     refuses an option scoped to it, or a link refuses a value
   */
  @Override
  public CompletionStream complete(CompletionRequest request) {
    return listeners == null ? start(request) : listeners.call(this, request, this::start);
  }

  /** {@return the first link's endpoint} */
  @Override
  public Optional<URI> endpoint() {
    return links.get(0).provider().endpoint();
  }

  private CompletionStream start(CompletionRequest request) {
    Set<Capability> needed = request.requiredCapabilities();
    if (links.stream()
        .noneMatch(link -> link.provider().info().capabilities().containsAll(needed))) {
      EnumSet<Capability> missing = EnumSet.copyOf(needed);
      links.forEach(link -> missing.retainAll(lacking(link, needed)));
      throw new MissingCapabilityException(
          info.name(), missing.isEmpty() ? needed : missing, List.of());
    }
    List<Parameters> declared =
        links.stream()
            .map(link -> Parameters.of(link.provider().info().name(), link.provider().parameters()))
            .toList();
    requireSomeLinkTakes(request, declared);
    List<CompletionRequest> requests = new ArrayList<>();
    for (int i = 0; i < links.size(); i++) {
      Link link = links.get(i);
      CompletionProvider provider = link.provider();
      String model =
          link.explicitModel() != null
              ? link.explicitModel()
              : request.model() != null && provider.info().models().contains(request.model())
                  ? request.model()
                  : provider.info().defaultModel();
      CompletionRequest forLink = forLink(request, model, provider.info().name(), declared.get(i));
      declared.get(i).validate(forLink);
      requests.add(forLink);
    }
    return CompletionStream.of(info.name(), requests.get(0).model(), new ChainSource(requests));
  }

  /**
   * Refuses, before any I/O, a field or option that no link takes, and an option scoped to a
   * provider that is not in the chain.
   */
  private void requireSomeLinkTakes(CompletionRequest request, List<Parameters> declared) {
    List<String> standard = new ArrayList<>();
    if (request.temperature() != null) {
      standard.add("temperature");
    }
    if (request.maxTokens() != null) {
      standard.add("max_tokens");
    }
    if (!request.stop().isEmpty()) {
      standard.add("stop");
    }
    for (String field : standard) {
      if (declared.stream().noneMatch(parameters -> parameters.declares(field))) {
        throw new IllegalArgumentException(
            "no provider in the chain " + info.name() + " takes " + field);
      }
    }
    for (String option : request.options().keySet()) {
      int dot = option.indexOf('.');
      Link scope = dot > 0 ? linkNamed(option.substring(0, dot)) : null;
      if (scope == null && declared.stream().noneMatch(parameters -> parameters.declares(option))) {
        throw new IllegalArgumentException(
            "no provider in the chain "
                + info.name()
                + " accepts option '"
                + option
                + "' (to give an option to one provider only, prefix it with the provider's"
                + " name, e.g. '"
                + links.get(0).provider().info().name()
                + "."
                + (dot > 0 ? option.substring(dot + 1) : option)
                + "')");
      }
    }
  }

  private Link linkNamed(String name) {
    return links.stream()
        .filter(link -> link.provider().info().name().equalsIgnoreCase(name))
        .findFirst()
        .orElse(null);
  }

  /**
   * The request one link gets: its model; the standard fields and unscoped options it declares; the
   * options scoped to it ({@code <name>.<option>}), unscoped.
   */
  private CompletionRequest forLink(
      CompletionRequest request, String model, String name, Parameters parameters) {
    Map<String, Object> options = new LinkedHashMap<>();
    request
        .options()
        .forEach(
            (option, value) -> {
              int dot = option.indexOf('.');
              Link scope = dot > 0 ? linkNamed(option.substring(0, dot)) : null;
              if (scope == null
                  ? parameters.declares(option)
                  : scope.provider().info().name().equals(name)) {
                options.put(scope == null ? option : option.substring(dot + 1), value);
              }
            });
    return new CompletionRequest(
        model,
        request.messages(),
        request.stream(),
        parameters.declares("temperature") ? request.temperature() : null,
        parameters.declares("max_tokens") ? request.maxTokens() : null,
        parameters.declares("stop") ? request.stop() : List.of(),
        request.tools(),
        request.toolChoice(),
        request.responseFormat(),
        options);
  }

  /** One provider in a chain, with its failure record. */
  private static final class Link {
    private final CompletionProvider provider;
    private final String explicitModel;
    private int consecutiveFailures;
    private Instant coolingUntil = Instant.MIN;

    Link(CompletionProvider provider, String explicitModel) {
      this.provider = provider;
      this.explicitModel = explicitModel;
    }

    CompletionProvider provider() {
      return provider;
    }

    String explicitModel() {
      return explicitModel;
    }

    String model() {
      return explicitModel != null ? explicitModel : provider.info().defaultModel();
    }

    synchronized boolean isCooling(Instant now) {
      return now.isBefore(coolingUntil);
    }

    synchronized Instant coolingUntil() {
      return coolingUntil;
    }

    synchronized void failed(int threshold, Duration cooldown, Instant now) {
      consecutiveFailures++;
      if (consecutiveFailures >= threshold) {
        coolingUntil = now.plus(cooldown);
        consecutiveFailures = 0;
      }
    }

    synchronized void succeeded() {
      consecutiveFailures = 0;
      coolingUntil = Instant.MIN;
    }
  }

  /** Walks the links until one answers. */
  private final class ChainSource implements EventFeed {
    private final List<CompletionRequest> requests;
    private final List<String> failures = new ArrayList<>();
    private final List<ProviderException> causes = new ArrayList<>();
    private int next;
    private Link current;
    private volatile CompletionStream stream;
    private Iterator<CompletionEvent> events;
    private boolean delivered;
    private volatile boolean closed;

    ChainSource(List<CompletionRequest> requests) {
      this.requests = requests;
    }

    @Override
    public CompletionEvent next() {
      while (true) {
        if (events == null) {
          CompletionEvent started = startNextLink();
          if (started != null) {
            return started;
          }
        }
        try {
          if (!events.hasNext()) {
            current.succeeded();
            return null;
          }
          CompletionEvent event = events.next();
          if (event.isAnswerPart()) {
            delivered = true;
          }
          return event;
        } catch (ProviderException e) {
          current.failed(failureThreshold, cooldown, clock.instant());
          if (delivered || closed || !canFallBack(e)) {
            throw e;
          }
          failures.add(describe(current, e.getMessage()));
          causes.add(e);
          events = null;
          return new CompletionEvent.FellBack(
              current.provider().info().name(), requests.get(next - 1).model(), e);
        }
      }
    }

    /** Starts the next usable link and returns its Answered event; throws when none is left. */
    private CompletionEvent startNextLink() {
      Instant now = clock.instant();
      while (next < links.size()) {
        Link link = links.get(next);
        CompletionRequest request = requests.get(next);
        next++;
        Set<Capability> lacking = lacking(link, request.requiredCapabilities());
        if (!lacking.isEmpty()) {
          failures.add(
              describe(
                  link,
                  "passed over: it does not support "
                      + lacking.stream()
                          .map(Capability::wireName)
                          .collect(Collectors.joining(", "))));
          continue;
        }
        if (link.isCooling(now)) {
          failures.add(
              describe(
                  link,
                  "skipped: failed "
                      + failureThreshold
                      + " times in a row, cooling down until "
                      + link.coolingUntil()));
          continue;
        }
        current = link;
        stream = link.provider().complete(request);
        if (closed) {
          stream.close();
        }
        events = stream.events().iterator();
        return new CompletionEvent.Answered(link.provider().info().name(), request.model());
      }
      ProviderException last = causes.isEmpty() ? null : causes.get(causes.size() - 1);
      ProviderException.Builder all =
          ProviderException.builder(last == null ? Kind.SERVER : last.kind(), info.name())
              .message("every provider failed: " + String.join("; ", failures))
              .retryable(last == null || last.isRetryable())
              .retryAfter(last == null ? null : last.retryAfter().orElse(null))
              .attempts(causes.stream().mapToInt(ProviderException::attempts).sum())
              .cause(last);
      ProviderException error = all.build();
      causes.stream().limit(Math.max(0, causes.size() - 1)).forEach(error::addSuppressed);
      throw error;
    }

    private String describe(Link link, String why) {
      return link.provider().info().name()
          + " ("
          + requests.get(links.indexOf(link)).model()
          + "): "
          + why;
    }

    @Override
    public void close() {
      closed = true;
      CompletionStream open = stream;
      if (open != null) {
        open.close();
      }
    }
  }

  private static Set<Capability> lacking(Link link, Set<Capability> needed) {
    if (needed.isEmpty()) {
      return Set.of();
    }
    EnumSet<Capability> lacking = EnumSet.copyOf(needed);
    lacking.removeAll(link.provider().info().capabilities());
    return lacking;
  }

  private static boolean canFallBack(ProviderException e) {
    return switch (e.kind()) {
      case BAD_REQUEST, CONTENT_FILTER, CANCELLED -> false;
      default -> true;
    };
  }

  /** Builds a {@link ProviderChain}. Not thread-safe. */
  public static final class Builder {
    private final List<Link> links = new ArrayList<>();
    private int failureThreshold = 3;
    private Duration cooldown = Duration.ofSeconds(60);
    private Clock clock = Clock.systemUTC();
    private Listeners listeners;

    private Builder() {}

    /**
     * Appends a provider; {@code model} null means the request's model or the provider's default. A
     * provider handed out by a registry with call listeners is called unobserved, and the chain is
     * observed as one call by that registry's listeners (the first such link's registry).
     *
     * @param provider the provider, not null
     * @param model the model to ask this provider for, or null; not blank
     * @return this builder
     * @throws IllegalArgumentException when the provider is null or the model is blank
     */
    public Builder add(CompletionProvider provider, String model) {
      if (provider == null) {
        throw new IllegalArgumentException("provider must not be null");
      }
      if (provider instanceof ObservedProvider observed) {
        provider = observed.provider();
        if (listeners == null) {
          listeners = observed.listeners();
        }
      }
      if (model != null && model.isBlank()) {
        throw new IllegalArgumentException("model: must not be blank in a chain entry");
      }
      links.add(new Link(provider, model));
      return this;
    }

    /**
     * Failures in a row after which a provider is skipped for the cooldown (default 3).
     *
     * @param failures the threshold, at least 1
     * @return this builder
     * @throws IllegalArgumentException when {@code failures} is less than 1
     */
    public Builder failureThreshold(int failures) {
      if (failures < 1) {
        throw new IllegalArgumentException("failureThreshold: must be at least 1, got " + failures);
      }
      this.failureThreshold = failures;
      return this;
    }

    /**
     * How long a provider is skipped after too many failures in a row (default 60 s).
     *
     * @param cooldown the time, zero or positive
     * @return this builder
     * @throws IllegalArgumentException when {@code cooldown} is null or negative
     */
    public Builder cooldown(Duration cooldown) {
      if (cooldown == null || cooldown.isNegative()) {
        throw new IllegalArgumentException("cooldown: must be zero or positive, got " + cooldown);
      }
      this.cooldown = cooldown;
      return this;
    }

    /**
     * The clock cooldowns are measured with (tests pass one they control).
     *
     * @param clock the clock, not null (default: {@link Clock#systemUTC()})
     * @return this builder
     */
    public Builder clock(Clock clock) {
      this.clock = clock;
      return this;
    }

    /**
     * Builds the chain. Does no I/O.
     *
     * @return a new chain of the links added so far, in order
     * @throws IllegalArgumentException when no link was added
     */
    public ProviderChain build() {
      return new ProviderChain(this);
    }
  }
}
