package dev.completions.server;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.IteratingCallback;

/**
 * The body of one response, written behind its producer with Jetty's non-blocking writes: bytes
 * added while a write is in flight accumulate and go out together, in one write, when it completes.
 * A flush while no write is in flight starts one, either on the producer's thread (at once: for a
 * chunk that the producer had to wait for, so that it reaches the client without delay) or on one
 * of Jetty's threads (for a chunk of a burst, so that the producer goes on reading while it is
 * written, and the rest of the burst goes out in a few writes rather than one system call per
 * chunk). At most {@value #MAX_PENDING} bytes wait beside the write in flight: beyond that the
 * producer waits, so a slow client holds back the upstream rather than filling the heap.
 *
 * <p>A write that fails (the client went away) runs {@code onFailure} at once, on the thread that
 * saw the failure, and every later call of the producer throws. Thread-safety: one producer thread
 * adds, flushes and finishes; Jetty's threads write and complete the writes.
 */
final class WriteBehind extends IteratingCallback {

  /** How many bytes may wait while a write is in flight before the producer waits. */
  static final int MAX_PENDING = 64 * 1024;

  private final Response response;
  private final Executor executor;
  private final Runnable onFailure;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();
  // guarded by lock: the bytes not yet handed to Jetty, the buffer Jetty may be writing, and the
  // state of the whole body
  private byte[] pending = new byte[1024];
  private int pendingLength;
  private byte[] writing = new byte[1024];
  private boolean
      writer; // a thread writes, or is about to: process() runs until nothing is pending
  private boolean lastAdded;
  private boolean lastWritten;
  private boolean done;
  private Throwable failure;

  /**
   * @param executor runs the writes of flushes behind the producer
   * @param onFailure run once, when a write fails
   */
  WriteBehind(Response response, Executor executor, Runnable onFailure) {
    this.response = response;
    this.executor = executor;
    this.onFailure = onFailure;
  }

  /**
   * Adds bytes to the body, written at the next flush or finish. Waits while {@value #MAX_PENDING}
   * bytes or more are waiting already.
   *
   * @throws IOException when a write failed (the client went away)
   */
  void add(byte[] bytes, int from, int length) throws IOException {
    add(bytes, from, length, false);
  }

  private void add(byte[] bytes, int from, int length, boolean last) throws IOException {
    lock.lock();
    try {
      // room is made when the write in flight completes; without one, the next flush writes them
      while (pendingLength >= MAX_PENDING && writer && failure == null) {
        changed.awaitUninterruptibly();
      }
      if (failure != null) {
        throw gone();
      }
      if (pendingLength + length > pending.length) {
        pending = Arrays.copyOf(pending, Math.max(pending.length * 2, pendingLength + length));
      }
      System.arraycopy(bytes, from, pending, pendingLength, length);
      pendingLength += length;
      lastAdded = last; // with its bytes, so that a write that takes them ends the body
    } finally {
      lock.unlock();
    }
  }

  /**
   * Writes what was added, unless a write is in flight: it then goes out when that one completes.
   *
   * @param now whether to start the write on this thread rather than on one of Jetty's
   */
  void flush(boolean now) {
    lock.lock();
    try {
      if (writer || (pendingLength == 0 && !lastAdded)) {
        return;
      }
      writer = true;
    } finally {
      lock.unlock();
    }
    if (!now) {
      try {
        executor.execute(this::iterate);
        return;
      } catch (RejectedExecutionException stopping) {
        // the server is stopping: write here
      }
    }
    iterate();
  }

  /**
   * Adds the body's last bytes and waits until everything is written.
   *
   * @throws IOException when a write failed (the client went away)
   */
  void finish(byte[] bytes) throws IOException {
    add(bytes, 0, bytes.length, true);
    flush(true);
    lock.lock();
    try {
      while (!done && failure == null) {
        changed.awaitUninterruptibly(); // the handler must not end before its last write does
      }
      if (failure != null) {
        throw gone();
      }
    } finally {
      lock.unlock();
    }
  }

  @Override
  protected Action process() {
    byte[] bytes;
    int length;
    boolean last;
    lock.lock();
    try {
      if (lastWritten) {
        return Action.SUCCEEDED;
      }
      if (pendingLength == 0 && !lastAdded) {
        writer = false;
        return Action.IDLE;
      }
      // the buffer last written is free again: it takes the next bytes while these are written
      bytes = pending;
      pending = writing;
      writing = bytes;
      length = pendingLength;
      pendingLength = 0;
      last = lastAdded;
      lastWritten = last;
      changed.signalAll();
    } finally {
      lock.unlock();
    }
    response.write(last, ByteBuffer.wrap(bytes, 0, length), this);
    return Action.SCHEDULED;
  }

  @Override
  protected void onCompleteSuccess() {
    lock.lock();
    try {
      done = true;
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  @Override
  protected void onCompleteFailure(Throwable cause) {
    lock.lock();
    try {
      failure = cause;
      changed.signalAll();
    } finally {
      lock.unlock();
    }
    onFailure.run();
  }

  /** Process only takes a lock and starts a write: Jetty may call it on its selector thread. */
  @Override
  public InvocationType getInvocationType() {
    return InvocationType.NON_BLOCKING;
  }

  private IOException gone() {
    return new IOException("writing the answer failed: " + failure, failure);
  }
}
