package io.piri.db.cli;

import java.nio.file.Path;
import picocli.CommandLine.Mixin;

/** An operator command that only reads, so it can also read a data_dir offline. */
abstract class ReadCommand extends OpsCommand {
  @Mixin OfflineOption offline;

  @Override
  final Path offlineDir() {
    return offline.dataDir;
  }
}
