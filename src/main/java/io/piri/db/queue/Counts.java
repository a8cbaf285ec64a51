package io.piri.db.queue;

import io.piri.db.backend.Statements;
import io.piri.db.backend.Tx;
import io.vertx.core.Future;

/**
 * How one transaction changes one queue's counters (ready, scheduled, running, dead, done),
 * gathered while its statements run and written by one statement at its end, so that the counters
 * always equal what the committed rows say. States are the job table's ({@code ready},
 * {@code scheduled}, {@code running}) and {@code dead} and {@code done}.
 */
final class Counts {
  static final String READY = "ready";
  static final String SCHEDULED = "scheduled";
  static final String RUNNING = "running";
  static final String DEAD = "dead";
  static final String DONE = "done";

  private long ready;
  private long scheduled;
  private long running;
  private long dead;
  private long done;

  Counts add(String state, long n) {
    switch (state) {
      case READY -> ready += n;
      case SCHEDULED -> scheduled += n;
      case RUNNING -> running += n;
      case DEAD -> dead += n;
      case DONE -> done += n;
      default -> throw new IllegalArgumentException("no such state: " + state);
    }
    return this;
  }

  Counts move(String from, String to, long n) {
    return add(from, -n).add(to, n);
  }

  boolean isEmpty() {
    return ready == 0 && scheduled == 0 && running == 0 && dead == 0 && done == 0;
  }

  Future<Void> write(Tx tx, Statements sql, String queue) {
    if (isEmpty()) return Future.succeededFuture();
    return tx.run(sql.get("count-add"), queue, ready, scheduled, running, dead, done).mapEmpty();
  }
}
