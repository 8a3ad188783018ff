package dev.completions.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Threads of one JVM wait for each other on a cache lock instead of failing on the JVM-wide file
 * lock.
 */
class CacheLockTest {

  @TempDir Path dir;

  @Test
  void aSecondThreadIsToldItWaitsAndGetsTheLockWhenTheFirstReleasesIt() throws Exception {
    Path file = dir.resolve("model.lock");
    CountDownLatch waiting = new CountDownLatch(1);
    CompletableFuture<Boolean> second;
    try (CacheLock first = CacheLock.acquire(file, () -> {})) {
      second =
          CompletableFuture.supplyAsync(
              () -> {
                try (CacheLock lock = CacheLock.acquire(file, waiting::countDown)) {
                  return true;
                } catch (IOException e) {
                  throw new UncheckedIOException(e);
                }
              });
      assertThat(waiting.await(10, TimeUnit.SECONDS)).isTrue();
      assertThat(second).isNotDone();
    }

    assertThat(second.get(10, TimeUnit.SECONDS)).isTrue();
  }
}
