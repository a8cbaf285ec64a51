package io.piri.db.cli;

import io.piri.db.core.ExitException;
import io.piri.db.core.Version;
import io.piri.db.config.ConfigException;
import java.util.function.LongSupplier;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The piri-db command line: {@code serve} runs the node, {@code call} talks to a running one. */
@Command(name = "piri-db", mixinStandardHelpOptions = true, version = "piri-db " + Version.PIRI_DB,
    description = "Piri's database layer: job queues and scheduler state behind the Vert.x event bus.",
    subcommands = {ServeCommand.class, CallCommand.class, QueuesCommand.class, JobsCommand.class, ShowCommand.class, SearchCommand.class, DeadCommand.class, BulkCommand.class,
        RollupsCommand.class, QueueControlCommand.Pause.class, QueueControlCommand.Resume.class,
        DedupeCommand.class, TasksCommand.class, TaskHistoryCommand.class, SessionsCommand.class, ProofSetsCommand.class,
        ProofSetCommand.class, ProofSetTimelineCommand.class, BackupCommand.class, AuditCommand.class, AdoptCommand.class, TokenCommand.class})
public final class Main {
  // Held so the level sticks: java.util.logging keeps loggers only weakly.
  private static final java.util.logging.Logger FLYWAY_LOG = java.util.logging.Logger.getLogger("org.flywaydb");

  static {
    System.setProperty("java.util.logging.SimpleFormatter.format", "%1$tF %1$tT.%1$tL %4$s %3$s: %5$s%6$s%n");
    System.setProperty("vertx.logger-delegate-factory-class-name", "io.vertx.core.logging.JULLogDelegateFactory");
    FLYWAY_LOG.setLevel(java.util.logging.Level.WARNING);
  }

  public static void main(String[] args) {
    System.exit(run(args));
  }

  /** Runs a command line and returns its exit code (contract §1). */
  public static int run(String... args) {
    return run(System::currentTimeMillis, args);
  }

  /** The same, with {@code clock} as the time of the commands that read Piri's times (adopt). */
  public static int run(LongSupplier clock, String... args) {
    CommandLine cli = commandLine(clock);
    cli.setParameterExceptionHandler((ex, a) -> {
      System.err.println("piri-db: " + ex.getMessage());
      return ExitException.BAD_CONFIG;
    });
    cli.setExecutionExceptionHandler((ex, line, parsed) -> {
      boolean verbose = parsed.hasMatchedOption("--verbose")
          || parsed.subcommand() != null && parsed.subcommand().hasMatchedOption("--verbose");
      return report(ex, verbose);
    });
    return cli.execute(args);
  }

  /** Every command, those that read Piri's times taking {@code clock} as now. */
  static CommandLine commandLine(LongSupplier clock) {
    return new CommandLine(new Main(), new CommandLine.IFactory() {
      @Override
      public <K> K create(Class<K> type) throws Exception {
        return type == AdoptCommand.class ? type.cast(new AdoptCommand(clock)) : CommandLine.defaultFactory().create(type);
      }
    });
  }

  static int report(Exception ex, boolean verbose) {
    int code = ExitException.FAILED;
    if (ex instanceof ExitException e) code = e.exitCode();
    else if (ex instanceof ConfigException) code = ExitException.BAD_CONFIG;
    String msg = ex.getMessage() == null ? ex.toString() : ex.getMessage();
    System.err.println("piri-db: " + msg.lines().findFirst().orElse(msg));
    if (verbose) ex.printStackTrace();
    return code;
  }
}
