package dev.completions.tck;

import static org.assertj.core.api.Assertions.assertThat;

import dev.completions.api.Message;
import dev.completions.api.Param;
import dev.completions.api.ParameterInfo;
import dev.completions.api.Parameters;
import java.util.List;
import org.junit.jupiter.api.Test;

class BoundedOptionTest {

  record ShortNames(
      @Param("model") String model,
      @Param("messages") List<Message> messages,
      @Param("stream") boolean stream,
      @Param(value = "temperature", min = 0, max = 2) double temperature,
      @Param(value = "a one-letter option", max = 1) Double p) {}

  record MinOnly(
      String model,
      List<Message> messages,
      boolean stream,
      double temperature,
      @Param(value = "at least one", min = 1) Integer topK) {}

  @Test
  void anOptionWhoseNameIsInsideAStandardNameIsStillAnOption() {
    assertThat(ProviderConformanceTest.boundedOption(Parameters.of("Kit", ShortNames.class)))
        .map(ParameterInfo::name)
        .hasValue("p");
  }

  @Test
  void theValuePastAnUpperBoundIsOfTheOptionsType() {
    ParameterInfo p =
        ProviderConformanceTest.boundedOption(Parameters.of("Kit", ShortNames.class)).orElseThrow();
    assertThat(ProviderConformanceTest.outside(p)).isEqualTo(2.0);
  }

  @Test
  void anOptionBoundedOnlyBelowGetsAValueUnderItsBound() {
    ParameterInfo topK =
        ProviderConformanceTest.boundedOption(Parameters.of("Kit", MinOnly.class)).orElseThrow();
    assertThat(ProviderConformanceTest.outside(topK)).isEqualTo(0);
  }
}
