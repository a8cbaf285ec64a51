package io.piri.db.cli;

import io.piri.db.core.StoreId;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.PrintStream;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code piri-db search QUEUE --name N | --id I | ...}: one page of the store's {@code search}
 * (live jobs, then dead letters); {@code --after} the printed cursor for the next.
 */
@Command(name = "search", description = "Find a queue's jobs and dead letters by id, name, dedupe key, error prefix, "
    + "payload field or time (one page; --after NEXT for the next).")
public final class SearchCommand extends ReadCommand {
  /** What to search by, from the flags once they are checked. */
  private JsonObject by;

  @Mixin QueueName queue;

  @Option(names = "--id", description = "the job id") Long id;

  @Mixin JobFilter filter;

  @Option(names = "--dedupe-key", description = "the dedupe key given at enqueue (with --name; dedupe queues)") String dedupeKey;

  @Option(names = "--field", description = "PATH=VALUE: a payload field of the queue's search_fields, e.g. '$.piece=bafy...'; "
      + "VALUE is read as JSON when it parses, else as text")
  String field;

  @Option(names = "--state", description = "ready, scheduled, running or dead (default: live jobs, then dead letters)") String state;

  @Option(names = "--limit", description = "jobs per page, 1..1000 (default: ${DEFAULT-VALUE})", defaultValue = "50") int limit;

  @Option(names = "--after", description = "the cursor printed as 'next' by the previous page") String after;

  @Override
  void validate() {
    checkLimit(limit);
    by = filter.addTo(new JsonObject());
    if (id != null) by.put("id", id);
    if (dedupeKey != null) by.put("dedupe_key", dedupeKey);
    if (field != null) {
      int eq = field.indexOf('=');
      if (eq < 1) throw badFlag("--field: must be PATH=VALUE, e.g. '$.piece=bafy...', got '" + field + "'");
      by.put("payload", new JsonObject().put("path", field.substring(0, eq)).put("value", value(field.substring(eq + 1))));
    }
    if (by.isEmpty()) {
      throw badFlag("give what to search by: --id, --name (with --dedupe-key), --error-prefix, --field PATH=VALUE, --from/--to");
    }
  }

  /** JSON when it parses ({@code 7}, {@code true}, {@code {"/": "bafy..."}}), else the text itself. */
  private static Object value(String text) {
    try {
      return Json.decodeValue(text);
    } catch (DecodeException e) {
      return text;
    }
  }

  @Override
  void run(StoreRequests client, PrintStream out) throws IOException, BridgeClient.Failure {
    StoreId store = queue.store(client);
    JsonObject body = new JsonObject().put("queue", queue.name).put("by", by).put("limit", limit);
    if (state != null) body.put("state", state);
    if (after != null) body.put("after", after);
    JsonObject reply = client.request(store.address(), operation().action(), body);
    print(out, reply.put("queue", queue.name).put("store", store.id()), SearchCommand::table);
  }

  private static void table(JsonObject reply, PrintStream out) {
    out.print(new Table("ID", "STATE", "NAME", "ATTEMPTS", "ENQUEUED", "DUE/FAILED", "ERROR").rows(reply.getJsonArray("jobs"), j -> {
      boolean dead = "dead".equals(j.getString("state"));
      return new Object[] {j.getLong("id") + (dead ? " (dead " + j.getLong("dead_id") + ")" : ""), j.getString("state"), j.getString("name"),
          j.getInteger("attempts") + (dead ? "" : "/" + j.getInteger("max_attempts")), Table.time(j.getLong("enqueued_at")),
          Table.time(j.getLong(dead ? "failed_at" : "run_at")), Table.clip(j.getString(dead ? "error" : "last_error"), 60)};
    }).render());
    String next = reply.getString("next");
    out.println(next == null ? "(last page)" : "next: --after " + next);
  }
}
