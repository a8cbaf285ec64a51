package io.piri.db.cli;

import io.piri.db.core.StoreId;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.PrintStream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code piri-db dedupe QUEUE NAME KEY}: where a dedupe key is (a live job, done, a dead letter, nowhere). */
@Command(name = "dedupe", description = "Show where a dedupe key of a queue is: its live job, its completion or dead-lettering, its dead letter.")
public final class DedupeCommand extends ReadCommand {
  /** --payload, parsed once the flags are checked. */
  private Object payloadValue;

  @Mixin QueueName queue;

  @Parameters(index = "1", description = "job name") String name;

  @Parameters(index = "2", arity = "0..1", description = "the dedupe_key given at enqueue") String key;

  @Option(names = "--payload", description = "the job's JSON payload instead of KEY, for a job enqueued without a key") String payload;

  @Override
  void validate() {
    if ((key == null) == (payload == null)) throw badFlag("dedupe: give the KEY or --payload JSON (exactly one)");
    if (payload != null) {
      try {
        payloadValue = Json.decodeValue(payload);
      } catch (DecodeException e) {
        throw badFlag("--payload: not JSON: " + e.getMessage().lines().findFirst().orElse(""));
      }
    }
  }

  @Override
  void run(StoreRequests client, PrintStream out) throws IOException, BridgeClient.Failure {
    StoreId store = queue.store(client);
    JsonObject body = new JsonObject().put("queue", queue.name).put("name", name);
    if (key != null) body.put("dedupe_key", key);
    else body.put("payload", payloadValue);
    print(out, client.request(store.address(), operation().action(), body), this::table);
  }

  private void table(JsonObject r, PrintStream out) {
    Table t = new Table("WHERE", "ID", "STATE", "AT");
    JsonObject live = r.getJsonObject("live");
    if (live != null) t.row("live job", live.getLong("id"), live.getString("state"), Table.time(live.getLong("run_at")));
    JsonObject done = r.getJsonObject("done");
    if (done != null) t.row("done", "", done.getString("status"), Table.time(done.getLong("done_at")));
    JsonObject dead = r.getJsonObject("dead");
    if (dead != null) t.row("dead letter", dead.getLong("id"), "dead", "");
    JsonObject window = r.getJsonObject("dead_window");
    out.println("key of " + name + " in " + queue.name + ": " + r.getString("found"));
    out.print(t.render());
    if (!window.getBoolean("complete")) {
      out.println("dead letters: only the newest " + window.getLong("searched") + " were looked at");
    }
  }
}
