package dev.completions.openai.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class RetryPolicyTest {

  private static final Instant NOW = Instant.parse("2015-10-21T07:27:30Z");

  @Test
  void aRetryAfterHttpDateIsTheWaitUntilThatDate() {
    assertThat(RetryPolicy.requestedWait(null, "Wed, 21 Oct 2015 07:28:00 GMT", NOW))
        .isEqualTo(Duration.ofSeconds(30));
  }

  @Test
  void aRetryAfterHttpDateInThePastIsNoWait() {
    assertThat(RetryPolicy.requestedWait(null, "Wed, 21 Oct 2015 07:27:00 GMT", NOW))
        .isEqualTo(Duration.ZERO);
  }

  @Test
  void aRetryAfterThatIsNeitherSecondsNorAnHttpDateIsNoRequest() {
    assertThat(RetryPolicy.requestedWait(null, "2015-10-21T07:28:00Z", NOW)).isNull();
  }
}
