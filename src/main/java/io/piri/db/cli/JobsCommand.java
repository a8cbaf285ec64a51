package io.piri.db.cli;

import io.piri.db.core.StoreId;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.PrintStream;
import java.util.List;
import io.piri.db.ops.Operation;
import io.piri.db.ops.Operations;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code piri-db jobs QUEUE}: the oldest ready jobs (claim order) and the running ones. */
@Command(name = "jobs", description = "Show the oldest ready and running jobs of a queue.")
public final class JobsCommand extends QueueOpsCommand {
  @Mixin OfflineOption offline;

  @Override
  Path offlineDir() {
    return offline.dataDir;
  }

  @Override
  Operation operation() {
    return Operations.JOBS;
  }
  @Option(names = "--state", description = "ready, running or both (default: ${DEFAULT-VALUE})", defaultValue = "both")
  String state;

  @Option(names = "--limit", description = "jobs per state, 1..1000 (default: ${DEFAULT-VALUE})", defaultValue = "20")
  int limit;

  @Override
  void validate() {
    if (!List.of("ready", "running", "both").contains(state)) throw badFlag("--state: must be ready, running or both, got '" + state + "'");
    checkLimit(limit);
  }

  @Override
  void run(StoreRequests client, PrintStream out) throws IOException, BridgeClient.Failure {
    StoreId store = queueStore(client);
    List<String> states = state.equals("both") ? List.of("ready", "running") : List.of(state);
    JsonObject all = new JsonObject().put("queue", queue).put("store", store.id());
    for (String s : states) {
      JsonObject reply = client.request(store.address(), operation().action(),
          new JsonObject().put("queue", queue).put("state", s).put("limit", limit));
      all.put(s, reply.getJsonArray("jobs"));
    }
    if (json) {
      out.println(all.encode());
      return;
    }
    for (String s : states) {
      JsonArray jobs = all.getJsonArray(s);
      out.println(s + " (" + jobs.size() + (jobs.size() == limit ? ", oldest shown" : "") + "):");
      Table t = new Table("ID", "NAME", "ATTEMPTS", "ENQUEUED", s.equals("ready") ? "DUE" : "LEASE_UNTIL", "LAST_ERROR");
      for (Object o : jobs) {
        JsonObject j = (JsonObject) o;
        t.row(j.getLong("id"), j.getString("name"), j.getInteger("attempts") + "/" + j.getInteger("max_attempts"),
            Table.time(j.getLong("enqueued_at")), Table.time(j.getLong(s.equals("ready") ? "run_at" : "lease_until")),
            Table.clip(j.getString("last_error"), 60));
      }
      out.print(t.render());
    }
  }
}
