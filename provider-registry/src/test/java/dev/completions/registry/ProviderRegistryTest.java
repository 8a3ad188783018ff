package dev.completions.registry;

import static dev.completions.registry.ProviderJars.provider;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.completions.api.Capability;
import dev.completions.api.CompletionProvider;
import dev.completions.api.CompletionRequest;
import dev.completions.api.CompletionStream;
import dev.completions.api.MissingCapabilityException;
import dev.completions.api.ProviderException;
import dev.completions.api.ProviderInfo;
import dev.completions.api.Tool;
import java.net.URI;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProviderRegistryTest {

  @TempDir Path dir;

  private ProviderRegistry load(ProviderJars jars) {
    URLClassLoader loader = jars.loader();
    return ProviderRegistry.load(loader);
  }

  @Test
  void discoversProvidersFromJarsAndSelectsThemByNameIgnoringCase() {
    ProviderJars jars =
        new ProviderJars(dir)
            .jar(
                "alpha",
                List.of("com.alpha.AlphaProvider"),
                "com.alpha.AlphaProvider",
                provider("com.alpha", "AlphaProvider", "Alpha", ""))
            .jar(
                "beta",
                List.of("# a comment", "com.beta.BetaProvider  # trailing"),
                "com.beta.BetaProvider",
                provider("com.beta", "BetaProvider", "Beta", ""));

    try (ProviderRegistry registry = load(jars)) {
      assertThat(registry.names()).containsExactly("Alpha", "Beta");
      assertThat(registry.get("ALPHA").getClass().getName()).isEqualTo("com.alpha.AlphaProvider");
      assertThat(registry.find(" beta ")).map(p -> p.info().name()).contains("Beta");
      assertThat(registry.find("gamma")).isEmpty();
      assertThat(registry.problems()).isEmpty();
    }
  }

  @Test
  void aCatalogThatCannotBeLoadedIsAProblemAndHidesNoProvider() {
    ProviderJars jars =
        new ProviderJars(dir)
            .jar(
                "alpha",
                List.of("com.alpha.AlphaProvider"),
                "com.alpha.AlphaProvider",
                provider("com.alpha", "AlphaProvider", "Alpha", ""))
            .catalogJar("ghost", List.of("com.ghost.MissingCatalog"));

    try (ProviderRegistry registry = load(jars)) {
      assertThat(registry.names()).containsExactly("Alpha");
      assertThat(registry.problems())
          .singleElement()
          .satisfies(
              problem ->
                  assertThat(problem.reason())
                      .startsWith("a provider catalog could not be loaded: ")
                      .contains("com.ghost.MissingCatalog"));
    }
  }

  @Test
  void anUnknownNameListsTheAvailableProviders() {
    ProviderJars jars =
        new ProviderJars(dir)
            .jar(
                "alpha",
                List.of("com.alpha.AlphaProvider"),
                "com.alpha.AlphaProvider",
                provider("com.alpha", "AlphaProvider", "Alpha", ""));

    try (ProviderRegistry registry = load(jars)) {
      assertThatThrownBy(() -> registry.get("gamma"))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("provider: unknown provider 'gamma'; available: Alpha");
    }
  }

  @Test
  void aServicesEntryForAMissingClassIsReportedAndTheOthersStillLoad() {
    ProviderJars jars =
        new ProviderJars(dir)
            .jar("broken", List.of("com.broken.Missing"))
            .jar(
                "alpha",
                List.of("com.alpha.AlphaProvider"),
                "com.alpha.AlphaProvider",
                provider("com.alpha", "AlphaProvider", "Alpha", ""));

    try (ProviderRegistry registry = load(jars)) {
      assertThat(registry.names()).containsExactly("Alpha");
      assertThat(registry.problems())
          .singleElement()
          .satisfies(
              problem -> {
                assertThat(problem.className()).isEqualTo("com.broken.Missing");
                assertThat(problem.source())
                    .startsWith("jar:")
                    .contains("broken.jar!/META-INF/services/");
                assertThat(problem.reason()).contains("Provider com.broken.Missing not found");
              });
    }
  }

  @Test
  void aFailingConstructorIsReportedWithItsCauseAndTheOthersStillLoad() {
    ProviderJars jars =
        new ProviderJars(dir)
            .jar(
                "failing",
                List.of("com.failing.FailingProvider"),
                "com.failing.FailingProvider",
                provider(
                    "com.failing",
                    "FailingProvider",
                    "Failing",
                    "if (true) throw new IllegalStateException(\"no config\");"))
            .jar(
                "alpha",
                List.of("com.alpha.AlphaProvider"),
                "com.alpha.AlphaProvider",
                provider("com.alpha", "AlphaProvider", "Alpha", ""));

    try (ProviderRegistry registry = load(jars)) {
      assertThat(registry.names()).containsExactly("Alpha");
      assertThat(registry.problems())
          .singleElement()
          .satisfies(
              problem -> {
                assertThat(problem.className()).isEqualTo("com.failing.FailingProvider");
                assertThat(problem.reason())
                    .contains("could not be instantiated")
                    .endsWith("java.lang.IllegalStateException: no config");
              });
    }
  }

  @Test
  void aNameWhoseProviderFailedToLoadIsRefusedWithTheReasonItFailed() {
    ProviderJars jars =
        new ProviderJars(dir)
            .jar(
                "failing",
                List.of("com.failing.FailingProvider"),
                "com.failing.FailingProvider",
                provider(
                    "com.failing",
                    "FailingProvider",
                    "Failing",
                    "if (true) throw new IllegalArgumentException(\"failing.idleTimeout: must be a duration, got 'soon'\");"))
            .jar(
                "alpha",
                List.of("com.alpha.AlphaProvider"),
                "com.alpha.AlphaProvider",
                provider("com.alpha", "AlphaProvider", "Alpha", ""));

    try (ProviderRegistry registry = load(jars)) {
      assertThatThrownBy(() -> registry.get("FAILING"))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageStartingWith(
              "provider: 'FAILING' failed to load: failing.idleTimeout: must be a duration, got 'soon'"
                  + " (com.failing.FailingProvider from jar:file:")
          .hasMessageEndingWith(
              "failing.jar!/META-INF/services/dev.completions.api.CompletionProvider)");
    }
  }

  @Test
  void aNameWhoseCatalogEntryFailedIsRefusedWithTheReasonAndTheEntry() {
    ProviderJars jars =
        new ProviderJars(dir)
            .catalogJar(
                "declared",
                List.of("com.declared.Declarations"),
                "com.declared.Declarations",
                ProviderJars.catalog(
                    "com.declared",
                    "Declarations",
                    "/home/me/providers.json, providers[2] (AcmeCloud)",
                    "'base_url' must be a string"));

    try (ProviderRegistry registry = load(jars)) {
      assertThatThrownBy(() -> registry.get("acmecloud"))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage(
              "provider: 'acmecloud' failed to load: 'base_url' must be a string"
                  + " (/home/me/providers.json, providers[2] (AcmeCloud))");
    }
  }

  @Test
  void aProviderMissingADependencyIsReported() {
    String needsMissing =
        provider("com.needy", "NeedyProvider", "Needy", "new com.gone.Dependency();");
    ProviderJars jars =
        new ProviderJars(dir)
            .jar(
                "gone",
                List.of(),
                "com.gone.Dependency",
                "package com.gone; public class Dependency {}")
            .jar(
                "needy",
                List.of("com.needy.NeedyProvider"),
                "com.needy.NeedyProvider",
                needsMissing);
    // load only the needy jar: the dependency's jar is not on the class path
    URLClassLoader loader =
        new URLClassLoader(
            new java.net.URL[] {url(dir.resolve("needy.jar"))}, getClass().getClassLoader());

    try (ProviderRegistry registry = ProviderRegistry.load(loader)) {
      assertThat(registry.providers()).isEmpty();
      assertThat(registry.problems())
          .singleElement()
          .satisfies(
              problem -> {
                assertThat(problem.className()).isEqualTo("com.needy.NeedyProvider");
                assertThat(problem.reason())
                    .endsWith("java.lang.ClassNotFoundException: com.gone.Dependency");
              });
    }
  }

  @Test
  void aMalformedServicesFileIsReportedAndTheOthersStillLoad() {
    ProviderJars jars =
        new ProviderJars(dir)
            .jar("garbled", List.of("this is not a class name!"))
            .jar(
                "alpha",
                List.of("com.alpha.AlphaProvider"),
                "com.alpha.AlphaProvider",
                provider("com.alpha", "AlphaProvider", "Alpha", ""));

    try (ProviderRegistry registry = load(jars)) {
      assertThat(registry.names()).containsExactly("Alpha");
      assertThat(registry.problems())
          .singleElement()
          .satisfies(
              problem ->
                  assertThat(problem.reason()).contains("Illegal configuration-file syntax"));
    }
  }

  @Test
  void twoProvidersClaimingOneNameAreAProblemAndSelectingItNamesBothUnlessOneIsPreferred() {
    ProviderJars jars =
        new ProviderJars(dir)
            .jar(
                "twin-a",
                List.of("com.a.TwinProvider"),
                "com.a.TwinProvider",
                provider("com.a", "TwinProvider", "Twin", ""))
            .jar(
                "twin-b",
                List.of("com.b.TwinProvider"),
                "com.b.TwinProvider",
                provider("com.b", "TwinProvider", "twin", ""));
    URLClassLoader loader = jars.loader();

    try (ProviderRegistry registry = ProviderRegistry.load(loader)) {
      assertThat(registry.problems())
          .singleElement()
          .satisfies(
              problem ->
                  assertThat(problem.reason())
                      .startsWith("provider name 'Twin' is claimed by com.a.TwinProvider (file:")
                      .contains("twin-a.jar) and com.b.TwinProvider (file:")
                      .endsWith("twin-b.jar)"));
      assertThatThrownBy(() -> registry.get("TWIN"))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("com.a.TwinProvider")
          .hasMessageContaining("com.b.TwinProvider")
          .hasMessageEndingWith(
              "; choose one with ProviderRegistry.builder().prefer(className) or -Dcompletions.prefer=className");
    }
    try (ProviderRegistry preferring =
        ProviderRegistry.builder().classLoader(loader).prefer("com.b.TwinProvider").build()) {
      assertThat(preferring.get("twin").getClass().getName()).isEqualTo("com.b.TwinProvider");
    }
  }

  @Test
  void anExplicitlyAddedProviderWinsOverADiscoveredOneOfTheSameName() {
    ProviderJars jars =
        new ProviderJars(dir)
            .jar(
                "alpha",
                List.of("com.alpha.AlphaProvider"),
                "com.alpha.AlphaProvider",
                provider("com.alpha", "AlphaProvider", "Alpha", ""));
    CompletionProvider mine =
        new CompletionProvider() {
          @Override
          public ProviderInfo info() {
            return new ProviderInfo(
                "alpha", URI.create("https://mine.example"), List.of("x"), "x", false, true);
          }

          @Override
          public Class<? extends Record> parameters() {
            return Params.class;
          }

          @Override
          public CompletionStream complete(CompletionRequest request) {
            throw new UnsupportedOperationException();
          }
        };

    try (ProviderRegistry registry =
        ProviderRegistry.builder().classLoader(jars.loader()).add(mine).build()) {
      assertThat(registry.get("Alpha")).isSameAs(mine);
      assertThat(registry.problems()).isEmpty();
    }
  }

  record Params(String model) {}

  @Test
  void describesTheParametersOfASelectedProvider() {
    ProviderJars jars =
        new ProviderJars(dir)
            .jar(
                "alpha",
                List.of("com.alpha.AlphaProvider"),
                "com.alpha.AlphaProvider",
                provider("com.alpha", "AlphaProvider", "Alpha", ""));

    try (ProviderRegistry registry = load(jars)) {
      assertThat(registry.parameters("alpha").describe())
          .isEqualTo(
              "Alpha supports: (model: String, messages: List<Message>, stream: boolean, temperature: double)");
    }
  }

  @Test
  void completingByNameSendsTheRequestToThatProvider() {
    ScriptedProvider plain = new ScriptedProvider("Plain").tokens("Hi", "!");
    try (ProviderRegistry registry =
        ProviderRegistry.builder().discover(false).add(plain).build()) {
      assertThat(registry.complete("PLAIN", CompletionRequest.of("Hello")).text()).isEqualTo("Hi!");
    }
    assertThat(plain.requests())
        .extracting(r -> r.messages().get(0).content())
        .containsExactly("Hello");
  }

  @Test
  void completingByNameARequestTheProviderCannotServeNamesTheProvidersThatCan() {
    ScriptedProvider plain = new ScriptedProvider("Plain");
    ScriptedProvider toolbox = new ScriptedProvider("Toolbox").capable(Capability.TOOLS);
    ScriptedProvider seer =
        new ScriptedProvider("Seer").capable(Capability.TOOLS, Capability.IMAGE_INPUT);
    CompletionRequest withATool =
        CompletionRequest.builder()
            .user("Weather?")
            .tool(Tool.of("get_weather", "", Tool.NO_PARAMETERS))
            .build();
    try (ProviderRegistry registry =
        ProviderRegistry.builder().discover(false).add(plain).add(toolbox).add(seer).build()) {

      assertThatThrownBy(() -> registry.complete("plain", withATool))
          .isInstanceOf(MissingCapabilityException.class)
          .hasMessage(
              "Plain cannot serve this request: it needs tools, which Plain does not support;"
                  + " providers that do: Toolbox, Seer");
      assertThat(registry.providersWith(Set.of(Capability.IMAGE_INPUT))).containsExactly("Seer");
    }
    assertThat(plain.requests()).isEmpty();
  }

  @Test
  void completingByAChainSpecUsesTheChain() {
    ScriptedProvider first = new ScriptedProvider("First");
    ScriptedProvider second = new ScriptedProvider("Second").tokens("from second");
    first.fails(first.error(ProviderException.Kind.SERVER, "HTTP 503: overloaded"));
    try (ProviderRegistry registry =
        ProviderRegistry.builder().discover(false).add(first).add(second).build()) {
      CompletionStream answer = registry.complete("first:gpt-4,second", CompletionRequest.of("Hi"));

      assertThat(answer.text()).isEqualTo("from second");
      assertThat(answer.provider()).isEqualTo("Second");
    }
    assertThat(first.requests()).extracting(CompletionRequest::model).containsExactly("gpt-4");
  }

  @Test
  void closingTheRegistryClosesEveryProvider() {
    ProviderJars jars =
        new ProviderJars(dir)
            .jar(
                "closer",
                List.of("com.closer.CloserProvider"),
                "com.closer.CloserProvider",
                provider("com.closer", "CloserProvider", "Closer", ""));

    load(jars).close();

    assertThat(System.getProperty("closed.com.closer.CloserProvider")).isEqualTo("yes");
  }

  @Test
  void itsListsCannotBeModified() {
    try (ProviderRegistry registry = ProviderRegistry.builder().discover(false).build()) {
      assertThatThrownBy(() -> registry.providers().add(null))
          .isInstanceOf(UnsupportedOperationException.class);
      assertThatThrownBy(() -> registry.problems().add(null))
          .isInstanceOf(UnsupportedOperationException.class);
      assertThatThrownBy(() -> registry.get("any"))
          .hasMessage(
              "provider: unknown provider 'any'; available: none (no provider jar on the class path)");
    }
  }

  private static java.net.URL url(Path path) {
    try {
      return path.toUri().toURL();
    } catch (java.net.MalformedURLException e) {
      throw new IllegalStateException(e);
    }
  }
}
