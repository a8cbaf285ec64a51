package io.piri.db.scheduler.pdp;

import io.piri.db.backend.Row;
import io.piri.db.backend.Tx;
import io.piri.db.scheduler.TaskObserver;
import io.vertx.core.Future;
import java.util.Set;

/**
 * How the tasks a proof set holds end (its PDPInitPP or PDPProvingPeriod task, T, or a PDPProve
 * task), written to the proof set's timeline in task-complete's transaction. The proof set is
 * found before the task changes: deleting it clears T and removes the prove task's row.
 */
record ProofSetTasks(Sql sql, Timeline timeline) implements TaskObserver {
  /** The part of a task's error a timeline line keeps; task_history has all of it. */
  private static final int MAX_ERROR = 1000;
  /** The task types a proof set holds; completions of others (SendTransaction) are none of its business. */
  private static final Set<String> HELD = Set.of(ProvingSchedule.INIT_TASK, ProvingSchedule.NEXT_TASK, ProvingSchedule.PROVE_TASK);

  @Override
  public Future<After> before(Tx c, long task, String name) {
    if (!HELD.contains(name)) return Future.succeededFuture();
    return sql.run(c, "ps-for-task", task).compose(held -> {
      Row r = held.first();
      if (r != null) return Future.succeededFuture(r.longValue("id"));
      return sql.run(c, "prove-task-proof-set", task).map(p -> p.first() == null ? null : p.first().longValue("proofset_id"));
    }).map(ps -> ps == null ? null : (tx, touched, ended) -> timeline.record(tx, touched, ps, event(ended)));
  }

  /** A prove task done is a proof sent ("proved"); anything else names its outcome and what became of the task. */
  private static Timeline.Event event(Ended e) {
    String kind = e.name().equals(ProvingSchedule.PROVE_TASK) && e.outcome().equals("done") ? "proved"
        : "task_" + (e.state().equals("dropped") ? "dropped" : e.outcome());
    String detail = e.name() + " " + e.outcome() + ", task " + e.state()
        + (e.error() == null || e.error().isEmpty() ? "" : ": " + clip(e.error()));
    return new Timeline.Event(kind, detail, e.id(), null, null);
  }

  private static String clip(String error) {
    return error.length() <= MAX_ERROR ? error : error.substring(0, MAX_ERROR) + "...";
  }
}
