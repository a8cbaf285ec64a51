package io.piri.db.cli;

import io.piri.db.core.StoreId;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.PrintStream;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code piri-db rollups QUEUE}: the queue's per-minute rollups of the last hour or day. */
@Command(name = "rollups", description = "Show a queue's per-minute activity: throughput, failures, dead letters, lag, claim latency.")
public final class RollupsCommand extends ReadCommand {
  private static final long MINUTE_MS = 60_000;

  @Mixin QueueName queue;

  @Option(names = "--window", description = "hour or day, up to now (default: ${DEFAULT-VALUE})", defaultValue = "hour") String window;

  @Override
  void validate() {
    if (!window.equals("hour") && !window.equals("day")) throw badFlag("--window: must be hour or day, got '" + window + "'");
  }

  @Override
  void run(StoreRequests client, PrintStream out) throws IOException, BridgeClient.Failure {
    StoreId store = queue.store(client);
    long to = System.currentTimeMillis();
    long span = (window.equals("day") ? 24 : 1) * 60 * MINUTE_MS;
    // The store counts a window from the start of the minute 'from' falls in.
    long from = Math.floorDiv(to - span + MINUTE_MS - 1, MINUTE_MS) * MINUTE_MS;
    JsonObject reply = client.request(store.address(), operation().action(), new JsonObject().put("queue", queue.name).put("from", from).put("to", to));
    print(out, reply.put("queue", queue.name).put("store", store.id()).put("from", from).put("to", to), this::table);
  }

  private void table(JsonObject reply, PrintStream out) {
    Table t = new Table("MINUTE", "ENQUEUED", "COMPLETED", "FAILED", "DEAD", "LAG_MS", "CLAIM_P50_MS", "CLAIM_P95_MS", "CLAIM_P99_MS")
        .rows(reply.getJsonArray("minutes"), m -> new Object[] {
            Table.time(m.getLong("minute")), m.getLong("enqueued"), m.getLong("completed"), m.getLong("failed"), m.getLong("dead"),
            m.getLong("lag_ms"), m.getValue("claim_p50_ms"), m.getValue("claim_p95_ms"), m.getValue("claim_p99_ms")});
    out.print(t.isEmpty() ? "no activity in the last " + window + " (minutes without activity have no row)\n" : t.render());
  }
}
