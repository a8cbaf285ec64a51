package io.piri.db.cli;

import io.vertx.core.json.JsonObject;
import java.io.PrintStream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code piri-db proofset-timeline ID}: one proof set's history, oldest first. */
@Command(name = "proofset-timeline", description = "Show one PDP proof set's timeline: every change with the state after it, oldest first.")
public final class ProofSetTimelineCommand extends SchedulerPageCommand {
  @Parameters(index = "0", description = "proof set id") long id;

  @Option(names = "--after", description = "events after this event id (paging)") Long after;

  @Override
  JsonObject body() {
    return page("after", after).put("proofset_id", id);
  }

  @Override
  void table(JsonObject reply, PrintStream out) {
    out.print(new Table("ID", "AT", "KIND", "STATE", "EPOCH", "TASK", "DETAIL").rows(reply.getJsonArray("events"), e -> new Object[] {
        e.getLong("id"), Table.time(e.getLong("at")), e.getString("kind"), e.getString("state"), e.getValue("epoch"),
        e.getValue("task_id"), Table.clip(String.valueOf(e.getValue("detail")), 60)}).render());
    more(out, reply.getValue("next"));
  }
}
