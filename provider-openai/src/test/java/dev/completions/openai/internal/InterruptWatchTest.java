package dev.completions.openai.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class InterruptWatchTest {

  private final InterruptWatch watch = new InterruptWatch(0);
  private final Thread reader =
      new Thread(
          () -> {
            while (!Thread.currentThread().isInterrupted()) {
              LockSupport.park(); // keeps the interrupt flag set, as a blocked socket read does
            }
          },
          "blocked-reader");

  @AfterEach
  void stopReader() throws InterruptedException {
    reader.interrupt();
    reader.join(5_000);
  }

  @Test
  void theThreadEndsOnceNothingIsWatchedAndTheNextWatchStartsANewOneThatAbortsInterruptedReaders()
      throws InterruptedException {
    Item first = new Item(null);
    watch.watch(first);
    Thread ended = watch.thread();
    watch.unwatch(first);
    ended.join(5_000);
    assertThat(ended.isAlive()).isFalse();
    assertThat(watch.thread()).isNull();

    reader.start();
    Item second = new Item(reader);
    watch.watch(second);
    reader.interrupt();

    assertThat(second.aborted.await(5, TimeUnit.SECONDS)).isTrue();
    assertThat(watch.thread()).isNotSameAs(ended);
  }

  @Test
  void aReaderThatIsNotInterruptedIsLeftAlone() throws InterruptedException {
    reader.start();
    Item item = new Item(reader);
    watch.watch(item);
    Thread thread = watch.thread();

    // the watch looks every 25 ms: after several looks the reader must still be untouched
    assertThat(item.aborted.await(200, TimeUnit.MILLISECONDS)).isFalse();
    assertThat(thread.isAlive()).isTrue();
    watch.unwatch(item);
  }

  private static final class Item implements InterruptWatch.Watched {
    private final Thread reader;
    final CountDownLatch aborted = new CountDownLatch(1);

    Item(Thread reader) {
      this.reader = reader;
    }

    @Override
    public Thread reader() {
      return reader;
    }

    @Override
    public void abortForInterrupt() {
      aborted.countDown();
    }
  }
}
