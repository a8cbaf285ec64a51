package io.piri.db.cli;

import io.piri.db.core.ExitException;
import java.io.IOException;
import java.io.PrintStream;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;

/**
 * A command that sends requests to a running server through its bridge. It exits 4 with the error
 * JSON on stderr when a request fails, 2 for bad flags, 1 when the bridge cannot be reached.
 */
abstract class BridgeCommand implements Callable<Integer> {
  @Mixin BridgeOptions options;

  /** Checks the arguments before anything is sent; throws an exit-2 ExitException. */
  void validate() throws IOException {}

  abstract void run(BridgeClient client, PrintStream out) throws IOException, BridgeClient.Failure;

  @Override
  public final Integer call() throws Exception {
    if (options.timeoutSeconds < 1) throw badFlag("--timeout: must be at least 1 second");
    validate();
    BridgeAddress at = BridgeAddress.resolve(options.bridge, options.config);
    try (BridgeClient client = new BridgeClient(at.host(), at.port(), options.timeoutSeconds * 1000)) {
      run(client, System.out);
      System.out.flush();
      return 0;
    } catch (BridgeClient.Failure f) {
      System.out.flush();
      System.err.println(f.toJson().encode());
      return ExitException.REQUEST_FAILED;
    } catch (IOException e) {
      throw new ExitException(ExitException.FAILED, "cannot reach the bridge at " + at + ": " + e.getMessage(), e);
    }
  }

  static ExitException badFlag(String message) {
    return new ExitException(ExitException.BAD_CONFIG, message);
  }
}
