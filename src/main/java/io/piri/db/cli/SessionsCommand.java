package io.piri.db.cli;

import io.vertx.core.json.JsonObject;
import java.io.PrintStream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code piri-db sessions}: the task engine's live sessions with their last heartbeat. */
@Command(name = "sessions", description = "Show the Scheduler's live task-engine sessions: last heartbeat, expiry, tasks held.")
public final class SessionsCommand extends SchedulerPageCommand {
  @Option(names = "--after", description = "sessions after this session id (paging)") String after;

  @Override
  JsonObject body() {
    return page("after", after);
  }

  @Override
  void table(JsonObject reply, PrintStream out) {
    out.print(new Table("SESSION", "NAME", "HEARTBEAT", "EXPIRES", "TASKS").rows(reply.getJsonArray("sessions"), s -> new Object[] {
        s.getString("session"), s.getString("name"), Table.time(s.getLong("heartbeat_at")), Table.time(s.getLong("expires_at")),
        s.getLong("tasks")}).render());
    more(out, reply.getValue("next"));
  }
}
