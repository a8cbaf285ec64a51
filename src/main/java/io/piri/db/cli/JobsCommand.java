package io.piri.db.cli;

import io.piri.db.core.StoreId;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.PrintStream;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code piri-db jobs QUEUE}: a queue's jobs in one state or in ready and running, a page at a
 * time in the state's order (claim order, due time, lease end), from {@code jobs-page}.
 */
@Command(name = "jobs", description = "Show a queue's jobs by state, a page at a time.")
public final class JobsCommand extends ReadCommand {
  @Mixin QueueName queue;

  @Option(names = "--state", description = "ready, scheduled, running or both (ready and running; default: ${DEFAULT-VALUE})",
      defaultValue = "both")
  String state;

  @Option(names = "--limit", description = "jobs per state, 1..1000 (default: ${DEFAULT-VALUE})", defaultValue = "20") int limit;

  @Option(names = "--after", description = "the page after this cursor (printed as 'more: --after ...'); needs one --state") String after;

  @Override
  void validate() {
    if (!List.of("ready", "scheduled", "running", "both").contains(state)) {
      throw badFlag("--state: must be ready, scheduled, running or both, got '" + state + "'");
    }
    if (after != null && state.equals("both")) throw badFlag("--after: give one --state to page through");
    checkLimit(limit);
  }

  private List<String> states() {
    return state.equals("both") ? List.of("ready", "running") : List.of(state);
  }

  @Override
  void run(StoreRequests client, PrintStream out) throws IOException, BridgeClient.Failure {
    StoreId store = queue.store(client);
    JsonObject all = new JsonObject().put("queue", queue.name).put("store", store.id());
    JsonObject next = new JsonObject();
    for (String s : states()) {
      JsonObject body = new JsonObject().put("queue", queue.name).put("state", s).put("limit", limit);
      if (after != null) body.put("after", after);
      JsonObject reply = client.request(store.address(), operation().action(), body);
      all.put(s, reply.getJsonArray("jobs"));
      next.put(s, reply.getValue("next"));
    }
    print(out, all.put("next", next), this::table);
  }

  private void table(JsonObject all, PrintStream out) {
    JsonObject next = all.getJsonObject("next");
    for (String s : states()) {
      JsonArray jobs = all.getJsonArray(s);
      boolean more = next.getValue(s) != null;
      out.println(s + " (" + jobs.size() + (more ? ", more" : "") + "):");
      String due = s.equals("running") ? "lease_until" : "run_at";
      out.print(new Table("ID", "NAME", "ATTEMPTS", "ENQUEUED", s.equals("running") ? "LEASE_UNTIL" : "DUE", "LAST_ERROR").rows(jobs, j -> new Object[] {
          j.getLong("id"), j.getString("name"), j.getInteger("attempts") + "/" + j.getInteger("max_attempts"),
          Table.time(j.getLong("enqueued_at")), Table.time(j.getLong(due)), Table.clip(j.getString("last_error"), 60)}).render());
      if (more) out.println("more: --state " + s + " --after " + next.getString(s));
    }
  }
}
