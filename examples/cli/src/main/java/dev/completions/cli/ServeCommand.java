package dev.completions.cli;

import dev.completions.server.CompletionServer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code serve}: every provider behind one OpenAI-compatible HTTP endpoint (see {@link
 * CompletionServer}). Prints one line with the URL, then serves until SIGINT or SIGTERM, which stop
 * it cleanly (the open answers' upstream calls are aborted).
 */
@Command(
    name = "serve",
    description =
        "Serves every provider through an OpenAI-compatible API (/v1/chat/completions,"
            + " /v1/models, /v1/providers, /health, /ready) until stopped.")
final class ServeCommand implements Callable<Integer> {

  @picocli.CommandLine.ParentCommand private Cli cli;

  @Option(
      names = "--host",
      defaultValue = "127.0.0.1",
      description = "Address to bind (default: ${DEFAULT-VALUE}, this machine only).")
  private String host;

  @Option(
      names = "--port",
      defaultValue = "8080",
      description = "Port (default: ${DEFAULT-VALUE}; 0 picks a free one).")
  private int port;

  @Option(
      names = "--api-key-env",
      paramLabel = "NAME",
      description =
          "Environment variable holding the key every /v1 and /api request must present"
              + " (Authorization: Bearer or x-api-key).")
  private String apiKeyEnv;

  @Option(
      names = "--max-body",
      paramLabel = "BYTES",
      defaultValue = "8388608",
      description = "Largest request body accepted (default: ${DEFAULT-VALUE}, 8 MiB).")
  private long maxBody;

  @Option(
      names = "--idle-timeout",
      paramLabel = "SECONDS",
      defaultValue = "30",
      description = "Seconds a client connection may stay silent (default: ${DEFAULT-VALUE}).")
  private long idleSeconds;

  @Option(
      names = "--cors-origin",
      paramLabel = "ORIGIN",
      description = "A browser origin allowed to call it (repeatable; default: none, CORS off).")
  private List<String> corsOrigins = List.of();

  @Override
  public Integer call() throws InterruptedException {
    String key = null;
    if (apiKeyEnv != null) {
      key = System.getenv(apiKeyEnv);
      if (key == null || key.isBlank()) {
        throw new IllegalArgumentException(
            "--api-key-env: the environment variable " + apiKeyEnv + " is not set");
      }
    }
    CompletionServer server =
        CompletionServer.builder(cli.registry())
            .host(host)
            .port(port)
            .apiKey(key)
            .maxBodyBytes(maxBody)
            .idleTimeout(Duration.ofSeconds(idleSeconds))
            .corsOrigins(corsOrigins)
            .build()
            .start();
    CountDownLatch stopped = new CountDownLatch(1);
    Thread hook =
        new Thread(
            () -> {
              server.close();
              stopped.countDown();
            },
            "provider-cli-serve-stop");
    Runtime.getRuntime().addShutdownHook(hook);
    cli.stdout.println("provider-cli: serving on " + server.uri() + "/v1");
    cli.stdout.flush();
    cli.flushOrFail();
    stopped.await(); // until SIGINT or SIGTERM runs the hook
    return Cli.OK;
  }
}
