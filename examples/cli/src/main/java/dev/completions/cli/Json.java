package dev.completions.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonFactoryBuilder;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;

/**
 * Writes JSON to standard output, one object per line (JSON Lines): each object is written with its
 * newline and flushed before {@link #line} returns, so a reader sees every record as soon as it is
 * made, the last one included.
 */
final class Json implements AutoCloseable {

  /** No separator between root values: {@link #line} ends each object with its own newline. */
  private static final JsonFactory FACTORY =
      new JsonFactoryBuilder().rootValueSeparator((String) null).build();

  /** Writes one value with the generator. */
  @FunctionalInterface
  interface Body {
    void write(JsonGenerator json) throws IOException;
  }

  private final Cli cli;
  private final JsonGenerator json;

  Json(Cli cli) {
    this.cli = cli;
    try {
      json = FACTORY.createGenerator((OutputStream) cli.stdout);
      json.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Writes one object and its newline, and flushes them.
   *
   * @throws Cli.WriteFailed when standard output could not be written
   */
  void line(Body body) {
    try {
      json.writeStartObject();
      body.write(json);
      json.writeEndObject();
      json.writeRaw('\n');
      json.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    cli.flushOrFail();
  }

  /** Writes {@code {"type":type,"text":text}} as one line. */
  void text(String type, String text) {
    line(
        j -> {
          j.writeStringField("type", type);
          j.writeStringField("text", text);
        });
  }

  @Override
  public void close() {
    try {
      json.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
