package io.piri.db.cli;

import io.vertx.core.json.JsonObject;
import java.io.PrintStream;
import java.util.TreeMap;
import picocli.CommandLine.Command;

/** {@code piri-db tasks}: the Scheduler's tasks per type and state. */
@Command(name = "tasks", description = "Show the Scheduler's tasks per type: runnable, waiting (a retry wait), running.")
public final class TasksCommand extends SchedulerReadCommand {

  @Override
  JsonObject body() {
    return new JsonObject();
  }

  @Override
  void table(JsonObject reply, PrintStream out) {
    Table t = new Table("TYPE", "RUNNABLE", "WAITING", "RUNNING");
    new TreeMap<>(reply.getMap()).keySet().forEach(type -> {
      JsonObject s = reply.getJsonObject(type);
      t.row(type, s.getLong("runnable"), s.getLong("waiting"), s.getLong("running"));
    });
    out.print(t.render());
  }
}
