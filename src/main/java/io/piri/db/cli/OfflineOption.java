package io.piri.db.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The option of every read command: read a data_dir in this process instead of asking the node. */
final class OfflineOption {
  @Option(names = "--data-dir", description = "read this SQLite data_dir directly, read-only, whether or not its node runs "
      + "(queues as --config defines them)")
  Path dataDir;
}
