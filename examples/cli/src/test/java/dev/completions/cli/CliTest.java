package dev.completions.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.completions.tck.LoopbackServer;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The command line end to end, in process, against a local OpenAI-style server. */
class CliTest {

  private final LoopbackServer server = LoopbackServer.start();
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();
  private String stdin = "";

  @AfterEach
  void close() {
    server.close();
    System.getProperties().stringPropertyNames().stream()
        .filter(
            k ->
                k.startsWith("lockchat.")
                    || k.startsWith("local.")
                    || k.startsWith("groq.")
                    || k.startsWith("ollama."))
        .forEach(System::clearProperty);
  }

  private int run(String... args) {
    List<String> all =
        new ArrayList<>(
            List.of(
                "-D",
                "lockchat.url=" + server.url(),
                "-D",
                "lockchat.attempts=1",
                "-D",
                "local.model=/models/tiny.gguf"));
    all.addAll(List.of(args));
    return Cli.run(
        all.toArray(String[]::new),
        new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
        new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  private String stdout() {
    return out.toString(StandardCharsets.UTF_8);
  }

  private String stderr() {
    return err.toString(StandardCharsets.UTF_8);
  }

  static String content(String text) {
    return "data: {\"model\":\"gpt-x\",\"choices\":[{\"delta\":{\"content\":\""
        + text
        + "\"}}]}\n\n";
  }

  static LoopbackServer.Script sse(String... events) {
    return LoopbackServer.streamed("text/event-stream", events);
  }

  @Test
  void streamsTokensToStandardOutputEndingWithANewline() throws Exception {
    server.enqueue(sse(content("Hello"), content(", world"), "data: [DONE]\n\n"));

    int status = run("complete", "-p", "lockchat", "Hello, how are you?");

    assertThat(status).isZero();
    assertThat(stdout()).isEqualTo("Hello, world\n");
    assertThat(stderr()).isEmpty();
    assertThat(server.takeRequest().bodyText()).contains("\"content\":\"Hello, how are you?\"");
  }

  @Test
  void passesModelTemperatureSystemMessageAndOptions() throws Exception {
    server.enqueue(sse(content("ok"), "data: [DONE]\n\n"));

    int status =
        run(
            "complete",
            "-p",
            "Lockchat",
            "-m",
            "gpt-4",
            "-t",
            "0.2",
            "-s",
            "Be brief.",
            "-o",
            "max_tokens=5",
            "-o",
            "stop=END",
            "Hi");

    assertThat(status).isZero();
    assertThat(server.takeRequest().bodyText())
        .isEqualTo(
            "{\"temperature\":0.2,\"messages\":[{\"role\":\"system\",\"content\":\"Be brief.\"},"
                + "{\"role\":\"user\",\"content\":\"Hi\"}],\"model\":\"gpt-4\",\"stream\":true,\"max_tokens\":5,\"stop\":[\"END\"]}");
  }

  @Test
  void readsThePromptFromStandardInput() throws Exception {
    stdin = "from stdin\nsecond line";
    server.enqueue(sse(content("ok"), "data: [DONE]\n\n"));

    assertThat(run("complete", "-p", "lockchat", "-")).isZero();

    assertThat(server.takeRequest().bodyText())
        .contains("\"content\":\"from stdin\\nsecond line\"");
  }

  @Test
  void asksForTheWholeAnswerWithNoStream() throws Exception {
    server.enqueue(
        exchange ->
            exchange.respond(
                200,
                "application/json",
                "{\"choices\":[{\"message\":{\"content\":\"All at once.\"},\"finish_reason\":\"stop\"}]}"));

    assertThat(run("complete", "-p", "lockchat", "--no-stream", "Hi")).isZero();

    assertThat(stdout()).isEqualTo("All at once.\n");
    assertThat(server.takeRequest().bodyText()).contains("\"stream\":false");
  }

  @Test
  void writesJsonLinesForTokensReasoningToolCallsAndDone() {
    server.enqueue(
        sse(
            "data: {\"model\":\"gpt-x\",\"choices\":[{\"delta\":{\"reasoning_content\":\"think\"}}]}\n\n",
            content("Hi"),
            content(" \\\"there\\\""),
            "data: {\"choices\":[{\"delta\":{\"tool_calls\":[{\"index\":0,\"id\":\"c1\",\"function\":{\"name\":\"f\",\"arguments\":\"{}\"}}]},"
                + "\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":4,\"completion_tokens\":2,\"total_tokens\":6}}\n\n",
            "data: [DONE]\n\n"));

    assertThat(run("complete", "-p", "lockchat", "--jsonl", "Hi")).isZero();

    assertThat(stdout().lines().map(CliTest::withoutTimes))
        .containsExactly(
            "{\"type\":\"reasoning\",\"text\":\"think\"}",
            "{\"type\":\"token\",\"text\":\"Hi\"}",
            "{\"type\":\"token\",\"text\":\" \\\"there\\\"\"}",
            "{\"type\":\"tool_call\",\"index\":0,\"id\":\"c1\",\"name\":\"f\",\"arguments\":\"{}\"}",
            "{\"type\":\"done\",\"provider\":\"Lockchat\",\"model\":\"gpt-x\",\"finish_reason\":\"stop\","
                + "\"usage\":{\"prompt_tokens\":4,\"completion_tokens\":2,\"total_tokens\":6},"
                + "\"attempts\":1,\"time_to_first_token_ms\":T,\"duration_ms\":T,"
                + "\"tokens_per_second\":T,"
                + "\"tool_calls\":[{\"index\":0,\"id\":\"c1\",\"name\":\"f\",\"arguments\":\"{}\"}]}");
  }

  /** A line with each measured figure (a number that varies from run to run) as {@code T}. */
  static String withoutTimes(String line) {
    return line.replaceAll(
        "\"(time_to_first_token_ms|duration_ms|tokens_per_second)\":[0-9][0-9.E]*", "\"$1\":T");
  }

  @Test
  void statsPrintsOneLineOnStandardErrorAfterTheAnswer() {
    server.enqueue(exchange -> exchange.respond(503, "text/plain", "busy", "Retry-After-Ms: 0"));
    server.enqueue(
        sse(
            content("Hi"),
            content(" there"),
            "data: {\"choices\":[{\"delta\":{},\"finish_reason\":\"stop\"}],"
                + "\"usage\":{\"prompt_tokens\":4,\"completion_tokens\":2,\"total_tokens\":6}}\n\n",
            "data: [DONE]\n\n"));

    assertThat(run("-D", "lockchat.attempts=2", "complete", "-p", "lockchat", "--stats", "Hi"))
        .isZero();

    assertThat(stdout()).isEqualTo("Hi there\n");
    assertThat(stderr().lines().map(line -> line.replaceAll("[0-9]+\\.[0-9]", "T")))
        .containsExactly(
            "provider-cli: stats: provider Lockchat, model gpt-x, 2 attempts,"
                + " first token T ms, total T ms, tokens in 4, out 2, T tokens/s");
  }

  @Test
  void writesAJsonErrorLineWithThePartialTextAndExitsWithOne() {
    server.enqueue(
        exchange -> {
          exchange.chunkedHead(200, "Content-Type: text/event-stream");
          exchange.chunk(content("Hel"));
          exchange.reset();
        });

    assertThat(run("complete", "-p", "lockchat", "--jsonl", "Hi")).isEqualTo(1);

    List<String> lines = stdout().lines().toList();
    assertThat(lines).hasSize(2);
    assertThat(lines.get(0)).isEqualTo("{\"type\":\"token\",\"text\":\"Hel\"}");
    assertThat(lines.get(1))
        .startsWith(
            "{\"type\":\"error\",\"kind\":\"connection\",\"message\":\"[Lockchat] the connection broke")
        .endsWith("\"retryable\":true,\"partial\":\"Hel\"}");
  }

  @Test
  void reportsAnHttpErrorOnStandardErrorAndExitsWithOne() {
    server.enqueue(
        exchange ->
            exchange.respond(401, "application/json", "{\"error\":{\"message\":\"bad key\"}}"));

    assertThat(run("complete", "-p", "lockchat", "Hi")).isEqualTo(1);

    assertThat(stdout()).isEmpty();
    assertThat(stderr()).isEqualTo("provider-cli: auth: [Lockchat] HTTP 401: bad key\n");
  }

  @Test
  void keepsTheTokensPrintedBeforeAFailure() {
    server.enqueue(sse(content("part"), "data: {\"error\":{\"message\":\"boom\"}}\n\n"));

    assertThat(run("complete", "-p", "lockchat", "Hi")).isEqualTo(1);

    assertThat(stdout()).isEqualTo("part\n");
    assertThat(stderr()).isEqualTo("provider-cli: server: [Lockchat] error in the stream: boom\n");
  }

  @Test
  void theLastJsonLineEndsWithItsNewline() {
    server.enqueue(sse(content("Hi"), "data: [DONE]\n\n"));

    assertThat(run("complete", "-p", "lockchat", "--jsonl", "Hi")).isZero();

    assertThat(withoutTimes(stdout()))
        .isEqualTo(
            "{\"type\":\"token\",\"text\":\"Hi\"}\n"
                + "{\"type\":\"done\",\"provider\":\"Lockchat\",\"model\":\"gpt-x\",\"finish_reason\":null,\"usage\":null,"
                + "\"attempts\":1,\"time_to_first_token_ms\":T,\"duration_ms\":T,\"tokens_per_second\":null,"
                + "\"tool_calls\":[]}\n");
  }

  @Test
  void theJsonErrorLineEndsWithItsNewline() {
    server.enqueue(
        exchange ->
            exchange.respond(401, "application/json", "{\"error\":{\"message\":\"bad key\"}}"));

    assertThat(run("complete", "-p", "lockchat", "--jsonl", "Hi")).isEqualTo(1);

    assertThat(stdout())
        .isEqualTo(
            "{\"type\":\"error\",\"kind\":\"auth\",\"message\":\"[Lockchat] HTTP 401: bad key\","
                + "\"retryable\":false,\"partial\":\"\"}\n");
  }

  @Test
  void anInvalidSettingOfAProviderIsTheErrorInsteadOfAnUnknownProvider() {
    assertThat(run("-D", "lockchat.idleTimeout=bogus", "complete", "-p", "lockchat", "Hi"))
        .isEqualTo(2);

    assertThat(stderr())
        .startsWith(
            "provider-cli: provider: 'lockchat' failed to load: lockchat.idleTimeout: must be a"
                + " duration from 0 to 24h such as 500ms, 10s, 2m, PT10S or a number of seconds, got 'bogus'"
                + " (dev.completions.lockchat.LockchatProvider from ")
        .endsWith("META-INF/services/dev.completions.api.CompletionProvider)\n");
    assertThat(server.connectionCount()).isZero();
  }

  @Test
  void describeSaysWhyTheProviderFailedToLoad() {
    assertThat(run("-D", "lockchat.idleTimeout=bogus", "describe", "lockchat")).isEqualTo(2);

    assertThat(stdout()).isEmpty();
    assertThat(stderr())
        .startsWith(
            "provider-cli: provider: 'lockchat' failed to load: lockchat.idleTimeout: must be a"
                + " duration from 0 to 24h such as 500ms, 10s, 2m, PT10S or a number of seconds, got 'bogus' (");
  }

  @Test
  void anInvalidSettingOfADeclaredProviderNamesItsFileAndEntry() {
    assertThat(run("-D", "groq.idleTimeout=bogus", "describe", "groq")).isEqualTo(2);

    assertThat(stderr())
        .startsWith(
            "provider-cli: provider: 'groq' failed to load: groq.idleTimeout: must be a"
                + " duration from 0 to 24h such as 500ms, 10s, 2m, PT10S or a number of seconds, got 'bogus' (")
        .endsWith("META-INF/completions/providers.json, providers[1] (Groq))\n");
  }

  @Test
  void aChainWithATrailingCommaExitsWithTwo() {
    assertThat(run("complete", "-p", "lockchat,", "Hi")).isEqualTo(2);

    assertThat(stderr())
        .isEqualTo("provider-cli: provider: empty entry in the chain 'lockchat,'\n");
    assertThat(server.connectionCount()).isZero();
  }

  @ParameterizedTest
  @ValueSource(strings = {"complete", "describe", "providers", "models"})
  void helpPrintsTheCommandsUsageAndExitsWithZero(String command) {
    assertThat(run(command, "--help")).isZero();

    assertThat(stdout())
        .startsWith("Usage: provider-cli " + command + " [-hV]")
        .contains("\n  -h, --help ")
        .contains("\n  -V, --version ");
    assertThat(stderr()).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"complete", "describe", "providers", "models"})
  void versionPrintsTheVersionAndExitsWithZero(String command) {
    assertThat(run(command, "--version")).isZero();

    assertThat(stdout()).isEqualTo("provider-cli 0.1.0\n");
    assertThat(stderr()).isEmpty();
  }

  @Test
  void anInvalidRequestExitsWithTwoNamingTheProblemBeforeAnyIo() {
    assertThat(run("complete", "-p", "lockchat", "-t", "3", "Hi")).isEqualTo(2);
    assertThat(stderr()).isEqualTo("provider-cli: temperature: must be between 0 and 2, got 3.0\n");
    assertThat(server.connectionCount()).isZero();
  }

  @Test
  void anUndeclaredOptionExitsWithTwoListingTheAcceptedOnes() {
    assertThat(run("complete", "-p", "lockchat", "-o", "max_tokenz=5", "Hi")).isEqualTo(2);
    assertThat(stderr())
        .startsWith(
            "provider-cli: Lockchat does not accept option 'max_tokenz'; accepted options: top_p (Double in [0, 1])");
  }

  @Test
  void theTokenLimitAndStopSequencesAreSentAsTheProvidersRequestFields() throws Exception {
    server.enqueue(sse(content("Hi"), "data: [DONE]\n\n"));

    assertThat(
            run(
                "complete",
                "-p",
                "lockchat",
                "--max-tokens",
                "7",
                "--stop",
                "END",
                "--stop",
                "\n",
                "Hi"))
        .isEqualTo(0);

    assertThat(server.takeRequest().bodyText())
        .endsWith("\"stream\":true,\"max_tokens\":7,\"stop\":[\"END\",\"\\n\"]}");
  }

  @Test
  void anObjectOptionIsGivenAsJson() {
    assertThat(run("complete", "-p", "lockchat", "-o", "top_p={\"a\":1}", "Hi")).isEqualTo(2);
    assertThat(stderr())
        .isEqualTo(
            "provider-cli: option 'top_p' of Lockchat must be Double in [0, 1], got {a=1} (Map)\n");
  }

  @Test
  void anOptionForOneLinkOfAChainIsScopedByItsName() {
    assertThat(run("complete", "-p", "lockchat,local", "-o", "lockchat.top_k=5", "Hi"))
        .isEqualTo(2);
    assertThat(stderr())
        .isEqualTo(
            "provider-cli: Lockchat does not accept option 'top_k'; accepted options: top_p (Double in [0, 1]), presence_penalty (Double in [-2, 2]), frequency_penalty (Double in [-2, 2]), seed (Long), user (String)\n");
    assertThat(server.connectionCount()).isZero();
  }

  @Test
  void anUnknownProviderExitsWithTwoListingTheAvailableOnes() {
    assertThat(run("complete", "-p", "nope", "Hi")).isEqualTo(2);
    assertThat(stderr())
        .isEqualTo(
            "provider-cli: provider: unknown provider 'nope'; available: Lockchat, Local, OpenAI,"
                + " Groq, DeepSeek, Mistral, OpenRouter, Together, xAI, Cerebras, Fireworks, DeepInfra, Ollama, LlamaCpp, LMStudio,"
                + " vLLM\n");
  }

  @Test
  void missingArgumentsAreUsageErrors() {
    assertThat(run("complete", "Hi")).isEqualTo(2);
    assertThat(stderr()).startsWith("Missing required option: '--provider=NAME'");
    assertThat(run("frobnicate")).isEqualTo(2);
  }

  @Test
  void neverPrintsTheAuthTokenEvenWhenTheServerEchoesIt() {
    String token = "Cli-SeCrEt-42";
    server.enqueue(
        exchange ->
            exchange.respond(500, "text/plain", "no luck for /v1/chat/completions?auth=" + token));
    server.enqueue(
        exchange ->
            exchange.respond(
                401, "application/json", "{\"error\":{\"message\":\"bad token " + token + "\"}}"));

    assertThat(run("-D", "lockchat.auth=" + token, "complete", "-p", "lockchat", "Hi"))
        .isEqualTo(1);
    assertThat(run("-D", "lockchat.auth=" + token, "complete", "-p", "lockchat", "--jsonl", "Hi"))
        .isEqualTo(1);

    assertThat(stderr()).contains("auth=***").doesNotContain(token);
    assertThat(stdout()).contains("\"kind\":\"auth\"").doesNotContain(token);
  }

  @Test
  void acceptsAFallbackChainWhereverItAcceptsAProvider() {
    server.enqueue(sse(content("chained"), "data: [DONE]\n\n"));

    assertThat(run("complete", "-p", "lockchat:gpt-4,local", "--jsonl", "Hi")).isZero();

    assertThat(stdout())
        .contains("{\"type\":\"token\",\"text\":\"chained\"}")
        .contains("\"type\":\"done\",\"provider\":\"Lockchat\",\"model\":\"gpt-x\"");
  }

  @Test
  void listsProvidersWithTheDefaultModelMarked() {
    assertThat(run("providers")).isZero();
    assertThat(stdout().lines().limit(4))
        .containsExactly(
            "NAME        MODELS                                                                                     STREAMING  AUTH                          URL",
            "Lockchat    gpt-4, gpt-3.5-turbo*                                                                      yes        none                          http://super.lockchat.app",
            "Local       tiny*                                                                                      yes        none                          https://github.com/completions-java/completions/tree/main/provider-local",
            "OpenAI      gpt-4o-mini*, gpt-4o, gpt-4.1, +2 more                                                     yes        OPENAI_API_KEY (not set)      https://platform.openai.com");
    assertThat(stdout())
        .containsPattern(
            "\nvLLM +meta-llama/Llama-3.1-8B-Instruct\\* +yes +none +https://docs.vllm.ai\n")
        .doesNotContain("Problems:");
  }

  @Test
  void showsWhetherAKeyIsSetButNeverTheKey() {
    assertThat(run("-D", "groq.apiKey=gsk-do-not-print", "providers")).isZero();
    assertThat(stdout())
        .contains("GROQ_API_KEY (set)")
        .contains("OPENAI_API_KEY (not set)")
        .doesNotContain("gsk-do-not-print");

    out.reset();
    assertThat(run("-D", "groq.apiKey=gsk-do-not-print", "providers", "--json")).isZero();
    assertThat(stdout())
        .contains("\"name\":\"Groq\"")
        .contains("\"key_variable\":\"GROQ_API_KEY\",\"key_set\":true")
        .doesNotContain("gsk-do-not-print");
  }

  @Test
  void listsProvidersAsJson() {
    assertThat(run("providers", "--json")).isZero();
    assertThat(stdout())
        .startsWith(
            "{\"providers\":[{\"name\":\"Lockchat\",\"models\":[\"gpt-4\",\"gpt-3.5-turbo\"],\"default_model\":\"gpt-3.5-turbo\","
                + "\"streaming\":true,\"needs_auth\":false,\"capabilities\":[],\"url\":\"http://super.lockchat.app\","
                + "\"class\":\"dev.completions.lockchat.LockchatProvider\"},{\"name\":\"Local\",\"models\":[\"tiny\"],"
                + "\"default_model\":\"tiny\",\"streaming\":true,\"needs_auth\":false,\"capabilities\":[")
        .containsPattern(
            "\\{\"name\":\"Local\",[^}]*\"capabilities\":\\[[a-z_\",]*\\],"
                + "\"url\":\"https://github.com/completions-java/completions/tree/main/provider-local\","
                + "\"class\":\"dev.completions.local.LocalProvider\"},\\{\"name\":\"OpenAI\",")
        .contains(
            "{\"name\":\"Groq\",\"models\":[\"llama-3.3-70b-versatile\",\"llama-3.1-8b-instant\"],"
                + "\"default_model\":\"llama-3.3-70b-versatile\",\"streaming\":true,\"needs_auth\":true,"
                + "\"capabilities\":[\"tools\",\"json_output\",\"json_schema_output\",\"reasoning_output\"],"
                + "\"key_variable\":\"GROQ_API_KEY\",\"key_set\":false,\"url\":\"https://groq.com\","
                + "\"class\":\"dev.completions.openai.OpenAiCompatibleProvider\"}")
        .endsWith("],\"problems\":[]}\n");
  }

  @Test
  void modelsListsWhatTheServerReports() {
    server.enqueue(
        exchange ->
            exchange.respond(
                200,
                "application/json",
                "{\"data\":[{\"id\":\"llama3.2:latest\"},{\"id\":\"qwen2.5:7b\"}]}"));

    assertThat(run("-D", "ollama.url=" + server.url() + "/v1", "models", "-p", "ollama")).isZero();

    assertThat(stdout()).isEqualTo("llama3.2:latest\nqwen2.5:7b\n");
    assertThat(stderr()).isEqualTo("provider-cli: the models Ollama's server reports:\n");
  }

  @Test
  void modelsFallsBackToTheDeclaredListAndSaysWhy() {
    assertThat(run("models", "-p", "groq", "--json")).isZero();

    assertThat(stdout())
        .isEqualTo(
            "{\"provider\":\"Groq\",\"source\":\"declared\",\"models\":"
                + "[\"llama-3.3-70b-versatile\",\"llama-3.1-8b-instant\"],\"reason\":\"[Groq] no API key: set GROQ_API_KEY (or"
                + " the property groq.apiKey)\"}\n");
  }

  @Test
  void describesAProvidersParameters() {
    assertThat(run("describe", "LOCKCHAT")).isZero();
    List<String> lines = stdout().lines().toList();
    assertThat(lines.get(0))
        .isEqualTo(
            "Lockchat supports: (model: String, messages: List<Message>, stream: boolean, "
                + "temperature: double = 0.7, max_tokens: Integer, top_p: Double, stop: List<String>, presence_penalty: Double, "
                + "frequency_penalty: Double, seed: Long, user: String)");
    assertThat(lines.get(1)).isEqualTo("Capabilities: none");
    assertThat(lines)
        .contains(
            "temperature        double in [0, 2]   no        0.7      Randomness of generation",
            "max_tokens         Integer >= 1       no                 The most tokens to generate");
  }

  @Test
  void describesAProvidersParametersAsJson() {
    assertThat(run("describe", "lockchat", "--json")).isZero();
    assertThat(stdout())
        .contains(
            "{\"name\":\"temperature\",\"type\":\"double\",\"required\":false,\"default\":\"0.7\","
                + "\"description\":\"Randomness of generation\",\"min\":0.0,\"max\":2.0}");
  }
}
