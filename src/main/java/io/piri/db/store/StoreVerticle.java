package io.piri.db.store;

import io.piri.db.ExitException;
import io.piri.db.StoreId;
import io.piri.db.backend.Database;
import io.piri.db.backend.Databases;
import io.piri.db.bus.ActionRouter;
import io.piri.db.bus.Request;
import io.piri.db.config.BackendType;
import io.piri.db.config.PiriConfig;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import java.util.Set;
import java.util.logging.Logger;

/**
 * The only owner of one store: answers the store's event-bus address with the store's database.
 * Stores that hold more than metadata add their actions in {@link #actions}.
 */
public class StoreVerticle extends VerticleBase {
  private static final Logger LOG = Logger.getLogger(StoreVerticle.class.getName());

  protected final StoreId id;
  protected final PiriConfig config;
  protected final Database db;
  /** Where the store reports to /metrics; a registry without backends records nothing. */
  protected io.micrometer.core.instrument.MeterRegistry meters = new io.micrometer.core.instrument.composite.CompositeMeterRegistry();
  private ActionRouter router;
  private MessageConsumer<Object> consumer;

  public StoreVerticle(StoreId id, PiriConfig config, Database db) {
    this.id = id;
    this.config = config;
    this.db = db;
  }

  /** Opens (and migrates) a store's database; a failure names the store and where it lives. */
  public static Future<Database> openDatabase(io.vertx.core.Vertx vertx, PiriConfig config, StoreId id) {
    String where = where(config, id);
    return Databases.open(vertx, config, id)
        .onSuccess(db -> LOG.info(() -> "store " + id.id() + " open: " + where + ", schema version " + db.schemaVersion()))
        .recover(e -> Future.failedFuture(openFailure(id, where, e)));
  }

  @Override
  public Future<?> start() {
    router = new ActionRouter(id.id(), config.maxBodyBytes());
    router.on("ping", this::ping);
    router.meters(meters);
    new OpsActions(id, db).register(router);
    actions(router);
    consumer = vertx.eventBus().consumer(id.address(), router::handle);
    return consumer.completion().onSuccess(v -> router.accept(true));
  }

  /** The registry the server's /metrics reads; call before deploying. */
  public StoreVerticle withMeters(io.micrometer.core.instrument.MeterRegistry registry) {
    this.meters = registry;
    return this;
  }

  /**
   * Called once new requests are refused and before waiting for those in flight: a store with
   * long-polling requests answers them now rather than at their deadline.
   */
  protected void stopping() {}

  /** Registers the store's own actions; the base store only answers ping. */
  protected void actions(ActionRouter router) {}

  /**
   * Stops taking requests (new ones get 503), waits up to {@code shutdown.timeout} for those in
   * flight to commit and reply, then leaves the address. The server closes the database after.
   */
  @Override
  public Future<?> stop() {
    if (router == null) return Future.succeededFuture();
    router.accept(false);
    stopping();
    long timeoutMs = Math.max(1, config.shutdownTimeout().toMillis());
    Future<Void> deadline = vertx.timer(timeoutMs).mapEmpty();
    return Future.any(router.drained(), deadline).compose(v -> consumer.unregister());
  }

  private Future<JsonObject> ping(Request req) {
    req.only(Set.of());
    return Future.succeededFuture(new JsonObject()
        .put("store", id.id())
        .put("backend", db.backend().id())
        .put("schema_version", db.schemaVersion()));
  }

  private static String where(PiriConfig config, StoreId id) {
    return config.backend() == BackendType.SQLITE
        ? config.dataDir().resolve(id.sqliteFile()).toString()
        : "schema " + id.id() + " at " + config.postgres().maskedUrl();
  }

  private static Throwable openFailure(StoreId id, String where, Throwable e) {
    if (e instanceof ExitException) return e;
    return new ExitException(ExitException.FAILED,
        "store " + id.id() + " cannot open its database (" + where + "): " + reason(e), e);
  }

  private static String reason(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) root = root.getCause();
    String m = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
    return m.lines().findFirst().orElse(m).trim();
  }
}
