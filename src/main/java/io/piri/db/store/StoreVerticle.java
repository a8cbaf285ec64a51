package io.piri.db.store;

import io.piri.db.backend.Database;
import io.piri.db.bus.ActionGroup;
import io.piri.db.bus.ActionRouter;
import io.piri.db.bus.BusException;
import io.piri.db.bus.Request;
import io.piri.db.config.PiriConfig;
import io.piri.db.core.DbException;
import io.piri.db.core.StoreId;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The only owner of one store: answers the store's event-bus address with the store's database.
 * Every store answers ping, health and backup; the engines it hosts add their action groups.
 */
public final class StoreVerticle extends VerticleBase {
  private final StoreId id;
  private final PiriConfig config;
  private final Database db;
  private final Supplier<List<ActionGroup>> engines;
  /** Where the store reports to /metrics; a registry without backends records nothing. */
  private io.micrometer.core.instrument.MeterRegistry meters = new io.micrometer.core.instrument.composite.CompositeMeterRegistry();
  private List<ActionGroup> groups = List.of();
  private boolean readOnly;
  private ActionRouter router;
  private MessageConsumer<Object> consumer;

  /** {@code engines} makes the store's action groups when the verticle starts, on its context. */
  public StoreVerticle(StoreId id, PiriConfig config, Database db, Supplier<List<ActionGroup>> engines) {
    this.id = id;
    this.config = config;
    this.db = db;
    this.engines = engines;
  }

  @Override
  public Future<?> start() {
    router = new ActionRouter(id.id(), config.maxBodyBytes());
    router.on("ping", this::ping);
    router.meters(meters);
    router.mapFailures(this::unavailable);
    new OpsActions(id, db, vertx.fileSystem()).register(router);
    groups = engines.get();
    groups.forEach(g -> g.register(router));
    Future<Void> started = Future.succeededFuture();
    if (!readOnly) for (ActionGroup g : groups) started = started.compose(v -> g.start());
    return started.compose(v -> {
      consumer = vertx.eventBus().consumer(id.address(), router::handle);
      return consumer.completion();
    }).onSuccess(v -> router.accept(true));
  }

  /**
   * Serves a database opened read-only: the groups' actions are registered but their background
   * work is never started ({@link ActionGroup#start}), so the store writes nothing by itself;
   * writes requested fail as the database refuses them. Call before deploying.
   */
  public StoreVerticle readOnly() {
    this.readOnly = true;
    return this;
  }

  /** The registry the server's /metrics reads; call before deploying. */
  public StoreVerticle withMeters(io.micrometer.core.instrument.MeterRegistry registry) {
    this.meters = registry;
    return this;
  }

  /**
   * Stops taking requests (new ones get 503), lets the groups answer their waiting requests,
   * waits up to {@code shutdown.timeout} for those in flight to commit and reply, leaves the
   * address, then stops the groups. The server closes the database after.
   */
  @Override
  public Future<?> stop() {
    if (router == null) return Future.succeededFuture();
    router.accept(false);
    groups.forEach(ActionGroup::stopping);
    long timeoutMs = Math.max(1, config.shutdownTimeout().toMillis());
    Future<Void> deadline = vertx.timer(timeoutMs).mapEmpty();
    Future<Void> left = Future.any(router.drained(), deadline).compose(v -> consumer.unregister());
    for (ActionGroup g : groups) left = left.compose(v -> g.stop());
    return left;
  }

  /** A database that cannot take the request now (down, full, busy, read-only) is the protocol's 503. */
  private Throwable unavailable(Throwable e) {
    if (e instanceof DbException db && db.kind().unavailable()) {
      return BusException.unavailable("store '" + id.id() + "': " + db.getMessage());
    }
    return e;
  }

  private Future<JsonObject> ping(Request req) {
    req.only(Set.of());
    return Future.succeededFuture(new JsonObject()
        .put("store", id.id())
        .put("backend", db.backend().id())
        .put("schema_version", db.schemaVersion()));
  }
}
