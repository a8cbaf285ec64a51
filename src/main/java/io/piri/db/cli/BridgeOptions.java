package io.piri.db.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The options of every command that talks to the bridge: where it is, how long to wait for a reply. */
final class BridgeOptions {
  @Option(names = "--bridge", description = "HOST:PORT of the bridge (default: from --config)") String bridge;

  @Option(names = "--config", description = "configuration file to take the bridge address from (default: ${DEFAULT-VALUE})",
      defaultValue = "conf/piri-db.json")
  Path config;

  @Option(names = "--timeout", description = "seconds to wait for each reply (default: ${DEFAULT-VALUE})", defaultValue = "35") int timeoutSeconds;

  @Option(names = "--verbose", description = "print stack traces of failures") boolean verbose;
}
