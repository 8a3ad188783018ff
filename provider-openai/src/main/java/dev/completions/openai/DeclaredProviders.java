package dev.completions.openai;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.google.auto.service.AutoService;
import dev.completions.api.Capability;
import dev.completions.api.CompletionProvider;
import dev.completions.api.ConfigSource;
import dev.completions.api.ProviderCatalog;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * OpenAI-compatible providers declared in {@code providers.json} files, read in this order: every
 * {@code META-INF/completions/providers.json} on the class path (so a jar holding only that file is
 * a provider pack, and the built-in catalogue is one), then {@code
 * $XDG_CONFIG_HOME/completions/providers.json} (default {@code
 * ~/.config/completions/providers.json}) when it exists, then the files named by {@code
 * completions.providers} / {@code COMPLETIONS_PROVIDERS}, a path list separated like the class
 * path.
 *
 * <p>The format:
 *
 * <pre>{@code
 * {"providers": [{"name": "Groq", "base_url": "https://api.groq.com/openai/v1",
 *                 "api_key_env": "GROQ_API_KEY", "models": ["llama-3.3-70b-versatile"],
 *                 "default_model": "llama-3.3-70b-versatile"}]}
 * }</pre>
 *
 * <p>{@code name}, {@code base_url} and {@code models} are required. Optional: {@code api_key_env},
 * {@code default_model} (default: the first model), {@code auth} ({@code bearer}, the default when
 * a key variable is given, {@code none}, {@code header:NAME} or {@code query:NAME}), {@code
 * headers} (an object of static headers), {@code url} (the home page), {@code connect_timeout},
 * {@code first_byte_timeout}, {@code idle_timeout} (durations such as {@code "10s"}), {@code
 * attempts}, {@code capabilities} (an array of {@link Capability} wire names) and {@code
 * max_tokens_field} (the body field of the token limit, {@code max_tokens} by default; see {@link
 * ProviderConfig#maxTokensField()}). Each provider's settings use its lower-cased name as the
 * prefix ({@code groq.url} / {@code GROQ_URL}, {@code groq.apiKey} / {@code GROQ_API_KEY}), as for
 * any provider. An unknown field, a missing required field or a value of the wrong type is a
 * problem that names the file, the entry, the field and what is allowed; it never hides the other
 * entries. Loading reads these local files and nothing else.
 */
@AutoService(ProviderCatalog.class)
public final class DeclaredProviders implements ProviderCatalog {

  /** Where a jar declares providers. */
  public static final String RESOURCE = "META-INF/completions/providers.json";

  private static final JsonFactory JSON =
      JsonFactory.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();
  private static final List<String> FIELDS =
      List.of(
          "name",
          "base_url",
          "api_key_env",
          "models",
          "default_model",
          "auth",
          "headers",
          "url",
          "connect_timeout",
          "first_byte_timeout",
          "idle_timeout",
          "attempts",
          "capabilities",
          "max_tokens_field");

  private final ConfigSource settings;
  private final Path configHome;

  /** Reads the user's settings from system properties and the environment; does no I/O. */
  public DeclaredProviders() {
    this(ConfigSource.system(), defaultConfigHome());
  }

  DeclaredProviders(ConfigSource settings, Path configHome) {
    this.settings = settings;
    this.configHome = configHome;
  }

  @Override
  public Contents load(ClassLoader loader) {
    List<CompletionProvider> providers = new ArrayList<>();
    List<Problem> problems = new ArrayList<>();
    try {
      Enumeration<URL> packs =
          loader == null ? ClassLoader.getSystemResources(RESOURCE) : loader.getResources(RESOURCE);
      while (packs.hasMoreElements()) {
        URL pack = packs.nextElement();
        try (InputStream in = pack.openStream()) {
          read(pack.toString(), in, providers, problems);
        } catch (IOException e) {
          problems.add(new Problem(pack.toString(), "could not be read: " + e.getMessage()));
        }
      }
    } catch (IOException e) {
      problems.add(
          new Problem(RESOURCE, "the class path could not be searched: " + e.getMessage()));
    }
    Path personal = configHome.resolve("completions").resolve("providers.json");
    if (Files.isRegularFile(personal)) {
      readFile(personal, providers, problems);
    }
    settings
        .get("completions.providers")
        .ifPresent(
            list -> {
              for (String file : list.split(File.pathSeparator)) {
                if (!file.isBlank()) {
                  readFile(Path.of(file.strip()), providers, problems);
                }
              }
            });
    return new Contents(providers, problems);
  }

  private void readFile(Path file, List<CompletionProvider> providers, List<Problem> problems) {
    try (InputStream in = Files.newInputStream(file)) {
      read(file.toString(), in, providers, problems);
    } catch (IOException e) {
      problems.add(
          new Problem(
              file.toString(),
              "could not be read (completions.providers / COMPLETIONS_PROVIDERS): "
                  + e.getClass().getSimpleName()
                  + " "
                  + e.getMessage()));
    }
  }

  private void read(
      String file, InputStream in, List<CompletionProvider> providers, List<Problem> problems) {
    try (JsonParser json = JSON.createParser(in)) {
      if (json.nextToken() != JsonToken.START_OBJECT) {
        problems.add(new Problem(file, "must be a JSON object with a \"providers\" array"));
        return;
      }
      boolean listed = false;
      while (json.nextToken() == JsonToken.FIELD_NAME) {
        String field = json.currentName();
        JsonToken value = json.nextToken();
        if (!field.equals("providers")) {
          problems.add(
              new Problem(
                  file, "unknown field '" + field + "'; the file holds only \"providers\""));
          json.skipChildren();
        } else if (value != JsonToken.START_ARRAY) {
          problems.add(new Problem(file, "\"providers\" must be an array of provider objects"));
          json.skipChildren();
        } else {
          listed = true;
          int index = 0;
          while (json.nextToken() != JsonToken.END_ARRAY) {
            Entry entry = new Entry(file, index++);
            try {
              providers.add(entry.read(json));
            } catch (IllegalArgumentException e) {
              problems.add(new Problem(entry.where(), e.getMessage()));
            }
          }
        }
      }
      if (!listed) {
        problems.add(new Problem(file, "has no \"providers\" array"));
      }
    } catch (JsonProcessingException e) {
      problems.add(
          new Problem(
              file,
              "is not valid JSON: "
                  + e.getOriginalMessage()
                  + " at line "
                  + e.getLocation().getLineNr()
                  + ", column "
                  + e.getLocation().getColumnNr()));
    } catch (IOException e) {
      problems.add(new Problem(file, "could not be read: " + e.getMessage()));
    }
  }

  /** One entry of the array, read field by field; the parser is left after the entry's end. */
  private final class Entry {
    private final String file;
    private final int index;
    private String name;

    Entry(String file, int index) {
      this.file = file;
      this.index = index;
    }

    String where() {
      return file + ", providers[" + index + "]" + (name == null ? "" : " (" + name + ")");
    }

    CompletionProvider read(JsonParser json) throws IOException {
      if (json.currentToken() != JsonToken.START_OBJECT) {
        json.skipChildren();
        throw new DeclarationException("must be an object with name, base_url and models");
      }
      Map<String, Object> fields = new LinkedHashMap<>();
      DeclarationException first = null;
      while (json.nextToken() == JsonToken.FIELD_NAME) {
        String field = json.currentName();
        JsonToken value = json.nextToken();
        try {
          fields.put(field, value(field, value, json));
        } catch (DeclarationException e) {
          json.skipChildren();
          first = first == null ? e : first;
        }
        if (field.equals("name") && fields.get("name") instanceof String declared) {
          name = declared;
        }
      }
      if (first != null) {
        throw first;
      }
      for (String required : List.of("name", "base_url", "models")) {
        if (!fields.containsKey(required)) {
          throw new DeclarationException("'" + required + "' is required");
        }
      }
      return provider(fields);
    }

    private Object value(String field, JsonToken value, JsonParser json) throws IOException {
      if (!FIELDS.contains(field)) {
        throw new DeclarationException(
            "unknown field '" + field + "'; allowed: " + String.join(", ", FIELDS));
      }
      switch (field) {
        case "models" -> {
          List<String> models = new ArrayList<>();
          if (value == JsonToken.START_ARRAY) {
            while (json.nextToken() == JsonToken.VALUE_STRING) {
              models.add(json.getText());
            }
            if (json.currentToken() == JsonToken.END_ARRAY && !models.isEmpty()) {
              return models;
            }
          }
          throw new DeclarationException("'models' must be a non-empty array of model id strings");
        }
        case "capabilities" -> {
          List<Capability> capabilities = new ArrayList<>();
          if (value == JsonToken.START_ARRAY) {
            while (json.nextToken() == JsonToken.VALUE_STRING) {
              String name = json.getText();
              capabilities.add(
                  Arrays.stream(Capability.values())
                      .filter(c -> c.wireName().equals(name))
                      .findFirst()
                      .orElseThrow(
                          () ->
                              new DeclarationException(
                                  "'capabilities' has '"
                                      + name
                                      + "'; allowed: "
                                      + Arrays.stream(Capability.values())
                                          .map(Capability::wireName)
                                          .collect(Collectors.joining(", ")))));
            }
            if (json.currentToken() == JsonToken.END_ARRAY) {
              return capabilities;
            }
          }
          throw new DeclarationException("'capabilities' must be an array of capability names");
        }
        case "headers" -> {
          Map<String, String> headers = new LinkedHashMap<>();
          if (value == JsonToken.START_OBJECT) {
            while (json.nextToken() == JsonToken.FIELD_NAME) {
              String header = json.currentName();
              if (json.nextToken() != JsonToken.VALUE_STRING) {
                throw new DeclarationException(
                    "'headers' must map header names to strings; '" + header + "' does not");
              }
              headers.put(header, json.getText());
            }
            return headers;
          }
          throw new DeclarationException(
              "'headers' must be an object of header names and string values");
        }
        case "attempts" -> {
          if (value == JsonToken.VALUE_NUMBER_INT) {
            return json.getIntValue();
          }
          throw new DeclarationException("'attempts' must be a whole number from 1 to 100");
        }
        default -> {
          if (value == JsonToken.VALUE_STRING) {
            return json.getText();
          }
          throw new DeclarationException("'" + field + "' must be a string");
        }
      }
    }

    private CompletionProvider provider(Map<String, Object> fields) {
      String declaredName = (String) fields.get("name");
      String keyVariable = (String) fields.get("api_key_env");
      String authForm = (String) fields.get("auth");
      Auth auth;
      try {
        auth =
            authForm != null
                ? Auth.parse(authForm)
                : keyVariable != null ? Auth.bearer(null) : Auth.none();
      } catch (IllegalArgumentException e) {
        throw new DeclarationException("'auth' " + e.getMessage());
      }
      ProviderConfig.Builder config =
          ProviderConfig.custom()
              .name(declaredName)
              .baseUrl(field("base_url", () -> URI.create((String) fields.get("base_url"))))
              .models(castList(fields.get("models")))
              .auth(auth)
              .apiKeyVariable(keyVariable);
      if (fields.get("default_model") instanceof String model) {
        config.defaultModel(model);
      }
      if (fields.get("url") instanceof String home) {
        config.homePage(field("url", () -> URI.create(home)));
      }
      if (fields.get("headers") instanceof Map<?, ?> headers) {
        headers.forEach((header, value) -> config.header((String) header, (String) value));
      }
      duration(fields, "connect_timeout").ifPresent(config::connectTimeout);
      duration(fields, "first_byte_timeout").ifPresent(config::firstByteTimeout);
      duration(fields, "idle_timeout").ifPresent(config::idleTimeout);
      if (fields.get("attempts") instanceof Integer attempts) {
        config.attempts(attempts);
      }
      if (fields.get("max_tokens_field") instanceof String field) {
        config.maxTokensField(
            field(
                "max_tokens_field",
                () -> ProviderConfig.requireFieldName("max_tokens_field", field)));
      }
      if (fields.get("capabilities") instanceof List<?> capabilities) {
        config.capabilities(
            capabilities.stream().map(Capability.class::cast).collect(Collectors.toSet()));
      }
      return new OpenAiCompatibleProvider(config.build().withSettings(settings));
    }

    private java.util.Optional<Duration> duration(Map<String, Object> fields, String field) {
      return java.util.Optional.ofNullable((String) fields.get(field))
          .map(text -> field(field, () -> ConfigSource.parseDuration(field, text)));
    }

    private <T> T field(String field, java.util.function.Supplier<T> parse) {
      try {
        return parse.get();
      } catch (IllegalArgumentException e) {
        throw new DeclarationException(
            e.getMessage().startsWith(field)
                ? e.getMessage()
                : "'" + field + "' " + e.getMessage());
      }
    }
  }

  @SuppressWarnings("unchecked")
  private static List<String> castList(Object models) {
    return (List<String>) models;
  }

  private static Path defaultConfigHome() {
    String xdg = System.getenv("XDG_CONFIG_HOME");
    return xdg != null && !xdg.isBlank()
        ? Path.of(xdg)
        : Path.of(System.getProperty("user.home"), ".config");
  }

  /** A declaration that breaks the format; its message names the field and what is allowed. */
  private static final class DeclarationException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    DeclarationException(String message) {
      super(message);
    }
  }
}
