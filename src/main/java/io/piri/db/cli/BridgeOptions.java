package io.piri.db.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The options every operator command shares: where the bridge is, how long to wait, output form. */
final class BridgeOptions {
  @Option(names = "--bridge", description = "HOST:PORT of the bridge (default: from --config)")
  String bridge;

  @Option(names = "--config", description = "configuration file to take the bridge address from (default: ${DEFAULT-VALUE})",
      defaultValue = "conf/piri-db.json")
  Path config;

  @Option(names = "--timeout", description = "seconds to wait for each reply (default: ${DEFAULT-VALUE})", defaultValue = "35")
  int timeoutSeconds;

  @Option(names = "--json", description = "print JSON instead of a table, for scripts")
  boolean json;

  @Option(names = "--verbose", description = "print stack traces of failures")
  boolean verbose;
}
