package io.piri.db.cli;

import io.piri.db.support.Cli;
import io.piri.db.support.ServerTestBase;
import org.junit.jupiter.api.BeforeEach;

/** Operator commands against a node started before each test, reached through its bridge. */
abstract class BridgeCommandTestBase extends ServerTestBase {
  @BeforeEach
  void startNode() throws Exception {
    startServer();
  }

  /** {@code piri-db args... --bridge <the node's bridge>}. */
  Cli.Result cli(String... args) {
    String[] all = new String[args.length + 2];
    System.arraycopy(args, 0, all, 0, args.length);
    all[args.length] = "--bridge";
    all[args.length + 1] = "127.0.0.1:" + config.bridgePort();
    return Cli.run(all);
  }
}
