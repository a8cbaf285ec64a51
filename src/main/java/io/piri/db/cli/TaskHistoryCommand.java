package io.piri.db.cli;

import io.piri.db.ops.Operation;
import io.piri.db.ops.Operations;
import io.vertx.core.json.JsonObject;
import java.io.PrintStream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code piri-db task-history}: the Scheduler's task runs, oldest first, failures with their error. */
@Command(name = "task-history", description = "Show the Scheduler's task runs by id (oldest first), with each failure's error.")
public final class TaskHistoryCommand extends SchedulerReadCommand {
  @Option(names = "--name", description = "only this task type")
  String name;

  @Option(names = "--task", description = "only this task's runs")
  Long task;

  @Option(names = "--limit", description = "rows, 1..1000 (default: ${DEFAULT-VALUE})", defaultValue = "50")
  int limit;

  @Override
  void validate() {
    QueueOpsCommand.checkLimit(limit);
  }

  @Option(names = "--after", description = "rows after this history id (paging)")
  Long after;

  @Override
  Operation operation() {
    return Operations.TASK_HISTORY;
  }

  @Override
  JsonObject body() {
    JsonObject b = new JsonObject().put("limit", limit);
    if (name != null) b.put("name", name);
    if (task != null) b.put("task_id", task);
    if (after != null) b.put("after_id", after);
    return b;
  }

  @Override
  void table(JsonObject reply, PrintStream out) {
    Table t = new Table("ID", "TASK", "TYPE", "OUTCOME", "STARTED", "ENDED", "ERROR");
    for (Object o : reply.getJsonArray("rows")) {
      JsonObject r = (JsonObject) o;
      t.row(r.getLong("id"), r.getLong("task_id"), r.getString("name"), r.getString("outcome"), Table.time(r.getLong("work_start")),
          Table.time(r.getLong("work_end")), Table.clip(r.getString("err"), 60));
    }
    out.print(t.render());
    more(out, reply.getValue("next_after_id"));
  }
}
