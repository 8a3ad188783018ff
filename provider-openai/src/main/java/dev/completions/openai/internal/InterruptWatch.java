package dev.completions.openai.internal;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Makes interrupts work on blocking socket reads, which the JDK does not interrupt: while any
 * exchange is in flight, one daemon thread looks every {@value #PERIOD_MILLIS} ms for readers that
 * were interrupted and aborts their exchange, so they fail at once with a cancelled error. The
 * thread ends a while (the linger; a second for {@link #SHARED}) after the last exchange, so an
 * idle JVM keeps no extra thread, while requests that follow each other do not each pay for
 * starting one (tens of microseconds on the caller's thread, before the request is sent). A thread
 * already running costs {@link #watch} one set insertion and one volatile read. Thread-safe.
 */
final class InterruptWatch {

  /** Something whose reading thread may be interrupted while blocked. */
  interface Watched {
    /** The thread reading now, or null. */
    Thread reader();

    /** Aborts the blocked read; called from the watch thread. */
    void abortForInterrupt();
  }

  static final InterruptWatch SHARED = new InterruptWatch(1000);

  private static final long PERIOD_MILLIS = 25;

  private final long lingerNanos;

  private final Set<Watched> watched = ConcurrentHashMap.newKeySet();
  private final Object lock = new Object();
  private Thread thread;

  /**
   * True while a watch thread will look at {@link #watched} again. Read without the lock: an item
   * added before the thread's last look is seen by it, and an item added after it sees false (the
   * thread clears this before that look), so no item is left unwatched.
   */
  private volatile boolean running;

  InterruptWatch(long lingerMillis) {
    this.lingerNanos = lingerMillis * 1_000_000;
  }

  void watch(Watched item) {
    watched.add(item);
    if (running) {
      return;
    }
    synchronized (lock) {
      if (thread == null) {
        running = true;
        thread = new Thread(this::run, "completions-interrupt-watch");
        thread.setDaemon(true);
        thread.start();
      }
    }
  }

  void unwatch(Watched item) {
    watched.remove(item);
  }

  /** The watch thread, or null when none runs. */
  Thread thread() {
    synchronized (lock) {
      return thread;
    }
  }

  private void run() {
    long idleSince = 0;
    while (true) {
      synchronized (lock) {
        if (!watched.isEmpty()) {
          idleSince = 0;
        } else if (idleSince == 0) {
          idleSince = System.nanoTime();
        } else if (System.nanoTime() - idleSince >= lingerNanos) {
          running = false;
          if (watched.isEmpty()) {
            thread = null;
            return;
          }
          running = true;
          idleSince = 0;
        }
      }
      for (Watched item : watched) {
        Thread reader = item.reader();
        if (reader != null && reader.isInterrupted()) {
          watched.remove(item);
          item.abortForInterrupt();
        }
      }
      try {
        Thread.sleep(PERIOD_MILLIS);
      } catch (InterruptedException e) {
        // only this class starts the thread; keep watching while anything is watched
      }
    }
  }
}
