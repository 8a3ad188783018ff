package dev.completions.openai.internal;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * The same targets for a long run, started by hand: {@code JAZZER_FUZZ=1 ./mvnw -pl provider-openai
 * -am test -Dtest='LongFuzzTest#sseReader' -Dsurefire.failIfNoSpecifiedTests=false}. In a normal
 * run they only replay their inputs.
 */
class LongFuzzTest {

  @FuzzTest(maxDuration = "2h")
  void sseReader(byte[] input) {
    FuzzTargets.sseReader(input);
  }

  @FuzzTest(maxDuration = "2h")
  void chunkDecoder(byte[] input) {
    FuzzTargets.chunkDecoder(input);
  }

  @FuzzTest(maxDuration = "2h")
  void fastPathAgreesWithJackson(byte[] input) {
    FuzzTargets.fastPathAgreesWithJackson(input);
  }
}
