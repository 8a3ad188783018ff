package dev.completions.local;

import com.google.auto.service.AutoService;
import dev.completions.api.Capability;
import dev.completions.api.CompletionProvider;
import dev.completions.api.CompletionRequest;
import dev.completions.api.CompletionStream;
import dev.completions.api.ConfigSource;
import dev.completions.api.Parameters;
import dev.completions.api.ProviderInfo;
import dev.completions.api.ResponseFormat;
import java.io.PrintStream;
import java.net.URI;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The Local provider: a GGUF chat model run inside the JVM by llama.cpp (de.kherud:llama), so
 * answers need no service and no network. The default model, Qwen2.5-0.5B-Instruct in Q4_K_M
 * (Apache-2.0, about 470 MB), is downloaded once from Hugging Face into the cache; {@code
 * local.model} / {@code LOCAL_MODEL} points at any {@code .gguf} file or {@code
 * hf:OWNER/REPO/FILE.gguf} instead.
 *
 * <p>Settings (system property, then environment variable): {@code local.model}, {@code
 * local.cache} (default {@code ~/.cache/completions}), {@code local.threads} (default half the
 * processors, at least 1: small models decode fastest on few threads), {@code local.contextSize}
 * (default 2048, at most 131072), {@code local.queueTimeout} (default 5 minutes; {@code 500ms},
 * {@code 10s}, {@code 2m}, {@code PT10S} or a number of seconds), {@code local.hfEndpoint} / {@code
 * HF_ENDPOINT} (http or https).
 *
 * <p>JSON output ({@link ResponseFormat#jsonObject()}) and JSON-Schema output ({@link
 * ResponseFormat#jsonSchema}) are enforced while sampling, by a llama.cpp grammar made from the
 * format: the model can only write JSON of that shape, and a schema outside the supported subset is
 * refused before any I/O when strict. The grammar is sized to the answer's token budget, so the
 * JSON closes before {@code max_tokens} (bounding string lengths, item counts and nesting the
 * schema leaves open) as long as the smallest answer of that shape fits; without {@code max_tokens}
 * the budget of such an answer is what the context leaves. Tools and images are not supported: such
 * requests are refused before any I/O.
 *
 * <p>Thread-safe. The constructor does no I/O; the native library and the model load on first use,
 * once, and are shared. One generation runs at a time per provider instance; others queue.
 * Processes may share one cache: the native library is extracted once, and a model is downloaded by
 * one process while the others wait for it.
 *
 * <p><strong>A program that has loaded a model must end its JVM with {@link System#exit}.</strong>
 * de.kherud:llama 4.2.0 starts a native thread for each model, attaches it to the JVM as a
 * non-daemon thread and never detaches it, not even when the model is closed (upstream
 * kherud/java-llama.cpp#116). Nothing in Java can detach or stop that thread, so after {@link
 * #close()} the JVM still does not end when {@code main} returns. Call {@code System.exit(status)}
 * at the end of {@code main} (after closing the provider); servers that end with {@code
 * System.exit} or a signal are not affected.
 */
@AutoService(CompletionProvider.class)
public final class LocalProvider implements CompletionProvider {

  /** The provider's name. */
  public static final String NAME = "Local";

  private static final Parameters PARAMETERS = Parameters.of(NAME, LocalParameters.class);

  private final LocalSettings settings;
  private final ProviderInfo info;
  private final Engine engine;

  /**
   * Configured from system properties and environment variables.
   *
   * @throws IllegalArgumentException naming the setting when one is invalid
   */
  public LocalProvider() {
    this(LocalSettings.from(ConfigSource.system()), System.err);
  }

  LocalProvider(LocalSettings settings, PrintStream progress) {
    this.settings = settings;
    String name = ModelStore.nameOf(settings.model());
    this.info =
        new ProviderInfo(
            NAME,
            URI.create("https://github.com/completions-java/completions/tree/main/provider-local"),
            List.of(name),
            name,
            true,
            false,
            EnumSet.of(Capability.JSON_OUTPUT, Capability.JSON_SCHEMA_OUTPUT));
    this.engine =
        new Engine(
            settings,
            new ModelStore(
                settings.model(),
                settings.cache(),
                settings.huggingFace(),
                new Downloader(progress, System::nanoTime, Duration.ofSeconds(30))));
  }

  /** {@return empty: the model runs in this process, without the network} */
  @Override
  public Optional<URI> endpoint() {
    return Optional.empty();
  }

  @Override
  public ProviderInfo info() {
    return info;
  }

  @Override
  public Class<LocalParameters> parameters() {
    return LocalParameters.class;
  }

  /**
   * {@inheritDoc}
   *
   * <p>A request naming a model must name the configured one: this provider runs one model. A JSON
   * Schema is turned into a grammar here, so one that cannot be enforced is refused before any I/O.
   *
   * @throws dev.completions.api.MissingCapabilityException when the request offers tools, sends
   *     tool calls or results, or images
   */
  @Override
  public CompletionStream complete(CompletionRequest asked) {
    Map<String, Object> options = PARAMETERS.validate(asked);
    info.requireCapabilities(asked);
    JsonGrammar grammar = grammar(asked.responseFormat());
    CompletionRequest request = PARAMETERS.withDefaults(asked);
    if (request.model() != null && !request.model().equals(info.defaultModel())) {
      throw new IllegalArgumentException(
          "model: "
              + NAME
              + " runs '"
              + info.defaultModel()
              + "' (set local.model to run another), got '"
              + request.model()
              + "'");
    }
    return CompletionStream.of(
        NAME,
        info.defaultModel(),
        new LocalEventFeed(engine, request, options, grammar, settings.contextSize()));
  }

  /** The grammar that enforces this format, or null for free text. */
  private static JsonGrammar grammar(ResponseFormat format) {
    if (format instanceof ResponseFormat.JsonObject) {
      return JsonGrammar.anyObject();
    }
    if (format instanceof ResponseFormat.JsonSchema schema) {
      return JsonGrammar.schema(schema.schema(), schema.strict());
    }
    return null;
  }

  /**
   * Frees the model's native memory; later requests fail. Idempotent. The binding's native thread
   * stays attached to the JVM (see the class comment): a program must still end with {@link
   * System#exit}.
   */
  @Override
  public void close() {
    engine.close();
  }

  @Override
  public String toString() {
    return "LocalProvider[model=" + settings.model() + "]";
  }
}
