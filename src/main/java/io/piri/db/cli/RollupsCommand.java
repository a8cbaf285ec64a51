package io.piri.db.cli;

import io.piri.db.core.StoreId;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.PrintStream;
import io.piri.db.ops.Operation;
import io.piri.db.ops.Operations;
import java.nio.file.Path;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code piri-db rollups QUEUE}: the queue's per-minute rollups of the last hour or day. */
@Command(name = "rollups", description = "Show a queue's per-minute activity: throughput, failures, dead letters, lag, claim latency.")
public final class RollupsCommand extends QueueOpsCommand {
  private static final long MINUTE_MS = 60_000;

  @Mixin OfflineOption offline;

  @Override
  Path offlineDir() {
    return offline.dataDir;
  }

  @Override
  Operation operation() {
    return Operations.ROLLUPS;
  }

  @Option(names = "--window", description = "hour or day, up to now (default: ${DEFAULT-VALUE})", defaultValue = "hour")
  String window;

  @Override
  void validate() {
    if (!window.equals("hour") && !window.equals("day")) throw badFlag("--window: must be hour or day, got '" + window + "'");
  }

  @Override
  void run(StoreRequests client, PrintStream out) throws IOException, BridgeClient.Failure {
    StoreId store = queueStore(client);
    long to = System.currentTimeMillis();
    long span = (window.equals("day") ? 24 : 1) * 60 * MINUTE_MS;
    // The store counts a window from the start of the minute 'from' falls in.
    long from = Math.floorDiv(to - span + MINUTE_MS - 1, MINUTE_MS) * MINUTE_MS;
    JsonObject reply = client.request(store.address(), operation().action(), new JsonObject().put("queue", queue).put("from", from).put("to", to));
    if (json) {
      out.println(reply.put("queue", queue).put("store", store.id()).put("from", from).put("to", to).encode());
      return;
    }
    Table t = new Table("MINUTE", "ENQUEUED", "COMPLETED", "FAILED", "DEAD", "LAG_MS", "CLAIM_P50_MS", "CLAIM_P95_MS", "CLAIM_P99_MS");
    for (Object o : reply.getJsonArray("minutes")) {
      JsonObject m = (JsonObject) o;
      t.row(Table.time(m.getLong("minute")), m.getLong("enqueued"), m.getLong("completed"), m.getLong("failed"), m.getLong("dead"),
          m.getLong("lag_ms"), m.getValue("claim_p50_ms"), m.getValue("claim_p95_ms"), m.getValue("claim_p99_ms"));
    }
    out.print(t.isEmpty() ? "no activity in the last " + window + " (minutes without activity have no row)\n" : t.render());
  }
}
