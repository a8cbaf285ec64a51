package io.piri.db.queue;

import io.piri.db.core.Clock;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.logging.Logger;

/**
 * Runs a store's bulk operations, batch after batch, while it holds each one's lease. Batches are
 * sized to what the database takes in {@link #TARGET_MS}: from the time the last batch held the
 * database, the size shrinks in proportion or doubles (within {@link #MIN_BATCH}..{@link #MAX_BATCH}), so that no
 * batch holds SQLite's one writer for long. Between two batches the runner waits a multiple of that time, so
 * that the store's other writes (claims above all) get the writer most of the time. It runs only
 * operations it was told of (at start, by a start here or another instance's notification); with
 * none, it sets no timer and sends no query.
 */
final class BulkRunner {
  private static final Logger LOG = Logger.getLogger(BulkRunner.class.getName());
  static final int MAX_BATCH = 1000;
  static final int FIRST_BATCH = 100;
  /**
   * A batch's time is mostly its transaction's fixed cost when the machine is busy: shrinking below
   * this would only make the operation crawl, one row per pause, without holding the writer less.
   */
  static final int MIN_BATCH = 50;
  /**
   * The time a batch aims at. A claim that comes while a batch holds SQLite's writer waits for it,
   * so a claim's p99 during an operation is about its usual p99 plus this: at 5 ms, on a machine
   * whose claims took 2.6 to 5.5 ms at p99, 1M purged dead letters made it 1.4 to 2.8 times as
   * long; at 2 ms, 0.9 to 1.1 times, for about half the rows per second.
   */
  static final long TARGET_MS = 2;
  /** The pause after a batch, as a multiple of the batch's own time: the share other writes get. */
  static final int PAUSE_FACTOR = 4;
  /** A lease outlives a batch and its pause many times over; a node that stops lets it run out. */
  static final long LEASE_MS = 30_000;
  /** After a failed batch (the database busy or gone), the next try. */
  static final long RETRY_MS = 1_000;

  private final Clock clock;
  private final BulkEngine engine;
  private final String owner;
  private final Map<Long, Run> active = new HashMap<>();
  /** The figures of the last operations that ended here, for their status (the row has the rest). */
  private final Map<Long, JsonObject> ended = new LinkedHashMap<>(16, 0.75f, false) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<Long, JsonObject> eldest) {
      return size() > 16;
    }
  };
  private Future<?> inFlight = Future.succeededFuture();
  private boolean closed;

  BulkRunner(Clock clock, BulkEngine engine, String owner) {
    this.clock = clock;
    this.engine = engine;
    this.owner = owner;
  }

  /** Runs operation {@code id} here, unless it already runs here. */
  void run(long id) {
    if (closed || active.containsKey(id)) return;
    Run r = new Run(id);
    active.put(id, r);
    r.lease();
  }

  /** This node's figures of an operation it runs or ran (batch size, batch times); empty otherwise. */
  JsonObject progress(long id) {
    Run r = active.get(id);
    if (r == null || !r.leased) return ended.getOrDefault(id, new JsonObject()).copy();
    return r.figures();
  }

  /** No batch starts from now on; {@link #idle} completes once the one running has committed. */
  void close() {
    closed = true;
    active.values().forEach(Run::cancelTimer);
    active.clear();
  }

  Future<Void> idle() {
    return inFlight.transform(ar -> Future.succeededFuture());
  }

  private final class Run {
    private final long id;
    private int size = FIRST_BATCH;
    private double lastMs;
    private double maxMs;
    private long timer = -1;
    /** Whether this node holds the lease (it may wait for another node's to run out). */
    private boolean leased;

    Run(long id) {
      this.id = id;
    }

    JsonObject figures() {
      return new JsonObject().put("batch_size", size).put("last_batch_ms", lastMs).put("max_batch_ms", maxMs).put("runner", owner);
    }

    void lease() {
      if (closed) return;
      engine.lease(id, owner, LEASE_MS).onComplete(ar -> {
        if (ar.failed()) {
          retry(ar.cause());
        } else if (ar.result() != null) {
          leased = true;
          next();
        } else {
          // Another node runs it: take it over should its lease run out (it stopped).
          engine.get(id).onComplete(op -> {
            if (op.failed()) {
              retry(op.cause());
            } else if (!op.result().getString("state").equals(BulkEngine.RUNNING)) {
              active.remove(id);
            } else {
              leased = false;
              later(Math.max(1, op.result().getLong("lease_until") - clock.now() + 1), this::lease);
            }
          });
        }
      });
    }

    void next() {
      if (closed) return;
      Future<BulkEngine.Batch> f = engine.batch(id, owner, size, LEASE_MS);
      inFlight = f;
      f.onComplete(ar -> {
        if (ar.failed()) {
          retry(ar.cause());
          return;
        }
        BulkEngine.Batch b = ar.result();
        double ms = b.heldMs();
        lastMs = ms;
        maxMs = Math.max(maxMs, ms);
        if (!b.more()) {
          active.remove(id);
          ended.put(id, figures());
          return;
        }
        if (ms > TARGET_MS) size = Math.max(MIN_BATCH, (int) (size * TARGET_MS / ms));
        else if (ms < TARGET_MS / 2.0) size = Math.min(MAX_BATCH, size * 2);
        later(Math.max(1, Math.round(ms * PAUSE_FACTOR)), this::next);
      });
    }

    void retry(Throwable cause) {
      LOG.warning("bulk operation " + id + ": " + cause.getMessage() + "; trying again in " + RETRY_MS + " ms");
      later(RETRY_MS, this::lease);
    }

    void later(long ms, Runnable then) {
      if (closed) return;
      timer = clock.setTimer(ms, t -> {
        timer = -1;
        then.run();
      });
    }

    void cancelTimer() {
      if (timer >= 0) clock.cancelTimer(timer);
    }
  }
}
