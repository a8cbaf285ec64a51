package io.piri.db.cli;

import io.piri.db.core.ExitException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code piri-db dead list|requeue|purge QUEUE [IDS|--all]}: the dead-letter queue of a queue. */
@Command(name = "dead", description = "List, requeue or purge dead-lettered jobs.",
    subcommands = {DeadCommand.ListDead.class, DeadCommand.Requeue.class, DeadCommand.Purge.class})
public final class DeadCommand implements Callable<Integer> {
  @Override
  public Integer call() {
    throw new ExitException(ExitException.BAD_CONFIG, "dead: expected one of list, requeue, purge");
  }

  @Command(name = "list", description = "List dead-lettered jobs of a queue, oldest first.")
  static final class ListDead extends ReadCommand {
    @Mixin QueueName queue;

    @Option(names = "--limit", description = "rows, 1..1000 (default: ${DEFAULT-VALUE})", defaultValue = "100") int limit;

    @Option(names = "--after", description = "show rows after this dead-letter id (paging)") Long after;

    @Override
    void validate() {
      checkLimit(limit);
      if (after != null && after < 0) throw badFlag("--after: must not be negative");
    }

    @Override
    void run(StoreRequests client, PrintStream out) throws IOException, BridgeClient.Failure {
      JsonObject body = new JsonObject().put("queue", queue.name).put("limit", limit);
      if (after != null) body.put("after_id", after);
      print(out, client.request(queue.store(client).address(), operation().action(), body), ListDead::table);
    }

    private static void table(JsonObject reply, PrintStream out) {
      out.print(new Table("ID", "JOB_ID", "NAME", "ATTEMPTS", "REASON", "FAILED_AT", "ERROR").rows(reply.getJsonArray("jobs"), j -> new Object[] {
          j.getLong("id"), j.getLong("job_id"), j.getString("name"), j.getInteger("attempts"), j.getString("reason"),
          Table.time(j.getLong("failed_at")), Table.clip(j.getString("error"), 60)}).render());
      more(out, reply.getValue("next_after_id"));
    }
  }

  /** Requeue and purge take the same selection: dead-letter ids, or every row of the queue. */
  abstract static class Change extends OpsCommand {
    @Mixin QueueName queue;

    @Parameters(index = "1..*", arity = "0..*", description = "dead-letter ids (as dead list shows), space- or comma-separated")
    List<String> ids = new ArrayList<>();

    @Option(names = "--all", description = "every dead-lettered job of the queue") boolean all;

    /** What the reply counts, as the printed line names it. */
    private final String counted;

    Change(String counted) {
      this.counted = counted;
    }

    @Override
    void validate() {
      if (all == !ids.isEmpty()) throw badFlag(operation().cli() + ": give dead-letter IDS or --all (exactly one)");
      for (String id : idList()) {
        if (!id.matches("\\d{1,18}")) throw badFlag("IDS: '" + id + "' is not a numeric id");
      }
    }

    private List<String> idList() {
      List<String> out = new ArrayList<>();
      for (String s : ids) for (String part : s.split(",")) if (!part.isBlank()) out.add(part.trim());
      return out;
    }

    @Override
    void run(StoreRequests client, PrintStream out) throws IOException, BridgeClient.Failure {
      JsonObject body = new JsonObject().put("queue", queue.name);
      if (all) {
        body.put("all", true);
      } else {
        JsonArray arr = new JsonArray();
        idList().forEach(id -> arr.add(Long.parseLong(id)));
        body.put("ids", arr);
      }
      JsonObject reply = client.request(queue.store(client).address(), operation().action(), body);
      print(out, reply, (r, o) -> o.println(counted + " " + r.getInteger(counted) + " job(s) of queue " + queue.name));
    }
  }

  @Command(name = "requeue", description = "Put dead-lettered jobs back into their queue as new jobs.")
  static final class Requeue extends Change {
    Requeue() {
      super("requeued");
    }
  }

  @Command(name = "purge", description = "Delete dead-lettered jobs for good.")
  static final class Purge extends Change {
    Purge() {
      super("purged");
    }
  }
}
