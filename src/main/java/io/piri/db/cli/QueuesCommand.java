package io.piri.db.cli;

import io.piri.db.core.StoreId;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import picocli.CommandLine.Command;

/** {@code piri-db queues}: every queue's counts, from the stats of the three queue stores. */
@Command(name = "queues", description = "Show every queue's counts (ready, scheduled, running, dead, done).")
public final class QueuesCommand extends ReadCommand {
  private static final String[] COUNTS = {"ready", "scheduled", "running", "dead", "done"};

  @Override
  void run(StoreRequests client, PrintStream out) throws IOException, BridgeClient.Failure {
    Map<String, JsonObject> byQueue = new TreeMap<>();
    for (Map.Entry<StoreId, JsonObject> e : statsOfEveryStore(client).entrySet()) {
      e.getValue().forEach(q -> byQueue.put(q.getKey(), ((JsonObject) q.getValue()).copy().put("store", e.getKey().id())));
    }
    print(out, new JsonObject().put("queues", new JsonObject(new LinkedHashMap<>(byQueue))), QueuesCommand::table);
  }

  private static void table(JsonObject reply, PrintStream out) {
    Table t = new Table("QUEUE", "STORE", "READY", "SCHEDULED", "RUNNING", "DEAD", "DONE");
    reply.getJsonObject("queues").forEach(q -> {
      JsonObject s = (JsonObject) q.getValue();
      Object[] row = new Object[7];
      row[0] = q.getKey();
      row[1] = s.getString("store");
      for (int i = 0; i < COUNTS.length; i++) row[i + 2] = s.getLong(COUNTS[i], 0L);
      t.row(row);
    });
    out.print(t.render());
  }
}
