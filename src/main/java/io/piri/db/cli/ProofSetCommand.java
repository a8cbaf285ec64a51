package io.piri.db.cli;

import io.vertx.core.json.JsonObject;
import java.io.PrintStream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code piri-db proofset ID}: one proof set's proving state and fields. */
@Command(name = "proofset", description = "Show one PDP proof set: its proving state and every field.")
public final class ProofSetCommand extends SchedulerReadCommand {
  @Parameters(index = "0", description = "proof set id") long id;

  @Override
  JsonObject body() {
    return new JsonObject().put("proofset_id", id);
  }

  @Override
  void table(JsonObject reply, PrintStream out) {
    Table t = new Table("FIELD", "VALUE");
    t.row("state", reply.getString("state"));
    t.row("is_proving", reply.getBoolean("is_proving"));
    reply.getJsonObject("proof_set").forEach(e -> t.row(e.getKey(), e.getValue()));
    out.print(t.render());
  }
}
