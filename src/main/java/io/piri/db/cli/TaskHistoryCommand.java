package io.piri.db.cli;

import io.vertx.core.json.JsonObject;
import java.io.PrintStream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code piri-db task-history}: the Scheduler's task runs, oldest first, failures with their error. */
@Command(name = "task-history", description = "Show the Scheduler's task runs by id (oldest first), with each failure's error.")
public final class TaskHistoryCommand extends SchedulerPageCommand {
  @Option(names = "--name", description = "only this task type") String name;

  @Option(names = "--task", description = "only this task's runs") Long task;

  @Option(names = "--after", description = "rows after this history id (paging)") Long after;

  @Override
  JsonObject body() {
    JsonObject b = page("after_id", after);
    if (name != null) b.put("name", name);
    if (task != null) b.put("task_id", task);
    return b;
  }

  @Override
  void table(JsonObject reply, PrintStream out) {
    out.print(new Table("ID", "TASK", "TYPE", "OUTCOME", "STARTED", "ENDED", "ERROR").rows(reply.getJsonArray("rows"), r -> new Object[] {
        r.getLong("id"), r.getLong("task_id"), r.getString("name"), r.getString("outcome"), Table.time(r.getLong("work_start")),
        Table.time(r.getLong("work_end")), Table.clip(r.getString("err"), 60)}).render());
    more(out, reply.getValue("next_after_id"));
  }
}
