package io.piri.db.cli;

import io.piri.db.core.StoreId;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.PrintStream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code piri-db pause|resume QUEUE} and {@code piri-db pause|resume --all --store NAME}: stop and
 * restart the claims of one queue or of every queue of a store. The change is recorded with who
 * asked (the CLI's actor headers) in the store's audit trail.
 */
abstract class QueueControlCommand extends OpsCommand {
  @Parameters(index = "0", arity = "0..1", description = "queue name, e.g. replication") String queue;

  @Option(names = "--all", description = "every queue of the store named by --store") boolean all;

  @Option(names = "--store", description = "with --all: replicator, aggregator or egress_tracker") String store;

  @Override
  void validate() {
    if (all == (queue != null)) throw badFlag(operation().cli() + ": give QUEUE or --all --store NAME (exactly one)");
    if (all && store == null) throw badFlag("--all: needs --store NAME (replicator, aggregator or egress_tracker)");
    if (!all && store != null) throw badFlag("--store: only with --all (a queue's store is found from its name)");
    if (all && !queueStoreNamed(store)) {
      throw badFlag("--store: '" + store + "' is not a queue store (replicator, aggregator or egress_tracker)");
    }
  }

  private static boolean queueStoreNamed(String name) {
    for (StoreId s : StoreId.values()) {
      if (s.holdsQueues() && s.id().equals(name)) return true;
    }
    return false;
  }

  @Override
  void run(StoreRequests client, PrintStream out) throws IOException, BridgeClient.Failure {
    StoreId target = all ? StoreId.parse(store) : QueueName.storeOf(client, queue);
    JsonObject body = all ? new JsonObject().put("all", true) : new JsonObject().put("queue", queue);
    JsonObject reply = client.request(target.address(), operation().action(), body);
    print(out, reply, this::table);
  }

  private void table(JsonObject reply, PrintStream out) {
    JsonArray queues = all ? reply.getJsonArray("queues") : new JsonArray().add(reply);
    for (Object o : queues) {
      JsonObject q = (JsonObject) o;
      String by = q.getString("by") == null ? "" : " by " + q.getString("by");
      out.println(q.getString("queue") + (q.getBoolean("paused") ? ": paused since " : ": resumed at ")
          + Table.time(q.getLong("at")) + by);
    }
  }

  @Command(name = "pause", description = "Stop claims of a queue (or of every queue of a store) until resumed; enqueues go on.")
  static final class Pause extends QueueControlCommand {}

  @Command(name = "resume", description = "Let claims of a paused queue (or of every queue of a store) run again.")
  static final class Resume extends QueueControlCommand {}
}
