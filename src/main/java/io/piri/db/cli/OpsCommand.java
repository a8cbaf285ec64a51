package io.piri.db.cli;

import io.piri.db.core.StoreId;
import io.piri.db.ops.Operation;
import io.piri.db.ops.Operations;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * The base of the operator commands, one per operator operation ({@link Operations}): they talk
 * to a running server through its bridge (a read also to a data_dir offline) and print a table
 * (or JSON with {@code --json}).
 */
abstract class OpsCommand extends BridgeCommand {
  @Option(names = "--json", description = "print JSON instead of a table, for scripts")
  boolean json;

  /** The operation this command is the command-line front end of. */
  abstract Operation operation();

  /** Each queue store's {@code stats}; the stats action needs no configuration on this side. */
  static Map<StoreId, JsonObject> statsOfEveryStore(StoreRequests client) throws IOException, BridgeClient.Failure {
    Map<StoreId, JsonObject> out = new LinkedHashMap<>();
    for (StoreId store : StoreId.values()) {
      if (store.holdsQueues()) out.put(store, client.request(store.address(), Operations.STATS.action(), new JsonObject()).getJsonObject("queues"));
    }
    return out;
  }

}
