package io.piri.db.queue;

import io.piri.db.backend.Row;
import io.piri.db.backend.Rows;
import io.piri.db.backend.Statements;
import io.piri.db.backend.Tx;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import java.util.List;

/**
 * What a job's deliveries leave behind, written inside the engine's transactions. The job row
 * holds its current delivery (lease start, extends, and the lease end in run_at), set by the claim
 * and extend statements that run anyway; a delivery that ends without success becomes a
 * {@code job_attempt} row in the transaction that ends it. A delivery that completes writes
 * nothing, and a job completed on its first delivery has no row to delete, so the success path
 * runs no extra statement. The rows go with their job (completed) or their dead letter (requeued,
 * purged).
 */
final class Deliveries {
  static final String FAILED = "failed";
  static final String LEASE_EXPIRED = "lease_expired";
  static final String DEAD_LETTERED = "dead_lettered";
  static final String RUNNING = "running";

  private static final Rows NONE = Rows.of(List.of(), List.of(), 0);

  private final Statements sql;

  Deliveries(Statements sql) {
    this.sql = sql;
  }

  /**
   * Up to {@code max} leases of the queue that ran out by {@code now} before the last attempt, in
   * due order: recorded as ended deliveries and returned (locked on PostgreSQL) as a JSON array of
   * ids, for the caller to claim or make ready in the same transaction.
   */
  Future<JsonArray> expired(Tx tx, String queue, long now, int max) {
    return tx.run(sql.get("expire-take"), queue, now, max).map(rows -> {
      JsonArray ids = new JsonArray();
      rows.forEach(r -> ids.add(r.longValue("job_id")));
      return ids;
    });
  }

  /** Claims the jobs {@link #expired} returned: each starts a new delivery. */
  Future<Rows> claim(Tx tx, JsonArray ids, long now, long leaseEnd) {
    return ids.isEmpty() ? Future.succeededFuture(NONE) : tx.run(sql.get("claim-ids"), ids.encode(), now, leaseEnd);
  }

  /** Makes the jobs {@link #expired} returned ready again; returns how many. */
  Future<Integer> makeReady(Tx tx, JsonArray ids) {
    return ids.isEmpty() ? Future.succeededFuture(0) : tx.run(sql.get("make-ready-ids"), ids.encode()).map(Rows::updated);
  }

  /** The job's current delivery failed (it is retried). */
  Future<Void> failed(Tx tx, long id, long now, String error) {
    return tx.run(sql.get("attempt-end"), id, now, error, FAILED).mapEmpty();
  }

  /** The current deliveries of these jobs end in the dead-letter queue; a null error: their lease ran out. */
  Future<Void> deadLettered(Tx tx, JsonArray ids, long now, String error) {
    return tx.run(sql.get("attempts-dead"), ids.encode(), now, error).mapEmpty();
  }

  /** A lease that ran out was extended before the job was claimed again: its delivery goes on. */
  Future<Void> resumed(Tx tx, long id) {
    return tx.run(sql.get("attempt-resumed"), id).mapEmpty();
  }

  /**
   * Whether a job deleted by a complete (its row as the delete returned it: attempts, state) can
   * have ended deliveries: one completed on a later delivery, or after its lease ran out.
   */
  static boolean hadEnded(Row completed) {
    return completed.intValue("attempts") > 1 || !Counts.RUNNING.equals(completed.string("state"));
  }

  /** The ended deliveries of completed jobs go with them. */
  Future<Void> forget(Tx tx, JsonArray ids) {
    return ids.isEmpty() ? Future.succeededFuture() : tx.run(sql.get("attempts-delete"), ids.encode()).mapEmpty();
  }

  /** The deliveries of dead letters about to be deleted (requeued or purged); null ids: all of the queue's. */
  Future<Void> forgetDead(Tx tx, String queue, String idsJson) {
    return (idsJson == null ? tx.run(sql.get("attempts-delete-dead-all"), queue)
        : tx.run(sql.get("attempts-delete-dead"), queue, idsJson)).mapEmpty();
  }
}
