package io.piri.db.backend.postgres;

import io.piri.db.core.StoreId;
import io.piri.db.backend.Database;
import io.piri.db.backend.Migrations;
import io.piri.db.backend.Statements;
import io.piri.db.bus.BusException;
import io.piri.db.config.BackendType;
import io.piri.db.config.PiriConfig;
import io.piri.db.config.PostgresUrl;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetClientOptions;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.io.IOException;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/** A store kept in its own schema of the shared PostgreSQL database, through one pg-client pool. */
public final class PostgresDatabase implements Database {
  private final StoreId store;
  private final Pool pool;
  private final String schemaVersion;
  private final PgListener listener;
  private final java.util.concurrent.atomic.AtomicLong transactions = new java.util.concurrent.atomic.AtomicLong();

  private final int maxOpen;

  private PostgresDatabase(StoreId store, Pool pool, String schemaVersion, PgListener listener, int maxOpen) {
    this.maxOpen = maxOpen;
    this.store = store;
    this.pool = pool;
    this.schemaVersion = schemaVersion;
    this.listener = listener;
  }

  /** Migrates the store's schema (creating it if missing) on a worker thread, then opens the pool. */
  public static Future<Database> open(Vertx vertx, StoreId store, PiriConfig.Postgres cfg) {
    Properties props = PostgresUrl.credentials(cfg.url());
    long connectSeconds = Math.max(1, cfg.connectTimeout().toSeconds());
    props.setProperty("connectTimeout", String.valueOf(connectSeconds));
    props.setProperty("loginTimeout", String.valueOf(connectSeconds));
    props.setProperty("socketTimeout", "60");
    props.setProperty("ApplicationName", "piri-db migrations");
    return vertx.executeBlocking(
            () -> Migrations.migrate("postgres", store, PostgresUrl.jdbcUrl(cfg.url()), props, store.id()), false)
        .compose(version -> {
          PgConnectOptions connect = connectOptions(store, cfg);
          Pool pool = PgBuilder.pool()
              .with(poolOptions(cfg))
              .with(new NetClientOptions().setConnectTimeout((int) cfg.connectTimeout().toMillis()))
              .connectingTo(connect)
              .using(vertx)
              .build();
          return pool.query("SELECT 1").execute()
              .map(rows -> (Database) new PostgresDatabase(store, pool, version,
                  new PgListener(vertx, new PgConnectOptions(connect).addProperty("application_name",
                      "piri-db " + store.id() + " listen"), store.id()), cfg.maxOpenConns()))
              .onFailure(e -> pool.close());
        });
  }

  private static PgConnectOptions connectOptions(StoreId store, PiriConfig.Postgres cfg) {
    PgConnectOptions o = PgConnectOptions.fromUri(cfg.url());
    o.addProperty("search_path", store.id());
    o.addProperty("application_name", "piri-db " + store.id());
    o.setCachePreparedStatements(true);
    o.setPipeliningLimit(256);
    return o;
  }

  /**
   * pg-client pools have no idle-count setting: when max_idle_conns is below max_open_conns,
   * connections idle for a minute are closed, which brings an idle pool down in the same spirit.
   */
  private static PoolOptions poolOptions(PiriConfig.Postgres cfg) {
    PoolOptions p = new PoolOptions()
        .setMaxSize(cfg.maxOpenConns())
        .setMaxLifetime((int) cfg.connMaxLifetime().toMillis())
        .setMaxLifetimeUnit(TimeUnit.MILLISECONDS)
        .setConnectionTimeout((int) cfg.connectTimeout().toMillis())
        .setConnectionTimeoutUnit(TimeUnit.MILLISECONDS)
        .setMaxWaitQueueSize(10_000);
    if (cfg.maxIdleConns() < cfg.maxOpenConns()) {
      p.setIdleTimeout(60).setIdleTimeoutUnit(TimeUnit.SECONDS);
    }
    return p;
  }

  @Override
  public StoreId store() {
    return store;
  }

  @Override
  public BackendType backend() {
    return BackendType.POSTGRES;
  }

  @Override
  public long transactions() {
    return transactions.get();
  }

  @Override
  public String schemaVersion() {
    return schemaVersion;
  }

  @Override
  public <T> Future<T> write(Function<SqlConnection, Future<T>> work) {
    transactions.incrementAndGet();
    return pool.withTransaction(work).recover(e -> Future.failedFuture(classify(e)));
  }

  @Override
  public <T> Future<T> read(Function<SqlConnection, Future<T>> work) {
    transactions.incrementAndGet();
    return pool.withConnection(work).recover(e -> Future.failedFuture(classify(e)));
  }

  /** The pool's open connections against its maximum: pg-client counts them, no SPI needed. */
  @Override
  public void bindMetrics(io.micrometer.core.instrument.MeterRegistry registry) {
    io.micrometer.core.instrument.Gauge.builder("piri.db.pg.pool.connections", pool, Pool::size)
        .description("connections open in the store's PostgreSQL pool").tag("store", store.id()).register(registry);
    io.micrometer.core.instrument.Gauge.builder("piri.db.pg.pool.max", () -> maxOpen)
        .description("max_open_conns of the store's pool").tag("store", store.id()).register(registry);
  }

  /** NOTIFY is transactional in PostgreSQL: it is delivered when the transaction commits. */
  @Override
  public Future<Void> notifyAfterCommit(SqlConnection conn, String channel, String payload) {
    return conn.preparedQuery("SELECT pg_notify($1, $2)")
        .execute(Tuple.of(listener.pgChannel(channel), payload))
        .mapEmpty();
  }

  @Override
  public void listen(String channel, Handler<String> handler) {
    listener.listen(channel, handler);
  }

  @Override
  public Statements sql(String area) {
    return Statements.load("postgres", area);
  }

  @Override
  public Future<Void> close() {
    return listener.close().transform(r -> pool.close());
  }

  /** Connection loss, server shutdown and pool timeouts become a 503; everything else stays as is. */
  private Throwable classify(Throwable e) {
    if (e instanceof BusException) return e;
    for (Throwable c = e; c != null; c = c.getCause() == c ? null : c.getCause()) {
      if (c instanceof PgException pg && pg.getSqlState() != null
          && (pg.getSqlState().startsWith("08") || pg.getSqlState().startsWith("57P"))) {
        return unavailable(pg.getMessage());
      }
      if (c instanceof IOException || c instanceof io.vertx.core.impl.NoStackTraceTimeoutException) {
        return unavailable(c.getMessage());
      }
      String m = String.valueOf(c.getMessage());
      if (c instanceof io.vertx.core.VertxException
          && (m.contains("closed") || m.contains("Timeout") || m.contains("Connection refused"))) {
        return unavailable(m);
      }
    }
    return e;
  }

  private BusException unavailable(String reason) {
    return BusException.unavailable("store '" + store.id() + "': PostgreSQL cannot be reached (" + reason + ")");
  }
}
