package dev.completions.local;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * An exclusive lock named by a file in the cache, held by one thread of one process at a time among
 * all JVMs that share the cache. A file lock alone belongs to the whole JVM (a second channel in
 * the same JVM gets an {@link java.nio.channels.OverlappingFileLockException}), so threads of one
 * JVM first take an in-process lock per file. The lock file is left in place: deleting it would let
 * a waiting process lock a file that no longer has that name. Release with {@link #close()} on the
 * thread that acquired it.
 */
final class CacheLock implements AutoCloseable {

  private static final ConcurrentHashMap<Path, ReentrantLock> IN_PROCESS =
      new ConcurrentHashMap<>();

  private final ReentrantLock local;
  private final FileChannel channel;

  private CacheLock(ReentrantLock local, FileChannel channel) {
    this.local = local;
    this.channel = channel;
  }

  /**
   * Waits until this thread holds the lock named by {@code file}, creating the file if needed.
   *
   * @param onWait run once, before waiting, when another thread or process holds the lock
   * @throws InterruptedIOException when the thread is interrupted while waiting
   * @throws IOException when the lock file cannot be created or locked
   */
  static CacheLock acquire(Path file, Runnable onWait) throws IOException {
    Path key = file.toAbsolutePath().normalize();
    ReentrantLock local = IN_PROCESS.computeIfAbsent(key, k -> new ReentrantLock());
    boolean waited = !local.tryLock();
    if (waited) {
      onWait.run();
      try {
        local.lockInterruptibly();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new InterruptedIOException("interrupted while waiting for the lock " + key);
      }
    }
    try {
      FileChannel channel =
          FileChannel.open(key, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
      try {
        FileLock lock = channel.tryLock();
        if (lock == null) {
          if (!waited) {
            onWait.run();
          }
          channel.lock();
        }
        return new CacheLock(local, channel);
      } catch (IOException | RuntimeException e) {
        channel.close();
        throw e;
      }
    } catch (IOException | RuntimeException e) {
      local.unlock();
      throw e;
    }
  }

  /** Releases the lock: closing the channel releases the file lock. */
  @Override
  public void close() throws IOException {
    try {
      channel.close();
    } finally {
      local.unlock();
    }
  }
}
