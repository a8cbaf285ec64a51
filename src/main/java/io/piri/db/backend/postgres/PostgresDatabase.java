package io.piri.db.backend.postgres;

import io.piri.db.backend.Database;
import io.piri.db.backend.Migrations;
import io.piri.db.backend.Statements;
import io.piri.db.backend.Tx;
import io.piri.db.config.BackendType;
import io.piri.db.config.PiriConfig;
import io.piri.db.config.PostgresUrl;
import io.piri.db.core.DbException;
import io.piri.db.core.StoreId;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetClientOptions;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Transaction;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/** A store kept in its own schema of the shared PostgreSQL database, through one pg-client pool. */
public final class PostgresDatabase implements Database {
  private final StoreId store;
  private final Pool pool;
  private final String schemaVersion;
  private final PgListener listener;
  private final java.util.concurrent.atomic.AtomicLong transactions = new java.util.concurrent.atomic.AtomicLong();
  private final AtomicLong statementsRun;

  private final int maxOpen;
  private final Statements meta = Statements.load("postgres", "meta");
  private volatile boolean closed;

  private PostgresDatabase(StoreId store, Pool pool, String schemaVersion, PgListener listener, int maxOpen,
                           AtomicLong statementsRun) {
    this.maxOpen = maxOpen;
    this.statementsRun = statementsRun;
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
          // the health query below is the first statement
          AtomicLong statementsRun = new AtomicLong(1);
          return pool.query(Statements.load("postgres", "meta").get("health")).execute()
              .map(rows -> (Database) new PostgresDatabase(store, pool, version,
                  new PgListener(vertx, new PgConnectOptions(connect).addProperty("application_name",
                      "piri-db " + store.id() + " listen"), store.id(), statementsRun), cfg.maxOpenConns(), statementsRun))
              .onFailure(e -> pool.close());
        });
  }

  /**
   * Settings of every session of the stores' pools. Every ordered statement of the stores reads an
   * index in its order. A queue that grew from nothing since PostgreSQL last sampled the table (a
   * backlog after an outage) is estimated at one row, and then another index that starts with the
   * queue looks as cheap as the right one: with a sort of the whole queue on top, each claim walked
   * the backlog (about a second a claim at a million jobs, until autovacuum's next ANALYZE). With
   * sorts priced out, a plan that reads an index in order always wins; a statement that can only
   * sort still sorts.
   */
  public static final Map<String, String> SESSION_SETTINGS = Map.of("enable_sort", "off");

  private static PgConnectOptions connectOptions(StoreId store, PiriConfig.Postgres cfg) {
    PgConnectOptions o = PgConnectOptions.fromUri(cfg.url());
    SESSION_SETTINGS.forEach(o::addProperty);
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
  public long statementsRun() {
    return statementsRun.get();
  }

  @Override
  public String schemaVersion() {
    return schemaVersion;
  }

  @Override
  public <T> Future<T> write(Function<Tx, Future<T>> work) {
    transactions.incrementAndGet();
    return connection().compose(conn -> {
      // BEGIN goes out together with the work's first statement rather than a round trip ahead
      // of it: the connection pipelines its commands, and the transaction's wait behind BEGIN.
      Future<Transaction> began = conn.begin();
      return apply(work, new PgTx(conn, meta, listener, true, statementsRun)).compose(
              result -> began.compose(Transaction::commit).map(result),
              failure -> began.compose(Transaction::rollback).otherwiseEmpty().compose(v -> Future.<T>failedFuture(failure)))
          .andThen(done -> conn.close());
    }).transform(PostgresDatabase::translated);
  }

  @Override
  public <T> Future<T> read(Function<Tx, Future<T>> work) {
    transactions.incrementAndGet();
    return connection().compose(conn -> apply(work, new PgTx(conn, meta, listener, false, statementsRun)).andThen(done -> conn.close()))
        .transform(PostgresDatabase::translated);
  }

  /**
   * A read-only transaction whose statements PostgreSQL cancels once {@code timeoutMs} passed
   * ({@code statement_timeout}, set for this transaction alone; SQLSTATE 57014 is a TIMEOUT).
   */
  @Override
  public <T> Future<T> readWithTimeout(long timeoutMs, Function<Tx, Future<T>> work) {
    transactions.incrementAndGet();
    return connection().compose(conn -> {
      Future<Transaction> began = conn.begin();
      Tx tx = new PgTx(conn, meta, listener, false, statementsRun);
      // BEGIN and both settings go out together (the connection pipelines them), then the work.
      return Future.all(tx.run(meta.get("read-only")), tx.run(meta.get("statement-timeout"), timeoutMs + "ms"))
          .compose(v -> apply(work, tx))
          .compose(result -> began.compose(Transaction::commit).map(result),
              failure -> began.compose(Transaction::rollback).otherwiseEmpty().compose(v -> Future.<T>failedFuture(failure)))
          .andThen(done -> conn.close());
    }).transform(PostgresDatabase::translated);
  }

  /** A connection from the pool; failing to get one at all means PostgreSQL cannot be reached. */
  private Future<SqlConnection> connection() {
    if (closed) return Future.failedFuture(new DbException(DbException.Kind.UNAVAILABLE, "the database is closed", null));
    return pool.getConnection().recover(e -> Future.failedFuture(PgErrors.unreachable(e)));
  }

  private static <T> Future<T> apply(Function<Tx, Future<T>> work, Tx tx) {
    try {
      return work.apply(tx);
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
  }

  private static <T> Future<T> translated(io.vertx.core.AsyncResult<T> ar) {
    return ar.succeeded() ? Future.succeededFuture(ar.result()) : Future.failedFuture(PgErrors.translate(ar.cause()));
  }

  /** The pool's open connections against its maximum: pg-client counts them, no SPI needed. */
  @Override
  public void bindMetrics(io.micrometer.core.instrument.MeterRegistry registry) {
    io.micrometer.core.instrument.Gauge.builder("piri.db.pg.pool.connections", pool, Pool::size)
        .description("connections open in the store's PostgreSQL pool").tag("store", store.id()).register(registry);
    io.micrometer.core.instrument.Gauge.builder("piri.db.pg.pool.max", () -> maxOpen)
        .description("max_open_conns of the store's pool").tag("store", store.id()).register(registry);
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
    closed = true;
    return listener.close().transform(r -> pool.close());
  }
}
