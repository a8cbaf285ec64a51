package io.piri.db.cli;

import io.piri.db.core.StoreId;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.util.Map;
import picocli.CommandLine.Parameters;

/** An operator command about one queue, named by its first parameter. */
abstract class QueueOpsCommand extends OpsCommand {
  @Parameters(index = "0", description = "queue name, e.g. replication")
  String queue;

  /** The queue store that lists the queue in its stats; 404 when none does. */
  StoreId queueStore(StoreRequests client) throws IOException, BridgeClient.Failure {
    return queueStore(client, queue);
  }

  static StoreId queueStore(StoreRequests client, String queue) throws IOException, BridgeClient.Failure {
    for (Map.Entry<StoreId, JsonObject> e : statsOfEveryStore(client).entrySet()) {
      if (e.getValue().containsKey(queue)) return e.getKey();
    }
    throw new BridgeClient.Failure(404, "not_found", "queue '" + queue + "' is in no queue store");
  }

  /** The stores answer at most 1000 rows a request. */
  static void checkLimit(int limit) {
    if (limit < 1 || limit > 1000) throw badFlag("--limit: must be between 1 and 1000, got " + limit);
  }
}
