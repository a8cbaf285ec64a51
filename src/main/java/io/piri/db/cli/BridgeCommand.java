package io.piri.db.cli;

import io.piri.db.core.ExitException;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;

/**
 * A command that sends requests to a running server through its bridge, or (a read given
 * {@code --data-dir}) to the stores of a data_dir opened read-only in this process. It exits 4
 * with the error JSON on stderr when a request fails, 2 for bad flags, 1 when the bridge cannot
 * be reached.
 */
abstract class BridgeCommand implements Callable<Integer> {
  @Mixin BridgeOptions options;

  /** Checks the arguments before anything is sent; throws an exit-2 ExitException. */
  void validate() throws IOException {}

  abstract void run(StoreRequests client, PrintStream out) throws IOException, BridgeClient.Failure;

  /** The data_dir to read offline instead of asking the bridge; null: the bridge. */
  Path offlineDir() {
    return null;
  }

  @Override
  public final Integer call() throws Exception {
    if (options.timeoutSeconds < 1) throw badFlag("--timeout: must be at least 1 second");
    validate();
    Path dir = offlineDir();
    String where;
    StoreRequests client;
    if (dir != null) {
      where = "data_dir " + dir;
      client = OfflineStores.open(dir, BridgeAddress.config(options.config), options.timeoutSeconds * 1000L);
    } else {
      BridgeAddress at = BridgeAddress.resolve(options.bridge, options.config);
      where = "the bridge at " + at;
      try {
        client = new BridgeClient(at.host(), at.port(), options.timeoutSeconds * 1000);
      } catch (IOException e) {
        throw new ExitException(ExitException.FAILED, "cannot reach " + where + ": " + e.getMessage(), e);
      }
    }
    try (client) {
      run(client, System.out);
      System.out.flush();
      return 0;
    } catch (BridgeClient.Failure f) {
      System.out.flush();
      System.err.println(f.toJson().encode());
      return ExitException.REQUEST_FAILED;
    } catch (IOException e) {
      throw new ExitException(ExitException.FAILED, "cannot reach " + where + ": " + e.getMessage(), e);
    }
  }

  static ExitException badFlag(String message) {
    return new ExitException(ExitException.BAD_CONFIG, message);
  }
}
