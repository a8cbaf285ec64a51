package io.piri.db.queue;

import io.micrometer.core.instrument.MeterRegistry;
import io.piri.db.core.Clock;
import io.piri.db.core.StoreId;
import io.piri.db.core.Waiters;
import io.piri.db.core.WaitLimits;
import io.piri.db.audit.AuditTrail;
import io.piri.db.backend.Database;
import io.piri.db.bus.ActionGroup;
import io.piri.db.bus.ActionRouter;
import io.piri.db.bus.BusException;
import io.piri.db.bus.ChangeEvents;
import io.piri.db.bus.Request;
import io.piri.db.config.PiriConfig;
import io.piri.db.config.QueueConfig;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The job-queue actions of one store (replicator, aggregator, egress_tracker): the queues
 * configured for it, over the actions of docs/event-bus.md. Validation happens here, before the
 * engine touches the database.
 */
public final class QueueService implements ActionGroup {
  /**
   * Coalesced writes in flight per queue: one being written while the next gathers. More would
   * split the same load into more, smaller transactions, and commits (fsync on PostgreSQL, the one
   * writer on SQLite) are what limits throughput, not connections.
   */
  private static final int FLUSHES_IN_FLIGHT = 2;

  private final Map<String, QueueConfig> queues = new HashMap<>();
  private final QueueRequests requests;
  private final QueueEngine engine;
  private final Waiters waiters;
  private final Transitions transitions;
  private final Pauses pauses;
  private final QueueMeters queueMeters;
  private final QueueSearch search;
  private final Map<String, Coalescer<JobInput, QueueEngine.Enqueued>> enqueues = new HashMap<>();
  private final Map<String, Coalescer<Item, BusException>> completes = new HashMap<>();

  private final Clock clock;
  private final StoreId id;
  private final Database db;
  private final MeterRegistry meters;
  private final QueueChanges changes;
  private final Rollups rollups;

  /** {@code rollups}: the store's per-minute rollups, fed with every outcome. */
  public QueueService(Clock clock, StoreId id, PiriConfig config, Database db, MeterRegistry meters, ChangeEvents events,
                      Rollups rollups) {
    this.clock = clock;
    this.id = id;
    this.db = db;
    this.meters = meters;
    this.changes = new QueueChanges(clock, events, id.id());
    this.rollups = rollups;
    config.queues().values().stream().filter(q -> q.store().equals(id.id())).forEach(q -> queues.put(q.name(), q));
    requests = new QueueRequests(queues);
    engine = new QueueEngine(db, clock, changes);
    queueMeters = new QueueMeters(meters, id.id(), rollups);
    waiters = new Waiters(clock);
    transitions = new Transitions(clock, engine, queues.values(), queueMeters);
    pauses = new Pauses(db, clock, queues, requests, waiters);
    search = new QueueSearch(db, transitions);
  }

  /** Listens and writes what fell due while no store ran; a read-only store never calls it. */
  @Override
  public Future<Void> start() {
    db.listen(QueueEngine.CHANNEL, payload -> {
      waiters.notified(payload);
      transitions.notified(payload);
    });
    return pauses.start()
        .compose(v -> Future.all(queues.values().stream().map(q -> engine.fields().prune(db, q)).toList()))
        .compose(v -> transitions.start());
  }

  @Override
  public void stopping() {
    waiters.close();
    transitions.close();
  }

  @Override
  public Future<Void> stop() {
    changes.close();
    return Future.succeededFuture();
  }

  /** The bulk operations on these queues, beside these actions. */
  public ActionGroup bulk(PiriConfig config) {
    return new BulkService(clock, id, config, db, engine);
  }

  /** The operators' views of these queues' jobs, beside these actions. */
  public ActionGroup views() {
    return new JobViews(db, requests, asked -> transitions.settle(asked));
  }

  @Override
  public void register(ActionRouter router) {
    router.on("enqueue", this::enqueue)
        .on("enqueue-batch", this::enqueueBatch)
        .on("claim", this::claim)
        .on("extend", this::extend)
        .on("complete", this::complete)
        .on("fail", this::fail)
        .on("dead-list", this::deadList)
        .on("dead-requeue", req -> deadChange(req, true))
        .on("dead-purge", req -> deadChange(req, false))
        .on("stats", this::stats)
        .on("jobs", this::jobs)
        .on("pause", req -> pauses.pause(req))
        .on("resume", req -> pauses.resume(req))
        .on("search", req -> search.handle(req, requests::queue))
        // A JSON payload is stored as its encoded bytes, where NUL is an escape like any other.
        .jsonKeptAsBytes("enqueue", "payload")
        .jsonKeptAsBytes("enqueue-batch", "jobs[].payload");
  }

  private Future<JsonObject> enqueue(Request req) {
    req.only(Set.of("queue", "name", "payload", "payload_base64", "delay_ms", "dedupe_key"));
    QueueConfig q = requests.queue(req);
    JsonObject job = req.body().copy();
    job.remove("queue");
    JobInput input = requests.job(q, job, "");
    Future<QueueEngine.Enqueued> done = q.dedupe()
        ? engine.enqueue(q, List.of(input)).map(r -> r.get(0))
        : enqueues.computeIfAbsent(q.name(), n -> new Coalescer<>(QueueRequests.MAX_BATCH, FLUSHES_IN_FLIGHT,
            jobs -> engine.enqueueMany(q, jobs))).submit(input);
    long runAt = clock.now() + input.delayMs();
    return done.map(r -> {
      if (input.delayMs() > 0) transitions.dueAt(q.name(), runAt);
      if (!r.duplicate()) queueMeters.enqueued(q.name(), 1);
      return new JsonObject().put("id", r.id()).put("duplicate", r.duplicate());
    });
  }

  private Future<JsonObject> enqueueBatch(Request req) {
    req.only(Set.of("queue", "jobs"));
    QueueConfig q = requests.queue(req);
    List<JobInput> jobs = requests.jobs(q, req);
    long now = clock.now();
    return (q.dedupe() ? engine.enqueue(q, jobs) : engine.enqueueMany(q, jobs)).map(results -> {
      jobs.stream().mapToLong(JobInput::delayMs).filter(d -> d > 0).min()
          .ifPresent(d -> transitions.dueAt(q.name(), now + d));
      JsonArray ids = new JsonArray();
      JsonArray duplicates = new JsonArray();
      results.forEach(r -> {
        ids.add(r.id());
        duplicates.add(r.duplicate());
      });
      queueMeters.enqueued(q.name(), results.stream().filter(r -> !r.duplicate()).count());
      return new JsonObject().put("ids", ids).put("duplicates", duplicates);
    });
  }

  private Future<JsonObject> claim(Request req) {
    req.only(Set.of("queue", "max", "lease_ms", "wait_ms"));
    QueueConfig q = requests.queue(req);
    int max = req.optInt("max", 1, QueueRequests.MAX_BATCH, 1);
    long lease = req.optLong("lease_ms", 100, QueueRequests.MAX_LEASE_MS, q.lease().toMillis());
    long waitMs = req.optLong("wait_ms", 0, WaitLimits.MAX_CLAIM_WAIT_MS, 0);
    Supplier<Future<List<JsonObject>>> attempt = () -> transitions.passed(q.name()).compose(v -> {
      long started = System.nanoTime();
      return engine.claim(q, max, lease).onSuccess(jobs -> {
        queueMeters.claimed(q.name(), System.nanoTime() - started, jobs.size());
        if (!jobs.isEmpty()) transitions.dueAt(q.name(), jobs.get(0).getLong("visible_at"));
      });
    });
    // The due times a waiting claim looks up include leases handed out by other instances: the
    // due-time pass of this one then writes them too, should their holder be gone.
    return waiters.claim(List.of(q.name()), null, waitMs, attempt, since -> engine.nextDue(q, since).onSuccess(due -> {
      if (due.at() != null) transitions.dueAt(q.name(), due.at());
    }))
        .map(jobs -> new JsonObject().put("jobs", new JsonArray(new ArrayList<>(jobs))));
  }

  private Future<JsonObject> extend(Request req) {
    req.only(Set.of("queue", "id", "receipt", "lease_ms"));
    QueueConfig q = requests.queue(req);
    long id = QueueRequests.id(req.body().getValue("id"), "id");
    String receipt = QueueRequests.receipt(req.body().getValue("receipt"), "receipt");
    long lease = req.longValue("lease_ms", 100, QueueRequests.MAX_LEASE_MS);
    return engine.extend(q, id, receipt, lease).map(at -> {
      transitions.dueAt(q.name(), at);
      return new JsonObject().put("visible_at", at);
    });
  }

  private Future<JsonObject> complete(Request req) {
    req.only(Set.of("queue", "id", "receipt", "items"));
    QueueConfig q = requests.queue(req);
    if (req.has("items")) {
      if (req.has("id") || req.has("receipt")) throw BusException.invalid("give either 'items' or 'id' and 'receipt', not both");
      JsonArray items = req.array("items", QueueRequests.MAX_BATCH);
      List<Long> ids = new ArrayList<>();
      List<String> receipts = new ArrayList<>();
      Set<Long> named = new HashSet<>();
      for (int i = 0; i < items.size(); i++) {
        if (!(items.getValue(i) instanceof JsonObject item)) throw BusException.invalid("field 'items[" + i + "]' must be an object");
        long id = QueueRequests.id(item.getValue("id"), "items[" + i + "].id");
        // A job completes once: a second item for it could only be stale.
        if (!named.add(id)) throw BusException.invalid("field 'items[" + i + "].id': job " + id + " is named twice");
        ids.add(id);
        receipts.add(QueueRequests.receipt(item.getValue("receipt"), "items[" + i + "].receipt"));
      }
      Future<List<Long>> staleIds = q.dedupe() ? engine.completeAll(q, ids, receipts)
          : engine.completeMany(q, ids, receipts).map(errors -> {
            List<Long> out = new ArrayList<>();
            for (int i = 0; i < ids.size(); i++) if (errors.get(i) != null) out.add(ids.get(i));
            return out;
          });
      return staleIds.map(stale -> {
        queueMeters.completed(q.name(), ids.size() - stale.size());
        return new JsonObject().put("completed", ids.size() - stale.size()).put("stale", new JsonArray(new ArrayList<>(stale)));
      });
    }
    long id = QueueRequests.id(req.body().getValue("id"), "id");
    String receipt = QueueRequests.receipt(req.body().getValue("receipt"), "receipt");
    Future<?> completed = q.dedupe() ? engine.complete(q, id, receipt) : completeCoalesced(q, id, receipt);
    return completed.map(ok -> {
      queueMeters.completed(q.name(), 1);
      return new JsonObject().put("completed", 1);
    });
  }

  /** Single completes that arrive together go to the store as one statement. */
  private Future<Void> completeCoalesced(QueueConfig q, long id, String receipt) {
    Coalescer<Item, BusException> c = completes.computeIfAbsent(q.name(), n -> new Coalescer<>(QueueRequests.MAX_BATCH,
        FLUSHES_IN_FLIGHT, items -> engine.completeMany(q, items.stream().map(Item::id).toList(),
            items.stream().map(Item::receipt).toList())));
    return c.submit(new Item(id, receipt)).compose(err -> err == null ? Future.succeededFuture() : Future.failedFuture(err));
  }

  private record Item(long id, String receipt) {}

  private Future<JsonObject> fail(Request req) {
    req.only(Set.of("queue", "id", "receipt", "error", "permanent", "retry_in_ms"));
    QueueConfig q = requests.queue(req);
    long id = QueueRequests.id(req.body().getValue("id"), "id");
    String receipt = QueueRequests.receipt(req.body().getValue("receipt"), "receipt");
    String error = QueueRequests.error(req);
    boolean permanent = req.optBool("permanent", false);
    Long retryIn = req.has("retry_in_ms") ? req.optLong("retry_in_ms", 0, QueueRequests.MAX_DELAY_MS, 0) : null;
    return engine.fail(q, id, receipt, error, permanent, retryIn).onSuccess(r -> {
      queueMeters.failed(q.name(), r.getString("state"));
      if (r.containsKey("run_at")) transitions.dueAt(q.name(), r.getLong("run_at"));
    });
  }

  private Future<JsonObject> deadList(Request req) {
    req.only(Set.of("queue", "limit", "after_id"));
    QueueConfig q = requests.queue(req);
    int limit = req.optInt("limit", 1, QueueRequests.MAX_BATCH, 100);
    long after = req.has("after_id") ? QueueRequests.id(req.body().getValue("after_id"), "after_id") : 0;
    return engine.deadList(q, after, limit);
  }

  /** Operators' view of a queue's oldest ready or running jobs (piri-db jobs); changes nothing. */
  private Future<JsonObject> jobs(Request req) {
    req.only(Set.of("queue", "state", "limit"));
    QueueConfig q = requests.queue(req);
    String state = req.string("state");
    if (!state.equals("ready") && !state.equals("running")) {
      throw BusException.invalid("field 'state' must be 'ready' or 'running'");
    }
    int limit = req.optInt("limit", 1, QueueRequests.MAX_BATCH, 20);
    return transitions.settle(List.of(q))
        .compose(v -> engine.jobs(q, state.equals("running"), limit))
        .map(jobs -> new JsonObject().put("jobs", jobs));
  }

  private Future<JsonObject> deadChange(Request req, boolean requeue) {
    req.only(Set.of("queue", "ids", "all"));
    QueueConfig q = requests.queue(req);
    JsonArray ids = QueueRequests.idsOrAll(req);
    return requeue
        ? engine.deadRequeue(q, ids, new AuditTrail(db, clock).entry(req, q.name())).map(n -> new JsonObject().put("requeued", n))
        : engine.deadPurge(q, ids, new AuditTrail(db, clock).entry(req, q.name())).map(n -> new JsonObject().put("purged", n));
  }

  private Future<JsonObject> stats(Request req) {
    req.only(Set.of("queue"));
    QueueConfig one = requests.optQueue(req);
    List<QueueConfig> asked = one != null ? List.of(one) : new ArrayList<>(queues.values());
    return transitions.settle(asked).compose(v -> engine.stats(asked)).compose(pauses::annotate)
        .map(counts -> new JsonObject().put("queues", counts));
  }
}
