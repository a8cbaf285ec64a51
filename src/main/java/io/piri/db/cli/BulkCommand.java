package io.piri.db.cli;

import io.piri.db.core.ExitException;
import io.piri.db.core.StoreId;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import io.piri.db.ops.Operation;
import java.nio.file.Path;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code piri-db bulk start|status|cancel|list}: requeue, purge or cancel everything a filter
 * matches, as an operation the node runs in batches. Operation ids are per queue store; status
 * and cancel find the store that holds the id unless {@code --store} names it.
 */
@Command(name = "bulk", description = "Requeue, purge or cancel everything a filter matches, in batches.",
    subcommands = {BulkCommand.Start.class, BulkCommand.Status.class, BulkCommand.Cancel.class, BulkCommand.ListOps.class})
public final class BulkCommand implements Callable<Integer> {
  /** How often --wait asks for progress: a person watches it, the store answers from one row. */
  private static final long WAIT_POLL_MS = 500;

  @Override
  public Integer call() {
    throw new ExitException(ExitException.BAD_CONFIG, "bulk: expected one of start, status, cancel, list");
  }

  static String line(StoreId store, JsonObject op) {
    long matching = op.getLong("matching");
    long done = op.getLong("done");
    String pct = matching == 0 ? "" : " (" + Math.min(100, done * 100 / matching) + "%)";
    return "operation " + op.getLong("operation") + " on " + store.id() + ": " + op.getString("op") + " of queue "
        + op.getString("queue") + " " + op.getJsonObject("filter").encode() + ": " + op.getString("state") + ", "
        + done + " of " + matching + " matching done" + pct;
  }

  @Command(name = "start", description = "Start an operation on everything in QUEUE that the filter matches.")
  static final class Start extends OpsCommand {
    @Mixin QueueName queue;

    @Option(names = "--op", required = true, description = "requeue or purge (dead letters), cancel (live jobs)") String op;

    @Mixin JobFilter filter;

    @Option(names = "--state", split = ",", description = "cancel only: ready, scheduled, running (default: all three)")
    List<String> states = new ArrayList<>();

    @Option(names = "--wait", description = "print progress until the operation ends") boolean await;

    private JsonObject body;

    @Override
    void validate() {
      if (!List.of("requeue", "purge", "cancel").contains(op)) throw badFlag("--op: must be requeue, purge or cancel, got " + op);
      body = filter.addTo(new JsonObject());
      if (!states.isEmpty()) body.put("state", new JsonArray(new ArrayList<>(states)));
    }

    @Override
    void run(StoreRequests client, PrintStream out) throws IOException, BridgeClient.Failure {
      StoreId store = queue.store(client);
      JsonObject op = client.request(store.address(), "bulk-start", new JsonObject().put("queue", queue.name).put("op", this.op)
          .put("filter", body));
      if (!json) out.println(line(store, op));
      if (await) op = follow(client, store, op, json ? null : out);
      if (json) out.println(op.copy().put("store", store.id()).encode());
    }
  }

  /** Asks for the operation's state until it ends, printing each change of it to {@code out} (if any). */
  static JsonObject follow(StoreRequests client, StoreId store, JsonObject op, PrintStream out) throws IOException, BridgeClient.Failure {
    JsonObject body = new JsonObject().put("operation", op.getLong("operation"));
    long shown = op.getLong("done");
    while (op.getString("state").equals("running")) {
      try {
        Thread.sleep(WAIT_POLL_MS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return op;
      }
      op = client.request(store.address(), "bulk-status", body);
      if (out != null && (op.getLong("done") != shown || !op.getString("state").equals("running"))) {
        out.println(line(store, op));
        shown = op.getLong("done");
      }
    }
    return op;
  }

  /** Status and cancel name an operation, in the store given or the one queue store that has it. */
  abstract static class OneOperation extends OpsCommand {
    @Parameters(index = "0", description = "operation id, as bulk start or bulk list printed it") long id;

    @Option(names = "--store", description = "the queue store of the operation (replicator, aggregator, egress_tracker)") String store;

    @Override
    void validate() {
      if (id < 1) throw badFlag("ID: must be a positive operation id");
      if (store != null && Arrays.stream(StoreId.values())
          .noneMatch(s -> s.holdsQueues() && s.id().equals(store))) {
        throw badFlag("--store: '" + store + "' is not a queue store (replicator, aggregator, egress_tracker)");
      }
    }

    StoreId find(StoreRequests client) throws IOException, BridgeClient.Failure {
      if (store != null) return StoreId.parse(store);
      List<StoreId> found = new ArrayList<>();
      for (StoreId s : StoreId.values()) {
        if (!s.holdsQueues()) continue;
        try {
          client.request(s.address(), "bulk-status", new JsonObject().put("operation", id));
          found.add(s);
        } catch (BridgeClient.Failure f) {
          if (f.code != 404) throw f;
        }
      }
      if (found.isEmpty()) throw new BridgeClient.Failure(404, "not_found", "no bulk operation " + id + " in any queue store");
      if (found.size() > 1) {
        throw badFlag("operation " + id + " exists in " + found.stream().map(StoreId::id).toList() + ": name one with --store");
      }
      return found.get(0);
    }

    @Override
    final void run(StoreRequests client, PrintStream out) throws IOException, BridgeClient.Failure {
      StoreId s = find(client);
      JsonObject op = client.request(s.address(), operation().action(), new JsonObject().put("operation", id));
      out.println(json ? op.put("store", s.id()).encode() : line(s, op));
    }
  }

  @Command(name = "status", description = "Show an operation's progress.")
  static final class Status extends OneOperation {
    @Mixin OfflineOption offline;

    @Override
    Path offlineDir() {
      return offline.dataDir;
    }
  }

  @Command(name = "cancel", description = "Stop a running operation; what its batches did stays done.")
  static final class Cancel extends OneOperation {}

  @Command(name = "list", description = "List the latest operations of every queue store.")
  static final class ListOps extends ReadCommand {
    @Option(names = "--limit", description = "operations per store, 1..100 (default: ${DEFAULT-VALUE})", defaultValue = "20") int limit;

    @Override
    void validate() {
      if (limit < 1 || limit > 100) throw badFlag("--limit: must be between 1 and 100, got " + limit);
    }

    @Override
    void run(StoreRequests client, PrintStream out) throws IOException, BridgeClient.Failure {
      JsonArray all = new JsonArray();
      for (StoreId s : StoreId.values()) {
        if (!s.holdsQueues()) continue;
        JsonArray ops = client.request(s.address(), operation().action(), new JsonObject().put("limit", limit)).getJsonArray("operations");
        for (Object o : ops) all.add(((JsonObject) o).put("store", s.id()));
      }
      print(out, new JsonObject().put("operations", all), ListOps::table);
    }

    private static void table(JsonObject reply, PrintStream out) {
      out.print(new Table("STORE", "ID", "QUEUE", "OP", "STATE", "DONE", "MATCHING", "STARTED", "ACTOR", "FILTER").rows(reply.getJsonArray("operations"),
          op -> new Object[] {op.getString("store"), op.getLong("operation"), op.getString("queue"), op.getString("op"), op.getString("state"),
              op.getLong("done"), op.getLong("matching"), Table.time(op.getLong("started_at")), op.getString("actor"),
              Table.clip(op.getJsonObject("filter").encode(), 60)}).render());
    }
  }
}
