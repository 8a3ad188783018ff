package dev.completions.cli;

import dev.completions.registry.ProviderRegistry;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The command line: {@code providers}, {@code describe NAME}, {@code models -p NAME}, {@code
 * complete -p NAME PROMPT} and {@code serve} (the OpenAI-compatible gateway) over the providers
 * found on the class path. Every command takes {@code --help} and {@code --version}.
 *
 * <p>Exit status:
 *
 * <ul>
 *   <li>0: success, including {@code --help} and {@code --version};
 *   <li>1: a provider failure (its kind and message on standard error);
 *   <li>2: bad usage, an invalid request, or a provider that is unknown or failed to load;
 *   <li>74: standard output could not be written (a full disk, a closed file, an I/O error), with
 *       {@code provider-cli: write error: REASON} on standard error; 74 is {@code EX_IOERR} of
 *       BSD's {@code sysexits.h};
 *   <li>141: standard output is a pipe whose reader went away (EPIPE), as when {@code head} has
 *       read enough; nothing is printed, and 141 is 128 + SIGPIPE (13), the status POSIX shells
 *       report for {@code cat} and other programs that the signal ends.
 * </ul>
 *
 * On a write error {@code complete} cancels the stream at once (the connection or the generation is
 * aborted). The JVM reports errors by the system's message only, so a broken pipe is told from
 * other write errors by its message naming a pipe (as {@code strerror(EPIPE)}'s does, "Broken
 * pipe", in English and most translations); any other write error exits 74.
 */
@Command(
    name = "provider-cli",
    mixinStandardHelpOptions = true,
    scope = CommandLine.ScopeType.INHERIT,
    version = "provider-cli 0.1.0",
    description = "Chat-completion providers found on the class path, selected by name.",
    subcommands = {
      ProvidersCommand.class,
      DescribeCommand.class,
      CompleteCommand.class,
      ModelsCommand.class,
      ServeCommand.class
    },
    synopsisSubcommandLabel = "COMMAND")
public final class Cli implements Callable<Integer> {

  static final int OK = 0;
  static final int PROVIDER_FAILURE = 1;
  static final int USAGE = 2;

  /** EX_SOFTWARE from sysexits.h: the command line itself failed. */
  static final int SOFTWARE_ERROR = 70;

  /** {@code EX_IOERR} of {@code sysexits.h}: standard output could not be written. */
  static final int WRITE_ERROR = 74;

  /** 128 + SIGPIPE: the reader of standard output went away. */
  static final int BROKEN_PIPE = 141;

  @Option(
      names = "-D",
      paramLabel = "KEY=VALUE",
      description =
          "Sets a system property before providers load, e.g. -D lockchat.url=http://127.0.0.1:8080")
  private Map<String, String> properties = new LinkedHashMap<>();

  final InputStream stdin;
  final PrintStream stdout;
  final PrintStream stderr;
  private ProviderRegistry registry;

  /** The record of each call the commands make, for {@code complete --stats} and JSON Lines. */
  final CallStats stats = new CallStats();

  private boolean writeErrorReported;

  Cli(InputStream stdin, PrintStream stdout, PrintStream stderr) {
    this.stdin = stdin;
    this.stdout = stdout;
    this.stderr = stderr;
  }

  /**
   * Runs and exits with the command's status (explicitly: native providers may keep threads alive).
   */
  public static void main(String[] args) {
    PrintStream out = new WatchedPrintStream(new FileOutputStream(FileDescriptor.out));
    PrintStream err =
        new PrintStream(new FileOutputStream(FileDescriptor.err), true, StandardCharsets.UTF_8);
    int status = SOFTWARE_ERROR;
    try {
      status = run(args, System.in, out, err);
    } catch (
        Throwable
            unexpected) { // an Error too: without the exit below a native thread keeps the JVM
      // alive
      err.println("provider-cli: internal error: " + unexpected);
    } finally {
      System.exit(status);
    }
  }

  /** Runs the command line with the given streams and returns the exit status. */
  static int run(String[] args, InputStream stdin, PrintStream stdout, PrintStream stderr) {
    Cli cli = new Cli(stdin, stdout, stderr);
    CommandLine commandLine =
        new CommandLine(cli)
            .setOut(new java.io.PrintWriter(stdout, true))
            .setErr(new java.io.PrintWriter(stderr, true))
            .setExecutionExceptionHandler(
                (e, line, parsed) -> {
                  if (e instanceof WriteFailed) {
                    return cli.writeFailed();
                  }
                  if (e instanceof IllegalArgumentException || e instanceof IllegalStateException) {
                    stderr.println("provider-cli: " + e.getMessage());
                    return USAGE;
                  }
                  throw e;
                });
    try {
      int status = commandLine.execute(args);
      commandLine.getOut().flush();
      return stdout.checkError() ? cli.writeFailed() : status;
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

  /** Flushes standard output and throws {@link WriteFailed} when it could not be written. */
  void flushOrFail() {
    if (stdout.checkError()) {
      throw new WriteFailed();
    }
  }

  /**
   * The status for a write error on standard output, saying why on standard error (once) unless the
   * pipe's reader went away.
   */
  int writeFailed() {
    IOException cause = stdout instanceof WatchedPrintStream watched ? watched.failure() : null;
    if (cause != null && isBrokenPipe(cause)) {
      return BROKEN_PIPE;
    }
    if (!writeErrorReported) {
      writeErrorReported = true;
      stderr.println(
          "provider-cli: write error" + (cause == null ? "" : ": " + cause.getMessage()));
    }
    return WRITE_ERROR;
  }

  private static boolean isBrokenPipe(IOException e) {
    return e.getMessage() != null && e.getMessage().toLowerCase(Locale.ROOT).contains("pipe");
  }

  /** Thrown where writing to standard output failed, so that the command stops at once. */
  static final class WriteFailed extends RuntimeException {
    private static final long serialVersionUID = 1L;

    WriteFailed() {
      super("standard output could not be written", null, false, false);
    }
  }

  /**
   * The registry, loaded once after the -D properties are set (OpenTelemetry too, when an {@code
   * OTEL_*} setting asks for it), with {@link #stats} among its call listeners.
   */
  ProviderRegistry registry() {
    if (registry == null) {
      properties.forEach(System::setProperty);
      Telemetry.startIfConfigured(stderr);
      registry = ProviderRegistry.builder().listener(stats).build();
    }
    return registry;
  }
}
