package io.piri.db.cli;

import io.piri.db.core.ExitException;
import io.piri.db.core.StoreId;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import io.piri.db.ops.Operation;
import io.piri.db.ops.Operations;
import java.nio.file.Path;
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
  static final class ListDead extends QueueOpsCommand {
    @Mixin OfflineOption offline;

    @Override
    Path offlineDir() {
      return offline.dataDir;
    }

    @Override
    Operation operation() {
      return Operations.DEAD_LIST;
    }
    @Option(names = "--limit", description = "rows, 1..1000 (default: ${DEFAULT-VALUE})", defaultValue = "100")
    int limit;

    @Option(names = "--after", description = "show rows after this dead-letter id (paging)")
    Long after;

    @Override
    void validate() {
      checkLimit(limit);
      if (after != null && after < 0) throw badFlag("--after: must not be negative");
    }

    @Override
    void run(StoreRequests client, PrintStream out) throws IOException, BridgeClient.Failure {
      StoreId store = queueStore(client);
      JsonObject body = new JsonObject().put("queue", queue).put("limit", limit);
      if (after != null) body.put("after_id", after);
      JsonObject reply = client.request(store.address(), operation().action(), body);
      if (json) {
        out.println(reply.encode());
        return;
      }
      Table t = new Table("ID", "JOB_ID", "NAME", "ATTEMPTS", "REASON", "FAILED_AT", "ERROR");
      for (Object o : reply.getJsonArray("jobs")) {
        JsonObject j = (JsonObject) o;
        t.row(j.getLong("id"), j.getLong("job_id"), j.getString("name"), j.getInteger("attempts"), j.getString("reason"),
            Table.time(j.getLong("failed_at")), Table.clip(j.getString("error"), 60));
      }
      out.print(t.render());
      if (reply.getValue("next_after_id") != null) out.println("more: --after " + reply.getValue("next_after_id"));
    }
  }

  /** Requeue and purge take the same selection: dead-letter ids, or every row of the queue. */
  abstract static class Change extends QueueOpsCommand {
    @Parameters(index = "1..*", arity = "0..*", description = "dead-letter ids (as dead list shows), space- or comma-separated")
    List<String> ids = new ArrayList<>();

    @Option(names = "--all", description = "every dead-lettered job of the queue")
    boolean all;

    private final Operation operation;
    private final String action;
    private final String counted;

    /** {@code action} is the command's name, {@code counted} the reply's count. */
    Change(Operation operation, String action, String counted) {
      this.operation = operation;
      this.action = action;
      this.counted = counted;
    }

    @Override
    Operation operation() {
      return operation;
    }

    @Override
    void validate() {
      if (all == !ids.isEmpty()) throw badFlag("dead " + action + ": give dead-letter IDS or --all (exactly one)");
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
      StoreId store = queueStore(client);
      JsonObject body = new JsonObject().put("queue", queue);
      if (all) {
        body.put("all", true);
      } else {
        JsonArray arr = new JsonArray();
        idList().forEach(id -> arr.add(Long.parseLong(id)));
        body.put("ids", arr);
      }
      JsonObject reply = client.request(store.address(), operation.action(), body);
      if (json) {
        out.println(reply.encode());
      } else {
        out.println(counted + " " + reply.getInteger(counted) + " job(s) of queue " + queue);
      }
    }
  }

  @Command(name = "requeue", description = "Put dead-lettered jobs back into their queue as new jobs.")
  static final class Requeue extends Change {
    Requeue() {
      super(Operations.DEAD_REQUEUE, "requeue", "requeued");
    }
  }

  @Command(name = "purge", description = "Delete dead-lettered jobs for good.")
  static final class Purge extends Change {
    Purge() {
      super(Operations.DEAD_PURGE, "purge", "purged");
    }
  }
}
