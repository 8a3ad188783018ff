package dev.completions.cli;

import dev.completions.registry.ProviderRegistry;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The command line: {@code providers}, {@code describe NAME}, {@code models -p NAME} and {@code complete -p NAME PROMPT}
 * over the providers found on the class path. Exit status: 0 success, 1 a provider failure, 2 bad
 * usage or an invalid request.
 */
@Command(
    name = "provider-cli",
    mixinStandardHelpOptions = true,
    version = "provider-cli 0.1.0",
    description = "Chat-completion providers found on the class path, selected by name.",
    subcommands = {ProvidersCommand.class, DescribeCommand.class, CompleteCommand.class, ModelsCommand.class},
    synopsisSubcommandLabel = "COMMAND")
public final class Cli implements Callable<Integer> {

  static final int OK = 0;
  static final int PROVIDER_FAILURE = 1;
  static final int USAGE = 2;

  @Option(names = "-D", paramLabel = "KEY=VALUE",
      description = "Sets a system property before providers load, e.g. -D lockchat.url=http://127.0.0.1:8080")
  private Map<String, String> properties = new LinkedHashMap<>();

  final InputStream stdin;
  final PrintStream stdout;
  final PrintStream stderr;
  private ProviderRegistry registry;

  Cli(InputStream stdin, PrintStream stdout, PrintStream stderr) {
    this.stdin = stdin;
    this.stdout = stdout;
    this.stderr = stderr;
  }

  /** Runs and exits with the command's status (explicitly: native providers may keep threads alive). */
  public static void main(String[] args) {
    PrintStream out = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), false, StandardCharsets.UTF_8);
    PrintStream err = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.err), true, StandardCharsets.UTF_8);
    int status = run(args, System.in, out, err);
    out.flush();
    System.exit(status);
  }

  /** Runs the command line with the given streams and returns the exit status. */
  static int run(String[] args, InputStream stdin, PrintStream stdout, PrintStream stderr) {
    Cli cli = new Cli(stdin, stdout, stderr);
    CommandLine commandLine = new CommandLine(cli)
        .setOut(new java.io.PrintWriter(stdout, true))
        .setErr(new java.io.PrintWriter(stderr, true))
        .setExecutionExceptionHandler((e, line, parsed) -> {
          if (e instanceof IllegalArgumentException || e instanceof IllegalStateException) {
            stderr.println("provider-cli: " + e.getMessage());
            return USAGE;
          }
          throw e;
        });
    try {
      return commandLine.execute(args);
    } finally {
      if (cli.registry != null) {
        cli.registry.close();
      }
    }
  }

  @Override
  public Integer call() {
    new CommandLine(this).usage(stdout);
    return USAGE;
  }

  /** The registry, loaded once after the -D properties are set. */
  ProviderRegistry registry() {
    if (registry == null) {
      properties.forEach(System::setProperty);
      registry = ProviderRegistry.load();
    }
    return registry;
  }
}
