package io.piri.db.queue;

import io.piri.db.audit.AuditTrail;
import io.piri.db.backend.Database;
import io.piri.db.bus.ActionGroup;
import io.piri.db.bus.ActionRouter;
import io.piri.db.bus.BusException;
import io.piri.db.bus.Request;
import io.piri.db.config.PiriConfig;
import io.piri.db.config.QueueConfig;
import io.piri.db.core.Clock;
import io.piri.db.core.StoreId;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * Bulk operations of a queue store (docs/event-bus.md): requeue or purge of every dead letter, or
 * cancel of every live job, that a filter matches, run by the store in batches
 * ({@link BulkRunner}) as operations that survive a restart.
 */
public final class BulkService implements ActionGroup {
  private static final int MAX_LIST = 100;

  private final Clock clock;
  private final Database db;
  private final Map<String, QueueConfig> queues = new HashMap<>();
  private final QueueRequests requests;
  /**
   * Who runs an operation: the node's data_dir (one node per data_dir), so that a node that
   * restarts picks up its own lease at once, while another node waits for that lease to run out.
   */
  private final String owner;
  private final BulkEngine engine;
  private final BulkRunner runner;

  /** {@code queueEngine}: the store's queue engine, whose changes a batch makes. */
  BulkService(Clock clock, StoreId id, PiriConfig config, Database db, QueueEngine queueEngine) {
    this.clock = clock;
    this.db = db;
    config.queues().values().stream().filter(q -> q.store().equals(id.id())).forEach(q -> queues.put(q.name(), q));
    requests = new QueueRequests(queues);
    String host = System.getenv("HOSTNAME");
    owner = (host == null ? "" : host + ":") + config.dataDir().toAbsolutePath();
    engine = new BulkEngine(db, clock, queues, queueEngine);
    runner = new BulkRunner(clock, engine, owner);
  }

  @Override
  public Future<Void> start() {
    db.listen(BulkEngine.CHANNEL, payload -> {
      if (payload == null) resume();
      else runner.run(Long.parseLong(payload));
    });
    return resume();
  }

  /** Runs every operation still running (a restart, or notifications that may have been lost). */
  private Future<Void> resume() {
    return engine.running().onSuccess(ids -> ids.forEach(runner::run)).mapEmpty();
  }

  @Override
  public void stopping() {
    runner.close();
  }

  @Override
  public Future<Void> stop() {
    return runner.idle();
  }

  @Override
  public void register(ActionRouter router) {
    router.on("bulk-start", this::start)
        .on("bulk-status", this::status)
        .on("bulk-cancel", this::cancel)
        .on("bulk-list", this::list);
  }

  private Future<JsonObject> start(Request req) {
    req.only(Set.of("queue", "op", "filter"));
    QueueConfig q = requests.queue(req);
    String op = req.string("op");
    if (!BulkFilter.OPS.contains(op)) throw BusException.invalid("field 'op' must be 'requeue', 'purge' or 'cancel'");
    Object f = req.body().getValue("filter");
    if (f != null && !(f instanceof JsonObject)) throw BusException.invalid("field 'filter' must be an object");
    BulkFilter filter = BulkFilter.parse(op, f == null ? new JsonObject() : (JsonObject) f);
    return engine.start(q, op, filter, AuditTrail.Actor.of(req), owner, BulkRunner.LEASE_MS).map(row -> {
      runner.run(row.getLong("operation"));
      return row;
    });
  }

  private long operation(Request req) {
    req.only(Set.of("operation"));
    return req.id("operation", 1, Long.MAX_VALUE);
  }

  private Future<JsonObject> status(Request req) {
    long id = operation(req);
    return engine.get(id).map(op -> op.mergeIn(runner.progress(id)));
  }

  private Future<JsonObject> cancel(Request req) {
    long id = operation(req);
    return engine.cancel(id, AuditTrail.Actor.of(req));
  }

  private Future<JsonObject> list(Request req) {
    req.only(Set.of("queue", "limit"));
    QueueConfig q = requests.optQueue(req);
    int limit = req.optInt("limit", 1, MAX_LIST, 20);
    return engine.list(q == null ? null : q.name(), limit).map(ops -> new JsonObject().put("operations", ops));
  }
}
