package dev.completions.openai.internal;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Fuzz targets for the SSE reader and the chunk decoder. A normal test run replays the committed
 * seed corpus (resources {@code SseFuzzTestInputs/}) and every finding saved there; the build also
 * runs each target in fuzzing mode for 15 s (surefire executions with {@code JAZZER_FUZZ=1}).
 */
class SseFuzzTest {

  @FuzzTest(maxDuration = "15s")
  void sseReader(byte[] input) {
    FuzzTargets.sseReader(input);
  }

  @FuzzTest(maxDuration = "15s")
  void chunkDecoder(byte[] input) {
    FuzzTargets.chunkDecoder(input);
  }

  @FuzzTest(maxDuration = "15s")
  void fastPathAgreesWithJackson(byte[] input) {
    FuzzTargets.fastPathAgreesWithJackson(input);
  }
}
