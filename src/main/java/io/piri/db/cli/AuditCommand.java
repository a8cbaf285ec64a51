package io.piri.db.cli;

import io.piri.db.core.StoreId;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code piri-db audit}: who changed what, from the audit rows of every store, newest first. */
@Command(name = "audit", description = "Show the operator changes recorded by every store (who, when, action, filter, rows), newest first.")
public final class AuditCommand extends ReadCommand {
  @Option(names = "--limit", description = "rows, 1..1000 (default: ${DEFAULT-VALUE})", defaultValue = "50") int limit;

  @Override
  void validate() {
    checkLimit(limit);
  }

  @Override
  void run(StoreRequests client, PrintStream out) throws IOException, BridgeClient.Failure {
    List<JsonObject> rows = new ArrayList<>();
    for (StoreId store : StoreId.values()) {
      JsonObject reply = client.request(store.address(), operation().action(), new JsonObject().put("limit", limit));
      reply.getJsonArray("rows").forEach(o -> rows.add(((JsonObject) o).copy().put("store", store.id())));
    }
    // Each store's ids are its own: the stores' rows interleave by time.
    rows.sort(Comparator.comparingLong((JsonObject r) -> r.getLong("at")).reversed()
        .thenComparing(r -> r.getString("store")).thenComparing(Comparator.comparingLong((JsonObject r) -> r.getLong("id")).reversed()));
    List<JsonObject> newest = rows.subList(0, Math.min(limit, rows.size()));
    print(out, new JsonObject().put("rows", new JsonArray(new ArrayList<>(newest))), AuditCommand::table);
  }

  private static void table(JsonObject reply, PrintStream out) {
    out.print(new Table("AT", "STORE", "ACTOR", "ROLE", "VIA", "ACTION", "QUEUE", "ROWS", "FILTER").rows(reply.getJsonArray("rows"), r -> new Object[] {
        Table.time(r.getLong("at")), r.getString("store"), r.getString("actor"), r.getString("actor_role"), r.getString("via"),
        r.getString("action"), r.getString("queue"), r.getLong("affected"), Table.clip(r.getJsonObject("filter").encode(), 80)}).render());
  }
}
