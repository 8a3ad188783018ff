package dev.completions.lockchat;

import com.google.auto.service.AutoService;
import dev.completions.api.CompletionProvider;
import dev.completions.api.ConfigSource;
import dev.completions.api.ProviderException.Kind;
import dev.completions.openai.Auth;
import dev.completions.openai.ErrorRules;
import dev.completions.openai.OpenAiCompatibleProvider;
import dev.completions.openai.ProviderConfig;
import java.net.URI;

/**
 * The Lockchat provider: OpenAI-style chat completions at {@code
 * {lockchat.url}/v1/chat/completions?auth={token}}, streamed as server-sent events. Its one quirk
 * is its own error rule: the answer "The model: `gpt-4` does not exist", which the service sends
 * while a model is briefly unavailable, is retried.
 *
 * <p>Settings: those of every OpenAI-compatible provider under the prefix {@code lockchat} (see the
 * {@code dev.completions.openai} module), with {@code lockchat.url} / {@code LOCKCHAT_URL} the
 * service's root (default {@code https://super.lockchat.app}) and {@code lockchat.auth} / {@code
 * LOCKCHAT_AUTH} the token (default: the public token the service gave everyone). A token set but
 * empty ({@code -Dlockchat.auth=}, {@code LOCKCHAT_AUTH=""}) sends none: no {@code auth} parameter
 * at all.
 *
 * <p>Thread-safe; the constructor does no I/O.
 */
@AutoService(CompletionProvider.class)
public final class LockchatProvider extends OpenAiCompatibleProvider {

  /** The provider's name. */
  public static final String NAME = "Lockchat";

  /** The public token the original module used; the service accepted it from anyone. */
  static final String PUBLIC_TOKEN = "FnMNPlwZEnGFqvEc9470Vw==";

  /** Lockchat's configuration before the user's settings. */
  public static final ProviderConfig DEFAULTS =
      ProviderConfig.custom()
          .name(NAME)
          .baseUrl("https://super.lockchat.app")
          .path("/v1/chat/completions")
          .homePage(URI.create("http://super.lockchat.app"))
          .models("gpt-4", "gpt-3.5-turbo")
          .defaultModel("gpt-3.5-turbo")
          .auth(Auth.query("auth", PUBLIC_TOKEN))
          .userAgent("completions-lockchat/0.1 (Java)")
          .errorRules(
              ErrorRules.openAi()
                  .rule(
                      text -> text.contains("model") && text.contains("does not exist"),
                      Kind.MODEL_NOT_FOUND,
                      true))
          .build();

  /**
   * Configured from system properties and environment variables.
   *
   * @throws IllegalArgumentException naming the setting when one is invalid
   */
  public LockchatProvider() {
    this(
        DEFAULTS.withSettings(ConfigSource.system()).toBuilder()
            .auth(auth(System.getProperty("lockchat.auth"), System.getenv("LOCKCHAT_AUTH")))
            .build());
  }

  /**
   * Where the token comes from: the property, else the variable, else the public token. Read here
   * rather than through {@link ConfigSource}, which takes a blank value for an unset one: for
   * Lockchat, set and empty means "send no token".
   */
  static Auth auth(String property, String variable) {
    String token = property != null ? property : variable != null ? variable : PUBLIC_TOKEN;
    return token.isBlank() ? Auth.none() : DEFAULTS.auth().withSecret(token.strip());
  }

  /**
   * Configured as given, for example {@code DEFAULTS.toBuilder().baseUrl(...).build()}. The
   * system's settings are not read; does no I/O.
   *
   * @param config the configuration, not null; start from {@link #DEFAULTS} to keep Lockchat's
   *     path, token placement and error rule
   * @throws NullPointerException when {@code config} is null
   */
  public LockchatProvider(ProviderConfig config) {
    super(config);
  }
}
