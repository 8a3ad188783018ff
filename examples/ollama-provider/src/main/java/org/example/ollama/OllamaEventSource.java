package org.example.ollama;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.completions.api.CompletionEvent;
import dev.completions.api.EventSource;
import dev.completions.api.ProviderException;
import dev.completions.api.ProviderException.Kind;
import dev.completions.api.Usage;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.HttpURLConnection;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;

/** One answer from {@code /api/chat}: one JSON object per line until {@code "done": true}. */
final class OllamaEventSource implements EventSource {

  private static final JsonFactory JSON = JsonFactory.builder().build();

  private final URI endpoint;
  private final byte[] body;
  private final Duration idleTimeout;
  private final ArrayDeque<CompletionEvent> pending = new ArrayDeque<>();
  private volatile HttpURLConnection connection;
  private volatile boolean closed;
  private BufferedReader lines;
  private boolean done;

  OllamaEventSource(URI endpoint, byte[] body, Duration idleTimeout) {
    this.endpoint = endpoint;
    this.body = body;
    this.idleTimeout = idleTimeout;
  }

  @Override
  public CompletionEvent next() {
    try {
      while (pending.isEmpty()) {
        if (done) {
          return null;
        }
        if (lines == null) {
          open();
        }
        String line = lines.readLine();
        if (line == null) {
          throw error(Kind.PROTOCOL, "the answer ended before \"done\": true", 0);
        }
        if (!line.isBlank()) {
          parse(line);
        }
      }
      return pending.poll();
    } catch (SocketTimeoutException e) {
      throw error(Kind.TIMEOUT, "no data for " + idleTimeout.toMillis() + " ms (ollama.timeout)", 0);
    } catch (ConnectException e) {
      throw error(Kind.CONNECTION, "could not connect to " + endpoint.getHost() + ":" + endpoint.getPort()
          + " (is Ollama running? set ollama.url or OLLAMA_URL)", 0);
    } catch (IOException e) {
      throw closed ? error(Kind.CANCELLED, "the stream was closed", 0)
          : error(Kind.CONNECTION, "the connection failed: " + e.getMessage(), 0);
    }
  }

  @Override
  public void close() {
    closed = true;
    HttpURLConnection current = connection;
    if (current != null && !done) {
      current.disconnect();
    }
  }

  private void open() throws IOException {
    HttpURLConnection http = (HttpURLConnection) endpoint.toURL().openConnection();
    connection = http;
    http.setRequestMethod("POST");
    http.setDoOutput(true);
    http.setConnectTimeout(10_000);
    http.setReadTimeout((int) Math.min(Integer.MAX_VALUE, idleTimeout.toMillis()));
    http.setRequestProperty("Content-Type", "application/json");
    http.setRequestProperty("Accept", "application/x-ndjson");
    http.setFixedLengthStreamingMode(body.length);
    try (OutputStream out = http.getOutputStream()) {
      out.write(body);
    }
    int status = http.getResponseCode();
    if (status >= 400) {
      InputStream errorBody = http.getErrorStream();
      String text = errorBody == null ? "" : new String(errorBody.readNBytes(8192), StandardCharsets.UTF_8);
      String message = errorMessage(text);
      http.disconnect();
      done = true;
      throw error(kindOf(status), "HTTP " + status + (message.isEmpty() ? "" : ": " + message), status);
    }
    lines = new BufferedReader(new InputStreamReader(http.getInputStream(), StandardCharsets.UTF_8));
  }

  private void parse(String line) throws IOException {
    String content = null;
    String doneReason = null;
    String error = null;
    long promptTokens = -1;
    long completionTokens = -1;
    boolean finished = false;
    try (JsonParser json = JSON.createParser(line)) {
      if (json.nextToken() != JsonToken.START_OBJECT) {
        throw error(Kind.PROTOCOL, "expected a JSON object per line", 0);
      }
      while (json.nextToken() == JsonToken.FIELD_NAME) {
        String field = json.currentName();
        JsonToken value = json.nextToken();
        switch (field) {
          case "message" -> content = messageContent(json, value);
          case "done" -> finished = value == JsonToken.VALUE_TRUE;
          case "done_reason" -> doneReason = value == JsonToken.VALUE_STRING ? json.getText() : null;
          case "prompt_eval_count" -> promptTokens = json.getValueAsLong(-1);
          case "eval_count" -> completionTokens = json.getValueAsLong(-1);
          case "error" -> error = json.getValueAsString();
          default -> json.skipChildren();
        }
      }
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw error(Kind.PROTOCOL, "invalid JSON line: " + e.getOriginalMessage(), 0);
    }
    if (error != null) {
      throw error(Kind.SERVER, "error in the stream: " + error, 0);
    }
    if (content != null && !content.isEmpty()) {
      pending.add(new CompletionEvent.Text(content));
    }
    if (finished) {
      done = true;
      connection.disconnect();
      pending.add(new CompletionEvent.Finish(doneReason == null ? "stop" : doneReason));
      if (promptTokens >= 0 || completionTokens >= 0) {
        pending.add(new CompletionEvent.UsageReport(new Usage(promptTokens, completionTokens, -1)));
      }
    }
  }

  private static String messageContent(JsonParser json, JsonToken value) throws IOException {
    String content = null;
    if (value != JsonToken.START_OBJECT) {
      json.skipChildren();
      return null;
    }
    while (json.nextToken() == JsonToken.FIELD_NAME) {
      String field = json.currentName();
      json.nextToken();
      if (field.equals("content")) {
        content = json.getValueAsString();
      } else {
        json.skipChildren();
      }
    }
    return content;
  }

  private static String errorMessage(String body) {
    try (JsonParser json = JSON.createParser(body)) {
      if (json.nextToken() == JsonToken.START_OBJECT) {
        while (json.nextToken() == JsonToken.FIELD_NAME) {
          String field = json.currentName();
          json.nextToken();
          if (field.equals("error")) {
            return json.getValueAsString("");
          }
          json.skipChildren();
        }
      }
    } catch (IOException notJson) {
      // fall back to the text itself
    }
    String text = body.strip();
    return text.length() > 200 ? text.substring(0, 200) + "…" : text;
  }

  private static Kind kindOf(int status) {
    return switch (status) {
      case 400 -> Kind.BAD_REQUEST;
      case 401, 403 -> Kind.AUTH;
      case 404 -> Kind.MODEL_NOT_FOUND;
      case 429 -> Kind.RATE_LIMIT;
      default -> status >= 500 ? Kind.SERVER : Kind.BAD_REQUEST;
    };
  }

  private static ProviderException error(Kind kind, String message, int status) {
    return ProviderException.builder(kind, OllamaProvider.NAME).message(message).httpStatus(status).build();
  }
}
