package io.piri.db.scheduler;

import io.piri.db.backend.Database;
import io.piri.db.backend.Tx;
import io.piri.db.bus.ChangeEvents;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.BiFunction;

/**
 * The Scheduler store's change events ({@link ChangeEvents}), published once the transaction that
 * made the change committed: {@code {"store": "scheduler", "area": "tasks"}} when the task counts
 * changed, {@code {"store": "scheduler", "area": "proofsets", "proofset_id": N}} when a proof set
 * did (without {@code proofset_id} when one request changed several). One publish per area per
 * request: watchers read the store again, whatever the number of rows.
 */
public record SchedulerChanges(ChangeEvents events) {
  private static final String STORE = "scheduler";

  /** What one request's transaction changed; filled inside it, published after its commit. */
  public static final class Touched {
    private boolean tasks;
    private final Set<Long> proofSets = new TreeSet<>();

    public void tasks() {
      tasks = true;
    }

    public void proofSet(long id) {
      proofSets.add(id);
    }
  }

  /** Runs {@code work} in one transaction and publishes what it touched once that committed. */
  public <T> Future<T> write(Database db, BiFunction<Tx, Touched, Future<T>> work) {
    Touched touched = new Touched();
    return db.<T>write(tx -> work.apply(tx, touched)).onSuccess(r -> publish(touched));
  }

  /** The task counts changed (a commit, or a retry wait that ended). */
  public void tasks() {
    events.publish(new JsonObject().put("store", STORE).put("area", "tasks"));
  }

  void publish(Touched t) {
    if (t.tasks) tasks();
    if (t.proofSets.isEmpty()) return;
    JsonObject e = new JsonObject().put("store", STORE).put("area", "proofsets");
    if (t.proofSets.size() == 1) e.put("proofset_id", t.proofSets.iterator().next());
    events.publish(e);
  }
}
