package io.piri.db.client;

import io.piri.db.core.Clock;
import io.piri.db.core.RetryBackoff;
import io.vertx.core.AsyncResult;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Runs the handlers of one queue: long-poll claims for as many jobs as there are free slots, a
 * lease extension every 0.8 × lease until the job's outcome is stored, complete on success
 * (gathered into batches by {@link BatchCompleter}), fail on error (the store applies the
 * backoff), dead-letter on {@link PermanentFailure}, on a job name without a handler, and on a
 * handler that cannot decode its payload. Confined to the context it was started on;
 * docs/worker.md describes it.
 */
public final class QueueWorker {
  private static final Logger LOG = Logger.getLogger(QueueWorker.class.getName());
  /** The store's limit on the items of one {@code complete}. */
  private static final int MAX_BATCH_ITEMS = 1000;

  private final Vertx vertx;
  private final Clock clock;
  private final QueueClient client;
  private final String queue;
  private final int concurrency;
  private final long waitMs;
  private final Map<String, JobHandler> handlers = new HashMap<>();
  /** By identity: a record's hash would hash each job's payload on every add and remove. */
  private final Set<Running> running = Collections.newSetFromMap(new IdentityHashMap<>());
  private Duration completionWindow = Duration.ofMillis(2);
  private int completionMaxItems = 100;
  private BatchCompleter completions;
  private int handling;
  private boolean claimQueued;
  private Context context;
  private boolean claiming;
  private boolean started;
  private Promise<Void> stopped;
  private final RetryBackoff claimRetry = RetryBackoff.client();

  private record Running(Job job, long extendTimer) {}

  private QueueWorker(Vertx vertx, Clock clock, QueueClient client, String queue, int concurrency, long waitMs) {
    this.vertx = vertx;
    this.clock = clock;
    this.client = client;
    this.queue = queue;
    this.concurrency = concurrency;
    this.waitMs = waitMs;
  }

  /** A worker of {@code queue} running at most {@code concurrency} handlers at once. */
  public static QueueWorker create(Vertx vertx, QueueClient client, String queue, int concurrency) {
    return create(vertx, Clock.system(vertx), client, queue, concurrency);
  }

  /** The same, with lease extensions, retry waits and the stop deadline on {@code clock}'s time. */
  public static QueueWorker create(Vertx vertx, Clock clock, QueueClient client, String queue, int concurrency) {
    if (concurrency < 1) throw new IllegalArgumentException("concurrency must be at least 1, got " + concurrency);
    return new QueueWorker(vertx, clock, client, queue, concurrency, 25_000);
  }

  /** Registers the handler of a job name; before {@link #start} only, once per name. */
  public QueueWorker handle(String jobName, JobHandler handler) {
    if (started) throw new IllegalStateException("worker of queue '" + queue + "' already started");
    if (handlers.putIfAbsent(jobName, handler) != null) {
      throw new IllegalArgumentException("job '" + jobName + "' already registered on queue '" + queue + "'");
    }
    return this;
  }

  /**
   * Registers a handler that takes a decoded payload. A payload {@code decoder} cannot read
   * dead-letters the job at once (permanent_error, "cannot decode ...").
   */
  public <T> QueueWorker handle(String jobName, Function<Job, T> decoder, Function<T, Future<?>> handler) {
    return handle(jobName, job -> {
      T value;
      try {
        value = decoder.apply(job);
      } catch (RuntimeException e) {
        throw new PermanentFailure("cannot decode the payload of job '" + jobName + "': " + e.getMessage(), e);
      }
      return handler.apply(value);
    });
  }

  /**
   * How completions are gathered into one {@code complete} request: sent after at most
   * {@code window} (at least 1 ms) or at {@code maxItems} (1..1000; 1 sends each alone). Before
   * {@link #start} only; the default is 2 ms and 100 items.
   */
  public QueueWorker completionBatch(Duration window, int maxItems) {
    if (started) throw new IllegalStateException("worker of queue '" + queue + "' already started");
    if (window.toMillis() < 1) throw new IllegalArgumentException("completion window must be at least 1 ms, got " + window);
    if (maxItems < 1 || maxItems > MAX_BATCH_ITEMS) {
      throw new IllegalArgumentException("completion batch must be 1.." + MAX_BATCH_ITEMS + " items, got " + maxItems);
    }
    completionWindow = window;
    completionMaxItems = maxItems;
    return this;
  }

  public void start() {
    if (started) throw new IllegalStateException("worker of queue '" + queue + "' already started");
    started = true;
    completions = new BatchCompleter(vertx, clock, client, queue, completionWindow.toMillis(), completionMaxItems);
    context = vertx.getOrCreateContext();
    context.runOnContext(v -> claimMore());
  }

  /** Jobs claimed and not yet reported: handlers running, and completions not yet committed. */
  public int running() {
    return running.size();
  }

  /**
   * Stops claiming, sends the completions gathered so far, and waits for running handlers and
   * their completions up to {@code deadline}. The future fails with
   * "stop timeout" if handlers are still running then; they are not interrupted, and their
   * leases, no longer extended, bring the jobs back to the queue. Later calls return the same future.
   */
  public Future<Void> stop(Duration deadline) {
    Promise<Void> p = Promise.promise();
    context.runOnContext(v -> {
      if (stopped == null) {
        stopped = Promise.promise();
        completions.flush();
        if (running.isEmpty()) {
          stopped.tryComplete();
        } else {
          clock.setTimer(Math.max(1, deadline.toMillis()), t -> {
            running.forEach(r -> clock.cancelTimer(r.extendTimer()));
            stopped.tryFail("stop timeout: " + running.size() + " job(s) of queue '" + queue + "' still running");
          });
        }
      }
      stopped.future().onComplete(p);
    });
    return p.future();
  }

  /**
   * Claims when a quarter of the slots are free (or no handler runs), so that a busy worker asks
   * for jobs in batches instead of one claim per finished job. A slot is free once its handler has
   * returned: the next jobs are claimed while the finished ones' completions are being committed,
   * so that the two requests overlap instead of taking turns. Jobs whose completions are not yet
   * committed count too, up to as many again as the slots, so that a slow store holds the worker back.
   */
  private void claimMore() {
    int free = Math.min(concurrency - handling, 2 * concurrency - running.size());
    boolean worthIt = free > 0 && (handling == 0 || free >= Math.max(1, concurrency / 4));
    if (claiming || !worthIt || stopped != null) return;
    claiming = true;
    client.claim(queue, free, 0, waitMs).onComplete(ar -> {
      claiming = false;
      if (ar.failed()) {
        long wait = claimRetry.next();
        LOG.log(Level.WARNING, "claim on queue '" + queue + "' failed, retrying in " + wait + " ms: "
            + ar.cause().getMessage());
        clock.setTimer(wait, t -> claimMore());
        return;
      }
      claimRetry.reset();
      for (Job job : ar.result()) {
        if (stopped != null) {
          release(job);
        } else {
          run(job);
        }
      }
      claimMore();
    });
  }

  private void run(Job job) {
    long lease = Math.max(100, job.visibleAt() - clock.now());
    long every = Math.max(50, lease * 8 / 10);
    long timer = clock.setPeriodic(every, t -> client.extend(job, lease).onFailure(e ->
        LOG.warning("extending job " + job.id() + " of queue '" + queue + "' failed: " + e.getMessage())));
    Running r = new Running(job, timer);
    running.add(r);
    handling++;
    invoke(job).onComplete(ar -> {
      // A handler's future may complete on another thread; the worker's state stays on its context.
      if (Vertx.currentContext() == context) {
        finished(r, ar);
      } else {
        context.runOnContext(v -> finished(r, ar));
      }
    });
  }

  private void finished(Running r, AsyncResult<?> outcome) {
    Job job = r.job();
    handling--;
    Future<?> report;
    if (outcome.succeeded()) {
      // The lease is still extended while the completion waits for its batch.
      report = completions.complete(job);
      // Once no handler runs, waiting gathers nothing more; stopping does not wait either.
      if (handling == 0 || stopped != null) completions.flushSoon();
      claimSoon();
    } else {
      clock.cancelTimer(r.extendTimer());
      report = reportFailure(job, outcome.cause());
    }
    report.onComplete(x -> {
      clock.cancelTimer(r.extendTimer());
      if (x.failed()) {
        LOG.warning("reporting job " + job.id() + " of queue '" + queue + "' failed: " + x.cause().getMessage());
      }
      running.remove(r);
      if (stopped != null && running.isEmpty()) stopped.tryComplete();
      claimSoon();
    });
  }

  /**
   * A committed batch frees its jobs' slots one by one within one event-loop task: claiming after
   * that task asks for all of them in one claim.
   */
  private void claimSoon() {
    if (claimQueued) return;
    claimQueued = true;
    context.runOnContext(v -> {
      claimQueued = false;
      claimMore();
    });
  }

  private Future<?> invoke(Job job) {
    JobHandler handler = handlers.get(job.name());
    if (handler == null) {
      return Future.failedFuture(new PermanentFailure("no handler registered for job '" + job.name() + "' on this worker"));
    }
    try {
      Future<?> f = handler.handle(job);
      return f == null ? Future.failedFuture(new IllegalStateException("handler returned no future")) : f;
    } catch (Exception | LinkageError e) {
      return Future.failedFuture(e);
    }
  }

  private Future<?> reportFailure(Job job, Throwable cause) {
    String message = cause.getMessage() == null ? cause.getClass().getName() : cause.getMessage();
    return client.fail(job, message, PermanentFailure.in(cause));
  }

  /** A job claimed while stopping goes back at once without counting as a failure. */
  private void release(Job job) {
    client.extend(job, 100).onFailure(e -> LOG.fine("releasing job " + job.id() + ": " + e.getMessage()));
  }
}
