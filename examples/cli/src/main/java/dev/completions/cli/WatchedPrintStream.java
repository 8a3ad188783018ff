package dev.completions.cli;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * A UTF-8 {@link PrintStream} that keeps the first {@link IOException} its target threw: a
 * PrintStream swallows it and only {@link #checkError()} tells that one happened; {@link
 * #failure()} tells which (a broken pipe, a full disk).
 */
final class WatchedPrintStream extends PrintStream {

  private final Recorder recorder;

  WatchedPrintStream(OutputStream target) {
    this(new Recorder(target));
  }

  private WatchedPrintStream(Recorder recorder) {
    super(recorder, false, StandardCharsets.UTF_8);
    this.recorder = recorder;
  }

  /** The first write or flush error, or null when none happened. */
  IOException failure() {
    return recorder.failure;
  }

  /** Passes writes through whole, remembering the first failure. */
  private static final class Recorder extends FilterOutputStream {
    private volatile IOException failure;

    Recorder(OutputStream target) {
      super(target);
    }

    @Override
    public void write(int b) throws IOException {
      try {
        out.write(b);
      } catch (IOException e) {
        throw record(e);
      }
    }

    @Override
    public void write(byte[] bytes, int offset, int length) throws IOException {
      try {
        out.write(bytes, offset, length);
      } catch (IOException e) {
        throw record(e);
      }
    }

    @Override
    public void flush() throws IOException {
      try {
        out.flush();
      } catch (IOException e) {
        throw record(e);
      }
    }

    private IOException record(IOException e) {
      if (failure == null) {
        failure = e;
      }
      return e;
    }
  }
}
