package dev.completions.openai.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.async.ByteArrayFeeder;
import java.io.IOException;
import java.util.function.LongConsumer;

/**
 * Decodes OpenAI-style chat-completion chunks (and whole non-streamed answers and error bodies).
 * The common chunk goes through {@link FastChunkScanner}, one strict pass that creates nothing but
 * the Strings taken; every other chunk through Jackson's non-blocking streaming parser: one parser
 * per stream, fed each event's bytes, so a chunk costs no parser, no tree and no String beyond the
 * values taken. Only the fields the provider needs are read. Not thread-safe.
 */
final class ChunkDecoder {

  /**
   * The system property that turns the fast path off ({@code false}); read once, when this class
   * loads.
   */
  static final String FAST_PATH_PROPERTY = "completions.openai.fastPath";

  /**
   * Whether chunks go through {@link FastChunkScanner} first: unless {@value #FAST_PATH_PROPERTY}
   * is {@code false}.
   */
  static final boolean FAST_PATH = fastPathSetting(System.getProperty(FAST_PATH_PROPERTY));

  private static final JsonFactory JSON = JsonFactory.builder().build();

  /** The fast path, or null when it is off: every chunk then goes through Jackson. */
  private final FastChunkScanner fast;

  private JsonParser parser;
  private ByteArrayFeeder feeder;

  /** Bytes fed to the parser before the current chunk; its locations count from its first chunk. */
  private long fed;

  private boolean wantModel = true;

  /** A decoder that uses the fast path unless the system property turned it off. */
  ChunkDecoder() {
    this(FAST_PATH);
  }

  /** A decoder with the fast path on or off. */
  ChunkDecoder(boolean fastPath) {
    this.fast = fastPath ? new FastChunkScanner() : null;
  }

  /**
   * The value of {@value #FAST_PATH_PROPERTY} as a switch: on unless it is {@code false} (in any
   * case).
   */
  static boolean fastPathSetting(String value) {
    return value == null || !value.strip().equalsIgnoreCase("false");
  }

  /** Whether this decoder tries the fast path first. */
  boolean usesFastPath() {
    return fast != null;
  }

  /**
   * Decodes one JSON object into {@code out}.
   *
   * @throws MalformedStreamException when the bytes are not exactly one JSON object
   */
  void decode(byte[] bytes, int offset, int length, DecodedChunk out)
      throws MalformedStreamException {
    out.reset();
    if (fast != null && fast.scan(bytes, offset, length, wantModel, out)) {
      if (out.model != null) {
        wantModel = false;
      }
      return;
    }
    decodeWithJackson(bytes, offset, length, out);
  }

  /**
   * The complete decoder, for every chunk the fast path declines; used directly by the differential
   * tests.
   */
  void decodeWithJackson(byte[] bytes, int offset, int length, DecodedChunk out)
      throws MalformedStreamException {
    out.reset();
    try {
      if (parser == null) {
        parser = JSON.createNonBlockingByteArrayParser();
        feeder = (ByteArrayFeeder) parser.getNonBlockingInputFeeder();
        fed = 0;
      }
      feeder.feedInput(bytes, offset, offset + length);
      long fedBefore = fed;
      fed += length;
      if (next() != JsonToken.START_OBJECT) {
        throw invalid("expected a JSON object", null);
      }
      readRoot(out);
      // only whitespace may follow: the parser would take a partial token after the object
      // ("{} 7", "{} \"a") for the start of the next chunk's
      int rootEnd = offset + (int) (parser.currentLocation().getByteOffset() - fedBefore);
      for (int i = rootEnd; i < offset + length; i++) {
        byte c = bytes[i];
        if (c != ' ' && c != '\n' && c != '\r' && c != '\t') {
          throw invalid("unexpected content after the JSON object", null);
        }
      }
      if (parser.nextToken() != JsonToken.NOT_AVAILABLE) { // consumes that whitespace
        throw invalid("unexpected content after the JSON object", null);
      }
    } catch (MalformedStreamException e) {
      parser = null;
      throw e;
    } catch (IOException | RuntimeException e) {
      parser = null;
      throw invalid("invalid JSON: " + e.getMessage(), e);
    }
  }

  private void readRoot(DecodedChunk out) throws IOException {
    while (next() == JsonToken.FIELD_NAME) {
      String field = parser.currentName();
      JsonToken value = next();
      switch (field) {
        case "choices" -> readChoices(value, out);
        case "usage" -> readUsage(value, out);
        case "x_groq" -> readVendor(value, out);
        case "model" -> {
          if (wantModel && value == JsonToken.VALUE_STRING) {
            out.model = parser.getText();
            wantModel = false;
          } else {
            skip(value);
          }
        }
        case "error" -> readError(value, out);
        // a bare error object ({"code":500,"message":...}), as llama.cpp sends after "error:"
        case "message" -> out.errorMessage = scalar(value);
        case "type" -> out.errorType = scalar(value);
        case "code" -> out.errorCode = scalar(value);
        default -> skip(value);
      }
    }
  }

  private void readChoices(JsonToken value, DecodedChunk out) throws IOException {
    if (value != JsonToken.START_ARRAY) {
      skip(value);
      return;
    }
    boolean first = true;
    JsonToken element;
    while ((element = next()) != JsonToken.END_ARRAY) {
      if (first && element == JsonToken.START_OBJECT) {
        readChoice(element, out);
      } else {
        skip(element);
      }
      first = false;
    }
  }

  private void readChoice(JsonToken value, DecodedChunk out) throws IOException {
    members(
        value,
        (field, fieldValue) -> {
          switch (field) {
            case "delta", "message" -> readDelta(fieldValue, out);
            case "finish_reason" -> out.finishReason = text(fieldValue);
            default -> skip(fieldValue);
          }
        });
  }

  /** Handles one member of an object. */
  @FunctionalInterface
  private interface Member {
    void read(String field, JsonToken value) throws IOException;
  }

  /** Reads the members of an object value; any other value is skipped. */
  private void members(JsonToken value, Member member) throws IOException {
    if (value != JsonToken.START_OBJECT) {
      skip(value);
      return;
    }
    while (next() == JsonToken.FIELD_NAME) {
      String field = parser.currentName();
      member.read(field, next());
    }
  }

  private void readDelta(JsonToken value, DecodedChunk out) throws IOException {
    members(
        value,
        (field, fieldValue) -> {
          switch (field) {
            case "content" -> out.content = text(fieldValue);
            case "reasoning_content", "reasoning" -> out.reasoning = text(fieldValue);
            case "refusal" -> out.refusal = text(fieldValue);
            case "tool_calls" -> readToolCalls(fieldValue, out);
            default -> skip(fieldValue);
          }
        });
  }

  private void readToolCalls(JsonToken value, DecodedChunk out) throws IOException {
    if (value != JsonToken.START_ARRAY) {
      skip(value);
      return;
    }
    JsonToken element;
    while ((element = next()) != JsonToken.END_ARRAY) {
      if (element != JsonToken.START_OBJECT) {
        skip(element);
        continue;
      }
      DecodedChunk.ToolCallPart part = out.nextToolCall();
      members(
          element,
          (field, fieldValue) -> {
            switch (field) {
              case "index" ->
                  part.index =
                      fieldValue == JsonToken.VALUE_NUMBER_INT ? parser.getIntValue() : part.index;
              case "id" -> part.id = orEmpty(text(fieldValue));
              case "function" -> readFunction(fieldValue, part);
              default -> skip(fieldValue);
            }
          });
    }
  }

  private void readFunction(JsonToken value, DecodedChunk.ToolCallPart part) throws IOException {
    members(
        value,
        (field, fieldValue) -> {
          switch (field) {
            case "name" -> part.name = orEmpty(text(fieldValue));
            case "arguments" -> part.arguments = orEmpty(text(fieldValue));
            default -> skip(fieldValue);
          }
        });
  }

  private void readVendor(JsonToken value, DecodedChunk out) throws IOException {
    members(
        value,
        (field, fieldValue) -> {
          if (field.equals("usage")) {
            readUsage(fieldValue, out);
          } else {
            skip(fieldValue);
          }
        });
  }

  private void readUsage(JsonToken value, DecodedChunk out) throws IOException {
    out.hasUsage |= value == JsonToken.START_OBJECT;
    members(
        value,
        (field, fieldValue) -> {
          long number = fieldValue == JsonToken.VALUE_NUMBER_INT ? parser.getLongValue() : -1;
          switch (field) {
            case "prompt_tokens" -> out.promptTokens = number;
            case "completion_tokens" -> out.completionTokens = number;
            case "total_tokens" -> out.totalTokens = number;
            case "prompt_tokens_details" -> {
              readDetail(fieldValue, "cached_tokens", n -> out.cachedTokens = n);
              return;
            }
            case "completion_tokens_details" -> {
              readDetail(fieldValue, "reasoning_tokens", n -> out.reasoningTokens = n);
              return;
            }
            default -> {}
          }
          skip(fieldValue);
        });
  }

  /**
   * Reads one count of a usage details object, such as {@code prompt_tokens_details.cached_tokens}.
   */
  private void readDetail(JsonToken value, String name, LongConsumer into) throws IOException {
    members(
        value,
        (field, fieldValue) -> {
          if (name.equals(field) && fieldValue == JsonToken.VALUE_NUMBER_INT) {
            into.accept(parser.getLongValue());
          }
          skip(fieldValue);
        });
  }

  private void readError(JsonToken value, DecodedChunk out) throws IOException {
    if (value == JsonToken.VALUE_NULL) {
      return;
    }
    out.hasError = true;
    if (value == JsonToken.VALUE_STRING) {
      out.errorMessage = parser.getText();
      return;
    }
    if (value != JsonToken.START_OBJECT) {
      skip(value);
      return;
    }
    while (next() == JsonToken.FIELD_NAME) {
      String field = parser.currentName();
      JsonToken fieldValue = next();
      switch (field) {
        case "message" -> out.errorMessage = scalar(fieldValue);
        case "type" -> out.errorType = scalar(fieldValue);
        case "code" -> out.errorCode = scalar(fieldValue);
        default -> skip(fieldValue);
      }
    }
  }

  /** The next token; a token missing from a complete event means truncated JSON. */
  private JsonToken next() throws IOException {
    JsonToken token = parser.nextToken();
    if (token == JsonToken.NOT_AVAILABLE || token == null) {
      throw invalid("the JSON object is incomplete", null);
    }
    return token;
  }

  private void skip(JsonToken value) throws IOException {
    if (value == JsonToken.START_OBJECT || value == JsonToken.START_ARRAY) {
      int depth = 1;
      while (depth > 0) {
        JsonToken token = next();
        if (token == JsonToken.START_OBJECT || token == JsonToken.START_ARRAY) {
          depth++;
        } else if (token == JsonToken.END_OBJECT || token == JsonToken.END_ARRAY) {
          depth--;
        }
      }
    }
  }

  private String text(JsonToken value) throws IOException {
    if (value == JsonToken.VALUE_STRING) {
      return parser.getText();
    }
    skip(value);
    return null;
  }

  private String scalar(JsonToken value) throws IOException {
    if (value.isScalarValue() && value != JsonToken.VALUE_NULL) {
      return parser.getText();
    }
    skip(value);
    return null;
  }

  private static String orEmpty(String s) {
    return s == null ? "" : s;
  }

  private static MalformedStreamException invalid(String message, Throwable cause) {
    return new MalformedStreamException(message, cause);
  }
}
