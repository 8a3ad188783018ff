package dev.completions.registry;

import dev.completions.api.CallListener;
import dev.completions.api.CompletionProvider;
import dev.completions.api.ProviderCatalog;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.security.CodeSource;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.function.Consumer;
import java.util.function.Function;

/** One ServiceLoader pass that keeps going past broken entries. */
record Discovery(
    List<CompletionProvider> providers, List<CallListener> listeners, List<LoadProblem> problems) {

  private static final String SERVICES_FILE =
      "META-INF/services/" + CompletionProvider.class.getName();

  /** ServiceLoader normally moves past a broken entry; this bounds the loop if it ever does not. */
  private static final int MAX_CONSECUTIVE_ERRORS = 1000;

  static Discovery none() {
    return new Discovery(List.of(), List.of(), List.of());
  }

  /**
   * The providers found one by one, then those of every {@link ProviderCatalog}, and the {@link
   * CallListener}s.
   */
  static Discovery run(ClassLoader loader) {
    Map<String, String> entries = servicesEntries(loader);
    List<CompletionProvider> providers = new ArrayList<>();
    List<LoadProblem> problems = new ArrayList<>();
    each(
        CompletionProvider.class,
        loader,
        problems,
        e -> problemOf(e, entries),
        provider -> {
          try {
            provider.info();
            provider.parameters();
            providers.add(provider);
          } catch (RuntimeException | LinkageError e) {
            problems.add(
                new LoadProblem(
                    provider.getClass().getName(),
                    locationOf(provider.getClass()),
                    "its metadata could not be read: " + e,
                    e));
          }
        });
    each(
        ProviderCatalog.class,
        loader,
        problems,
        e ->
            new LoadProblem(
                null, null, "a provider catalog could not be loaded: " + e.getMessage(), e),
        catalog -> {
          try {
            ProviderCatalog.Contents contents = catalog.load(loader);
            providers.addAll(contents.providers());
            contents
                .problems()
                .forEach(p -> problems.add(new LoadProblem(null, p.source(), p.reason(), null)));
          } catch (RuntimeException | LinkageError e) {
            problems.add(
                new LoadProblem(
                    catalog.getClass().getName(),
                    locationOf(catalog.getClass()),
                    "the catalog failed: " + e,
                    e));
          }
        });
    List<CallListener> listeners = new ArrayList<>();
    each(
        CallListener.class,
        loader,
        problems,
        e ->
            new LoadProblem(
                null, null, "a call listener could not be loaded: " + e.getMessage(), e),
        listeners::add);
    return new Discovery(List.copyOf(providers), List.copyOf(listeners), List.copyOf(problems));
  }

  /**
   * One ServiceLoader pass over a service that goes on past broken entries, each reported as {@code
   * broken} says, and stops after {@value #MAX_CONSECUTIVE_ERRORS} errors in a row.
   */
  private static <S> void each(
      Class<S> service,
      ClassLoader loader,
      List<LoadProblem> problems,
      Function<Throwable, LoadProblem> broken,
      Consumer<S> loaded) {
    Iterator<S> iterator = ServiceLoader.load(service, loader).iterator();
    int consecutiveErrors = 0;
    while (consecutiveErrors < MAX_CONSECUTIVE_ERRORS) {
      S found;
      try {
        // hasNext() throws for a missing class or a bad services file, next() for a failing
        // constructor
        if (!iterator.hasNext()) {
          return;
        }
        found = iterator.next();
      } catch (ServiceConfigurationError | LinkageError e) {
        problems.add(broken.apply(e));
        consecutiveErrors++;
        continue;
      }
      consecutiveErrors = 0;
      loaded.accept(found);
    }
    problems.add(
        new LoadProblem(
            null,
            null,
            "discovery of "
                + service.getSimpleName()
                + " stopped after "
                + MAX_CONSECUTIVE_ERRORS
                + " errors in a row",
            null));
  }

  static String locationOf(Class<?> type) {
    CodeSource source = type.getProtectionDomain().getCodeSource();
    if (source != null && source.getLocation() != null) {
      return source.getLocation().toString();
    }
    return type.getModule().isNamed() ? "module " + type.getModule().getName() : "unknown location";
  }

  private static LoadProblem problemOf(Throwable error, Map<String, String> entries) {
    String message = String.valueOf(error.getMessage());
    String className = null;
    for (String candidate : entries.keySet()) {
      if (message.contains(candidate)
          && (className == null || candidate.length() > className.length())) {
        className = candidate;
      }
    }
    Throwable root = error;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String reason = root == error ? message : message + ": " + root;
    return new LoadProblem(
        className, className == null ? null : entries.get(className), reason, error);
  }

  /** Every entry of every services file visible to the loader, mapped to the file that lists it. */
  private static Map<String, String> servicesEntries(ClassLoader loader) {
    Map<String, String> entries = new LinkedHashMap<>();
    try {
      Enumeration<URL> files =
          loader == null
              ? ClassLoader.getSystemResources(SERVICES_FILE)
              : loader.getResources(SERVICES_FILE);
      while (files.hasMoreElements()) {
        URL file = files.nextElement();
        try (BufferedReader reader =
            new BufferedReader(new InputStreamReader(file.openStream(), StandardCharsets.UTF_8))) {
          String line;
          while ((line = reader.readLine()) != null) {
            int comment = line.indexOf('#');
            String entry = (comment >= 0 ? line.substring(0, comment) : line).strip();
            if (!entry.isEmpty()) {
              entries.putIfAbsent(entry, file.toString());
            }
          }
        }
      }
    } catch (IOException e) {
      // the entries only enrich problem reports; ServiceLoader reports unreadable files itself
    }
    return entries;
  }
}
