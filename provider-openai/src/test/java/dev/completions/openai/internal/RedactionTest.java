package dev.completions.openai.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RedactionTest {

  private static final String TOKEN = "S3CR3T/TOKEN-1+=";

  @Test
  void redactsTheTokenWrittenWithJsonEscapes() {
    assertThat(
            Redaction.redact(
                "echo S3CR3T\\/TOKEN\\u002d1+= and \\u0053\\u0033CR3T\\/TOKEN-1\\u002B\\u003d.",
                TOKEN))
        .isEqualTo("echo *** and ***.");
  }

  @Test
  void redactsTheTokenWrittenWithHtmlCharacterReferences() {
    assertThat(Redaction.redact("<p>S3CR3T&#47;TOKEN&#x2d;1&#43;&#x3D;</p>", TOKEN))
        .isEqualTo("<p>***</p>");
  }

  @Test
  void redactsTheTokenWrittenWithPercentEscapesOneCharacterAtATime() {
    assertThat(Redaction.redact("next=S3CR3T%2FTOKEN-1%2b%3D", TOKEN)).isEqualTo("next=***");
  }

  @Test
  void leavesEscapesThatSpellSomethingElseAlone() {
    String text = "S3CR3T\\/TOKEN\\u002e1+= and S3CR3T&#47;TOKEN-2 and \\u zz &#; %";

    assertThat(Redaction.redact(text, TOKEN)).isEqualTo(text);
  }
}
