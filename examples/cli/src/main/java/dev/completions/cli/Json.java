package dev.completions.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.MinimalPrettyPrinter;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;

/** Writes JSON to a stream: one object per line for JSON Lines, flushed at each line. */
final class Json implements AutoCloseable {

  private static final JsonFactory FACTORY = JsonFactory.builder().build();

  /** Writes one value with the generator. */
  @FunctionalInterface
  interface Body {
    void write(JsonGenerator json) throws IOException;
  }

  private final JsonGenerator json;

  Json(PrintStream out) {
    try {
      json = FACTORY.createGenerator(out);
      json.setPrettyPrinter(new MinimalPrettyPrinter("\n"));
      json.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Writes one object as one line and flushes it. */
  void line(Body body) {
    try {
      json.writeStartObject();
      body.write(json);
      json.writeEndObject();
      json.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Writes {@code {"type":type,"text":text}} as one line. */
  void text(String type, String text) {
    line(j -> {
      j.writeStringField("type", type);
      j.writeStringField("text", text);
    });
  }

  @Override
  public void close() {
    try {
      json.writeRaw('\n');
      json.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
