package dev.completions.tck;

import static org.assertj.core.api.Assertions.assertThat;

import dev.completions.api.Capability;
import dev.completions.api.CompletionRequest;
import java.util.Set;
import org.junit.jupiter.api.Test;

class CapabilityRequestsTest {

  private static final CompletionRequest BASE =
      CompletionRequest.builder().model("m1").system("Be brief.").user("Hi").maxTokens(5).build();

  @Test
  void eachRequestNeedsExactlyItsCapability() {
    for (Capability capability : Capability.values()) {
      ProviderConformanceTest.needing(BASE, capability)
          .ifPresent(
              request ->
                  assertThat(request.requiredCapabilities())
                      .as("what the request for %s needs", capability)
                      .isEqualTo(Set.of(capability)));
    }
  }

  @Test
  void onlyReasoningOutputCannotBeAskedFor() {
    for (Capability capability : Capability.values()) {
      assertThat(ProviderConformanceTest.needing(BASE, capability).isPresent())
          .as("a request for %s", capability)
          .isEqualTo(capability != Capability.REASONING_OUTPUT);
    }
  }

  @Test
  void theRequestKeepsTheAuthorsRequest() {
    for (Capability capability :
        Set.of(Capability.TOOLS, Capability.JSON_OUTPUT, Capability.JSON_SCHEMA_OUTPUT)) {
      CompletionRequest request = ProviderConformanceTest.needing(BASE, capability).orElseThrow();
      assertThat(request.messages()).isEqualTo(BASE.messages());
      assertThat(request.model()).isEqualTo("m1");
      assertThat(request.options()).isEqualTo(BASE.options());
    }
    CompletionRequest image =
        ProviderConformanceTest.needing(BASE, Capability.IMAGE_INPUT).orElseThrow();
    assertThat(image.messages())
        .startsWith(BASE.messages().toArray(new dev.completions.api.Message[0]));
    assertThat(image.messages().get(image.messages().size() - 1).images()).hasSize(1);
  }
}
