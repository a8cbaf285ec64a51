package io.piri.db.cli;

import io.piri.db.ops.Operation;
import io.piri.db.ops.Operations;
import io.vertx.core.json.JsonObject;
import java.io.PrintStream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code piri-db sessions}: the task engine's live sessions with their last heartbeat. */
@Command(name = "sessions", description = "Show the Scheduler's live task-engine sessions: last heartbeat, expiry, tasks held.")
public final class SessionsCommand extends SchedulerReadCommand {
  @Option(names = "--limit", description = "rows, 1..1000 (default: ${DEFAULT-VALUE})", defaultValue = "50")
  int limit;

  @Override
  void validate() {
    QueueOpsCommand.checkLimit(limit);
  }

  @Option(names = "--after", description = "sessions after this session id (paging)")
  String after;

  @Override
  Operation operation() {
    return Operations.SESSION_LIST;
  }

  @Override
  JsonObject body() {
    JsonObject b = new JsonObject().put("limit", limit);
    if (after != null) b.put("after", after);
    return b;
  }

  @Override
  void table(JsonObject reply, PrintStream out) {
    Table t = new Table("SESSION", "NAME", "HEARTBEAT", "EXPIRES", "TASKS");
    for (Object o : reply.getJsonArray("sessions")) {
      JsonObject s = (JsonObject) o;
      t.row(s.getString("session"), s.getString("name"), Table.time(s.getLong("heartbeat_at")), Table.time(s.getLong("expires_at")),
          s.getLong("tasks"));
    }
    out.print(t.render());
    more(out, reply.getValue("next"));
  }
}
