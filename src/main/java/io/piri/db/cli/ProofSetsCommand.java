package io.piri.db.cli;

import io.vertx.core.json.JsonObject;
import java.io.PrintStream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code piri-db proofsets}: the PDP proof sets with their proving state. */
@Command(name = "proofsets", description = "Show the PDP proof sets by id: proving state, next challenge epoch, period and window.")
public final class ProofSetsCommand extends SchedulerPageCommand {
  @Option(names = "--after", description = "proof sets after this id (paging)") Long after;

  @Override
  JsonObject body() {
    return page("after_id", after);
  }

  @Override
  void table(JsonObject reply, PrintStream out) {
    out.print(new Table("ID", "SERVICE", "STATE", "PROVE_AT_EPOCH", "PERIOD", "WINDOW").rows(reply.getJsonArray("proof_sets"), p -> new Object[] {
        p.getLong("id"), p.getString("service"), p.getString("state"), p.getValue("prove_at_epoch"), p.getValue("proving_period"),
        p.getValue("challenge_window")}).render());
    more(out, reply.getValue("next_after_id"));
  }
}
