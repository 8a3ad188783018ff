package dev.completions.openai.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The off switch of the fast path: {@code -Dcompletions.openai.fastPath=false}, read once. */
class FastPathSwitchTest {

  @ParameterizedTest(name = "''{0}'' -> {1}")
  @CsvSource(
      value = {
        "NULL, true",
        "true, true",
        "false, false",
        "FALSE, false",
        "' false ', false",
        "no, true"
      },
      nullValues = "NULL")
  void theFastPathIsOnUnlessThePropertySaysFalse(String value, boolean on) {
    assertThat(ChunkDecoder.fastPathSetting(value)).isEqualTo(on);
  }

  private static String runChild(String... jvmOptions) throws Exception {
    List<String> command = new ArrayList<>();
    command.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(List.of(jvmOptions));
    command.addAll(
        List.of("-cp", System.getProperty("java.class.path"), FastPathChild.class.getName()));
    Process child = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output =
        new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    assertThat(child.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(child.exitValue()).as(output).isZero();
    return output;
  }

  @Test
  void withThePropertyFalseEveryDecoderGoesThroughJacksonAlone() throws Exception {
    assertThat(runChild("-Dcompletions.openai.fastPath=false"))
        .isEqualTo("fast path false, content ok");
  }

  @Test
  void withoutThePropertyDecodersTryTheFastPath() throws Exception {
    assertThat(runChild()).isEqualTo("fast path true, content ok");
  }
}
