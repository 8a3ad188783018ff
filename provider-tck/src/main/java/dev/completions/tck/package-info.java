/**
 * The provider author's kit: {@link dev.completions.tck.ProviderConformanceTest}, a JUnit 5 suite a
 * provider's test extends, with {@link dev.completions.tck.ExpectedRequest} (what the server must
 * see), {@link dev.completions.tck.WireFormat} (how the provider's server speaks) and {@link
 * dev.completions.tck.OpenAiSse} (OpenAI's format ready-made); {@link
 * dev.completions.tck.LoopbackServer}, a scriptable HTTP server on 127.0.0.1; and {@link
 * dev.completions.tck.ApiSnapshot}, which compares a package's public API with a recorded one.
 *
 * <p>Settings, read when the tests run:
 *
 * <table class="striped">
 *   <caption>Settings</caption>
 *   <thead><tr><th>setting</th><th>default</th><th>meaning</th></tr></thead>
 *   <tbody>
 *     <tr><td>{@code LOCAL_TEST_MODEL} (environment)</td>
 *         <td>{@code ../shared/models/stories260K.gguf} beside the repository, if present</td>
 *         <td>the tiny model {@link dev.completions.tck.TestModels#stories260K()} returns; tests
 *             that need it are skipped without it</td></tr>
 *     <tr><td>{@code api.update} (system property)</td><td>{@code false}</td>
 *         <td>{@code true}: {@link dev.completions.tck.ApiSnapshot#assertMatches} rewrites the
 *             recorded API instead of comparing</td></tr>
 *   </tbody>
 * </table>
 */
package dev.completions.tck;
