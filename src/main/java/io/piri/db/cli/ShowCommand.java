package io.piri.db.cli;

import io.piri.db.core.StoreId;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.PrintStream;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code piri-db show QUEUE ID}: one job, live or dead-lettered, with its payload and every
 * delivery ({@code job-get}, {@code job-deliveries}).
 */
@Command(name = "show", description = "Show one job (live or dead-lettered), its payload and its deliveries.")
public final class ShowCommand extends ReadCommand {
  @Mixin QueueName queue;

  @Parameters(index = "1", description = "the job's id (as jobs or dead list shows it in JOB_ID)") String id;

  @Override
  void validate() {
    if (!id.matches("\\d{1,18}")) throw badFlag("ID: '" + id + "' is not a numeric id");
  }

  @Override
  void run(StoreRequests client, PrintStream out) throws IOException, BridgeClient.Failure {
    StoreId store = queue.store(client);
    JsonObject job = client.request(store.address(), operation().action(), new JsonObject().put("queue", queue.name).put("id", id))
        .getJsonObject("job");
    JsonArray deliveries = new JsonArray();
    String after = null;
    do {
      JsonObject body = new JsonObject().put("queue", queue.name).put("id", id).put("limit", 1000);
      if (after != null) body.put("after", after);
      JsonObject page = client.request(store.address(), "job-deliveries", body);
      deliveries.addAll(page.getJsonArray("deliveries"));
      after = page.getString("next");
    } while (after != null);
    print(out, new JsonObject().put("store", store.id()).put("job", job).put("deliveries", deliveries), this::table);
  }

  private void table(JsonObject reply, PrintStream out) {
    JsonObject job = reply.getJsonObject("job");
    JsonArray deliveries = reply.getJsonArray("deliveries");
    Table fields = new Table("FIELD", "VALUE");
    job.forEach(e -> {
      if (e.getKey().startsWith("payload")) return;
      Object v = e.getValue();
      boolean time = e.getKey().endsWith("_at") || e.getKey().equals("lease_until") || e.getKey().equals("lease_start");
      fields.row(e.getKey(), time && v instanceof Number n ? Table.time(n.longValue()) : v == null ? "-" : String.valueOf(v));
    });
    out.print(fields.render());
    out.println("payload: " + (job.containsKey("payload") ? String.valueOf(job.getValue("payload"))
        : "base64 " + job.getString("payload_base64")));
    out.println("deliveries (" + deliveries.size() + "):");
    out.print(new Table("ATTEMPT", "LEASE_START", "LEASE_END", "EXTENDS", "OUTCOME", "ERROR").rows(deliveries, d -> new Object[] {
        d.getInteger("attempt"), Table.time(d.getLong("lease_start")), Table.time(d.getLong("lease_end")), d.getInteger("extends"),
        d.getString("outcome"), Table.clip(d.getString("error"), 60)}).render());
    if ("dead".equals(job.getString("state"))) out.println("requeue: piri-db dead requeue " + queue.name + " " + job.getLong("dead_id"));
  }
}
