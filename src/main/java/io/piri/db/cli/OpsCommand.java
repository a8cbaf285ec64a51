package io.piri.db.cli;

import io.piri.db.core.ExitException;
import io.piri.db.core.StoreId;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;

/**
 * The base of the operator commands: they talk to a running server through its bridge, print a
 * table (or JSON with {@code --json}), and exit as {@code call} does: 4 with the error JSON on
 * stderr when a request fails, 2 for bad flags, 1 when the bridge cannot be reached.
 */
abstract class OpsCommand implements Callable<Integer> {
  @Mixin BridgeOptions options;

  /** Checks flag combinations before anything is sent; throws an exit-2 ExitException. */
  void validate() {}

  abstract void run(BridgeClient client, PrintStream out) throws IOException, BridgeClient.Failure;

  @Override
  public final Integer call() throws Exception {
    if (options.timeoutSeconds < 1) throw new ExitException(ExitException.BAD_CONFIG, "--timeout: must be at least 1 second");
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

  /** Each queue store's {@code stats}; the stats action needs no configuration on this side. */
  static Map<StoreId, JsonObject> statsOfEveryStore(BridgeClient client) throws IOException, BridgeClient.Failure {
    Map<StoreId, JsonObject> out = new LinkedHashMap<>();
    for (StoreId store : StoreId.values()) {
      if (store.holdsQueues()) out.put(store, client.request(store.address(), "stats", new JsonObject()).getJsonObject("queues"));
    }
    return out;
  }

  /** The queue store that lists {@code queue} in its stats; 404 when none does. */
  static StoreId storeOf(BridgeClient client, String queue) throws IOException, BridgeClient.Failure {
    for (Map.Entry<StoreId, JsonObject> e : statsOfEveryStore(client).entrySet()) {
      if (e.getValue().containsKey(queue)) return e.getKey();
    }
    throw new BridgeClient.Failure(404, "not_found", "queue '" + queue + "' is in no queue store");
  }
}
