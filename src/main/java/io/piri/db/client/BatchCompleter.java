package io.piri.db.client;

import io.piri.db.core.Clock;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.logging.Logger;

/**
 * Gathers the completions of a worker's finished jobs into one {@code complete} request with
 * {@code items}: sent when it holds {@code maxItems}, when {@code windowMs} have passed since its
 * first item, or when the worker flushes it. A job's future succeeds only once the store has
 * committed its completion. Confined to the worker's context; docs/worker.md describes it.
 */
final class BatchCompleter {
  private static final Logger LOG = Logger.getLogger(BatchCompleter.class.getName());

  private final Vertx vertx;
  private final Clock clock;
  private final QueueClient client;
  private final String queue;
  private final long windowMs;
  private final int maxItems;
  private final Map<Long, Pending> pending = new LinkedHashMap<>();
  private long windowTimer = -1;
  private boolean flushQueued;

  private record Pending(Job job, Promise<Void> done) {}

  BatchCompleter(Vertx vertx, Clock clock, QueueClient client, String queue, long windowMs, int maxItems) {
    this.vertx = vertx;
    this.clock = clock;
    this.client = client;
    this.queue = queue;
    this.windowMs = windowMs;
    this.maxItems = maxItems;
  }

  /** Succeeds when the store has committed the job's completion; fails as a single complete would. */
  Future<Void> complete(Job job) {
    // The store refuses a whole batch that names one job twice (a job claimed again after its
    // lease ran out, both runs finishing at once): the earlier run's completion goes first.
    if (pending.containsKey(job.id())) flush();
    Promise<Void> done = Promise.promise();
    pending.put(job.id(), new Pending(job, done));
    if (pending.size() >= maxItems) {
      flush();
    } else if (windowTimer < 0) {
      windowTimer = clock.setTimer(windowMs, t -> {
        windowTimer = -1;
        flush();
      });
    }
    return done.future();
  }

  /**
   * Sends what is gathered once the current event-loop task ends, so that the jobs of one claim
   * whose handlers finish at once still share a request.
   */
  void flushSoon() {
    if (flushQueued) return;
    flushQueued = true;
    vertx.runOnContext(v -> {
      flushQueued = false;
      flush();
    });
  }

  void flush() {
    if (windowTimer >= 0) {
      clock.cancelTimer(windowTimer);
      windowTimer = -1;
    }
    if (pending.isEmpty()) return;
    List<Pending> batch = new ArrayList<>(pending.values());
    pending.clear();
    client.completeAll(queue, batch.stream().map(Pending::job).toList()).onComplete(ar -> {
      if (ar.succeeded()) {
        Set<Long> stale = new HashSet<>(ar.result());
        for (Pending p : batch) {
          if (stale.contains(p.job().id())) {
            p.done().fail(new StoreException(409, "stale", "the lease of job " + p.job().id()
                + " was lost before its completion was stored; the job runs again unless another claim completed it"));
          } else {
            p.done().complete();
          }
        }
        return;
      }
      // One item the store refuses must not take the others with it: each job gets the single
      // complete it would have had without batching, and its outcome.
      LOG.warning("completing " + batch.size() + " job(s) of queue '" + queue + "' in one request failed, "
          + "completing them one by one: " + ar.cause().getMessage());
      for (Pending p : batch) client.complete(p.job()).onComplete(p.done());
    });
  }
}
