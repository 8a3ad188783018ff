package dev.completions.tck;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class OpenAiSseTest {

  @Test
  void aToolCallStartsWithItsIdNameAndEmptyArguments() {
    assertThat(OpenAiSse.toolCallStart(0, "call_1", "get_weather"))
        .isEqualTo(
            "data: {\"choices\":[{\"index\":0,"
                + "\"delta\":{\"tool_calls\":[{\"index\":0,\"id\":\"call_1\",\"type\":\"function\",\"function\":"
                + "{\"name\":\"get_weather\",\"arguments\":\"\"}}]},\"finish_reason\":null}]}\n\n");
  }

  @Test
  void argumentFragmentsAreJsonStrings() {
    assertThat(OpenAiSse.toolCallArguments(1, "{\"city\": \"Pa"))
        .isEqualTo(
            "data: {\"choices\":[{\"index\":0,"
                + "\"delta\":{\"tool_calls\":[{\"index\":1,\"function\":{\"arguments\":\"{\\\"city\\\": \\\"Pa\"}}]},"
                + "\"finish_reason\":null}]}\n\n");
  }

  @Test
  void toolCallsEndWithTheirFinishReason() {
    assertThat(OpenAiSse.TOOL_CALLS).contains("\"finish_reason\":\"tool_calls\"");
  }
}
