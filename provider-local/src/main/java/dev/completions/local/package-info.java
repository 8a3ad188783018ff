/**
 * The Local provider: a GGUF chat model run in-process by llama.cpp, with no service and no network
 * once the model is in the cache.
 *
 * <p>{@link dev.completions.local.LocalProvider} is found by {@link java.util.ServiceLoader} under
 * the name {@value dev.completions.local.LocalProvider#NAME}. Its settings (system property {@code
 * local.x}, else environment variable {@code LOCAL_X}, else the default):
 *
 * <table class="striped">
 *   <caption>Settings</caption>
 *   <thead><tr><th>setting</th><th>default</th><th>meaning</th></tr></thead>
 *   <tbody>
 *     <tr><td>{@code local.model}</td>
 *         <td>{@code hf:Qwen/Qwen2.5-0.5B-Instruct-GGUF/qwen2.5-0.5b-instruct-q4_k_m.gguf}</td>
 *         <td>a {@code .gguf} path, or {@code hf:OWNER/REPO/FILE.gguf} downloaded once</td></tr>
 *     <tr><td>{@code local.cache}</td>
 *         <td>{@code $XDG_CACHE_HOME/completions}, else {@code ~/.cache/completions}</td>
 *         <td>downloaded models and the native library; processes may share it</td></tr>
 *     <tr><td>{@code local.threads}</td><td>half the processors, at least 1</td>
 *         <td>decoding threads, 1 to 256</td></tr>
 *     <tr><td>{@code local.contextSize}</td><td>2048</td>
 *         <td>tokens of context, 64 to 131072</td></tr>
 *     <tr><td>{@code local.queueTimeout}</td><td>5m</td>
 *         <td>one generation runs at a time per model; others wait this long at most</td></tr>
 *     <tr><td>{@code local.hfEndpoint}</td>
 *         <td>{@code HF_ENDPOINT}, else {@code https://huggingface.co}</td>
 *         <td>where {@code hf:} models come from (an http or https URL)</td></tr>
 *   </tbody>
 * </table>
 *
 * <p>Durations take {@code 500ms}, {@code 10s}, {@code 2m}, {@code PT10S} or seconds; a bad value
 * is an error naming the setting, the value and the accepted forms.
 *
 * <p>A program that has loaded a model must end with {@link System#exit}: the binding attaches a
 * native thread per model that keeps the JVM alive after {@code main} returns.
 */
package dev.completions.local;
