/**
 * OpenAI-compatible providers, and the pieces any HTTP provider reuses.
 *
 * <p>{@link dev.completions.openai.OpenAiCompatibleProvider} serves any OpenAI-compatible endpoint
 * from a {@link dev.completions.openai.ProviderConfig}; a provider with another wire format extends
 * {@link dev.completions.openai.HttpCompletionProvider} with its own {@link
 * dev.completions.openai.WireDecoder}. {@link dev.completions.openai.DeclaredProviders} lists the
 * providers declared in {@code providers.json} files, among them the built-in catalogue.
 *
 * <p>Settings of a provider whose {@link dev.completions.openai.ProviderConfig#settingsPrefix()} is
 * {@code p} (system property {@code p.x}, else environment variable {@code P_X}):
 *
 * <table class="striped">
 *   <caption>Settings</caption>
 *   <thead><tr><th>setting</th><th>default</th></tr></thead>
 *   <tbody>
 *     <tr><td>{@code p.url}</td><td>the declared base URL</td></tr>
 *     <tr><td>{@code p.apiKey}</td><td>the declared key variable, such as {@code GROQ_API_KEY}</td></tr>
 *     <tr><td>{@code p.userAgent}</td><td>{@code completions/0.1 (Java)}</td></tr>
 *     <tr><td>{@code p.connectTimeout}</td><td>10s</td></tr>
 *     <tr><td>{@code p.firstByteTimeout}</td><td>60s</td></tr>
 *     <tr><td>{@code p.idleTimeout}</td><td>30s</td></tr>
 *     <tr><td>{@code p.attempts}</td><td>3</td></tr>
 *     <tr><td>{@code p.maxRetryWait}</td><td>60s</td></tr>
 *     <tr><td>{@code p.maxEventBytes}</td><td>8 MiB (at most 256 MiB)</td></tr>
 *     <tr><td>{@code p.maxConnections}</td><td>128</td></tr>
 *     <tr><td>{@code XDG_CONFIG_HOME} (environment variable only)</td><td>{@code ~/.config}: the user's own {@code $XDG_CONFIG_HOME/completions/providers.json} is read when it exists</td></tr>
 *     <tr><td>{@systemProperty completions.providers}</td><td>extra {@code providers.json} files, separated like the class path</td></tr>
 *   </tbody>
 * </table>
 *
 * <p>{@code providers.json} files are read in this order: every {@code
 * META-INF/completions/providers.json} on the class path (the built-in catalogue among them), then
 * {@code $XDG_CONFIG_HOME/completions/providers.json}, then the files of {@code
 * completions.providers} / {@code COMPLETIONS_PROVIDERS}; see {@link
 * dev.completions.openai.DeclaredProviders} for the format.
 *
 * <p>Durations take {@code 500ms}, {@code 10s}, {@code 2m}, {@code PT10S} or seconds. Proxies come
 * from the JVM's standard proxy properties.
 */
module dev.completions.openai {
  requires transitive dev.completions.api;
  requires org.apache.httpcomponents.client5.httpclient5;
  requires org.apache.httpcomponents.core5.httpcore5;
  requires com.fasterxml.jackson.core;
  requires org.slf4j;
  requires static com.google.auto.service;

  exports dev.completions.openai;

  provides dev.completions.api.ProviderCatalog with
      dev.completions.openai.DeclaredProviders;
}
