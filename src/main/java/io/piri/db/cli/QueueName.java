package io.piri.db.cli;

import io.piri.db.core.StoreId;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.util.Map;
import picocli.CommandLine.Parameters;

/** The first parameter of an operator command about one queue: the queue's name. */
final class QueueName {
  // The label the usage and its errors showed when the parameter was a field named queue.
  @Parameters(index = "0", paramLabel = "<queue>", description = "queue name, e.g. replication") String name;

  /** The queue store that lists the queue in its stats; 404 when none does. */
  StoreId store(StoreRequests client) throws IOException, BridgeClient.Failure {
    return storeOf(client, name);
  }

  static StoreId storeOf(StoreRequests client, String queue) throws IOException, BridgeClient.Failure {
    for (Map.Entry<StoreId, JsonObject> e : OpsCommand.statsOfEveryStore(client).entrySet()) {
      if (e.getValue().containsKey(queue)) return e.getKey();
    }
    throw new BridgeClient.Failure(404, "not_found", "queue '" + queue + "' is in no queue store");
  }
}
