package org.example.groq.mutants;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import dev.completions.api.CompletionProvider;
import dev.completions.openai.Auth;
import dev.completions.openai.HttpCompletionProvider;
import dev.completions.openai.OpenAiCompatibleProvider;
import dev.completions.openai.ProviderConfig;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.example.groq.GroqConformanceTest;
import org.example.groq.GroqProvider;
import org.junit.jupiter.api.Test;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.support.descriptor.MethodSource;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;

/**
 * The kit catches each bug a provider author found it missing: Groq's own conformance test, run
 * against a provider with one planted bug, fails; run against the real provider, every kit test
 * passes and none is skipped. The suites are nested classes, which Surefire does not run by itself.
 */
class KitCatchesPlantedBugsTest {

  /**
   * Groq's conformance test on a provider built from Groq's loopback configuration by {@link
   * #plant}.
   */
  abstract static class Mutant extends GroqConformanceTest {
    @Override
    protected final CompletionProvider createProvider(URI loopback, Duration timeout) {
      return plant(((HttpCompletionProvider) super.createProvider(loopback, timeout)).config());
    }

    abstract CompletionProvider plant(ProviderConfig groq);
  }

  static class WrongPath extends Mutant {
    @Override
    CompletionProvider plant(ProviderConfig groq) {
      return new OpenAiCompatibleProvider(groq.toBuilder().path("/completions").build());
    }
  }

  static class NoAuthorization extends Mutant {
    @Override
    CompletionProvider plant(ProviderConfig groq) {
      return new OpenAiCompatibleProvider(groq.toBuilder().auth(Auth.none()).build());
    }
  }

  static class NoModelInBody extends Mutant {
    @Override
    CompletionProvider plant(ProviderConfig groq) {
      return PlantedBugProvider.withBody(
          groq, body -> body.replaceFirst(",\"model\":\"[^\"]*\"", ""));
    }
  }

  static class ForbiddenIsABadRequest extends Mutant {
    @Override
    CompletionProvider plant(ProviderConfig groq) {
      return PlantedBugProvider.withBadRequestFor(groq, 403);
    }
  }

  static class RequestTimeoutUnmapped extends Mutant {
    @Override
    CompletionProvider plant(ProviderConfig groq) {
      return PlantedBugProvider.withBadRequestFor(groq, 408);
    }
  }

  static class RetryAfterIgnored extends Mutant {
    @Override
    CompletionProvider plant(ProviderConfig groq) {
      return new RetriesAtOnce(
          new GroqProvider(groq.toBuilder().attempts(1).build()), groq.attempts());
    }
  }

  static class RealGroq extends Mutant {
    @Override
    CompletionProvider plant(ProviderConfig groq) {
      return new GroqProvider(groq);
    }
  }

  /** What one run of a suite did, by test method name. */
  record Run(List<String> passed, List<String> failed, List<String> skipped) {}

  private static Run run(Class<?> suite) {
    List<String> passed = new ArrayList<>();
    List<String> failed = new ArrayList<>();
    List<String> skipped = new ArrayList<>();
    TestExecutionListener listener =
        new TestExecutionListener() {
          @Override
          public void executionFinished(TestIdentifier test, TestExecutionResult result) {
            if (!test.isTest()) {
              if (result.getStatus() != TestExecutionResult.Status.SUCCESSFUL) {
                failed.add(test.getDisplayName() + ": " + result.getThrowable().orElse(null));
              }
              return;
            }
            String name = ((MethodSource) test.getSource().orElseThrow()).getMethodName();
            switch (result.getStatus()) {
              case SUCCESSFUL -> passed.add(name);
              case FAILED -> failed.add(name);
              case ABORTED -> skipped.add(name);
            }
          }

          @Override
          public void executionSkipped(TestIdentifier test, String reason) {
            skipped.add(test.getDisplayName());
          }
        };
    LauncherFactory.create()
        .execute(
            LauncherDiscoveryRequestBuilder.request().selectors(selectClass(suite)).build(),
            listener);
    return new Run(passed, failed, skipped);
  }

  @Test
  void theRealGroqProviderPassesEveryKitTest() {
    Run run = run(RealGroq.class);
    assertThat(run.failed()).isEmpty();
    assertThat(run.skipped())
        .as("kit tests skipped: every hook and statement is provided")
        .isEmpty();
    assertThat(run.passed()).hasSizeGreaterThan(30);
  }

  @Test
  void theKitCatchesAWrongPath() {
    assertThat(run(WrongPath.class).failed()).contains("theRequestUsesTheStatedMethodAndPath");
  }

  @Test
  void theKitCatchesAMissingAuthorizationHeader() {
    assertThat(run(NoAuthorization.class).failed())
        .contains("theStatedHeadersAndQueryParametersAreSent");
  }

  @Test
  void theKitCatchesABodyWithoutTheModel() {
    assertThat(run(NoModelInBody.class).failed())
        .contains(
            "theBodyNamesTheDefaultModelWhenTheRequestNamesNone", "theBodyNamesTheRequestedModel");
  }

  @Test
  void theKitCatches403MappedToABadRequest() {
    assertThat(run(ForbiddenIsABadRequest.class).failed())
        .contains("http403IsAnAuthenticationFailure");
  }

  @Test
  void theKitCatches408LeftUnmapped() {
    assertThat(run(RequestTimeoutUnmapped.class).failed()).contains("http408IsATimeout");
  }

  @Test
  void theKitCatchesRetryAfterIgnored() {
    assertThat(run(RetryAfterIgnored.class).failed()).contains("theRetryAfterWaitIsHonoured");
  }
}
