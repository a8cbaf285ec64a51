package io.piri.db.backend.postgres;

import io.piri.db.backend.Listeners;
import io.piri.db.core.RetryBackoff;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.PgConnection;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Logger;

/**
 * One LISTEN connection per store, outside the pool. Channels are prefixed with the store's schema
 * because all stores share one database. When the connection drops it reconnects with backoff and
 * tells every listener to look again, since notifications sent meanwhile are lost.
 */
final class PgListener {
  private static final Logger LOG = Logger.getLogger(PgListener.class.getName());
  private final Vertx vertx;
  private final PgConnectOptions options;
  private final String prefix;
  private final Listeners listeners = new Listeners();
  private PgConnection conn;
  private boolean connecting;
  private boolean closed;
  private final RetryBackoff reconnect = new RetryBackoff(50, 2_000);
  private final AtomicLong statementsRun;

  PgListener(Vertx vertx, PgConnectOptions options, String schema, AtomicLong statementsRun) {
    this.vertx = vertx;
    this.statementsRun = statementsRun;
    this.options = options;
    this.prefix = schema + "_";
  }

  String pgChannel(String channel) {
    return prefix + channel;
  }

  synchronized void listen(String channel, Handler<String> handler) {
    boolean first = listeners.add(vertx, channel, handler);
    if (conn != null && first) {
      statementsRun.incrementAndGet();
      conn.query("LISTEN \"" + pgChannel(channel) + "\"").execute();
    } else if (conn == null && !connecting) {
      connect();
    }
  }

  private synchronized void connect() {
    if (closed) return;
    connecting = true;
    PgConnection.connect(vertx, options)
        .compose(c -> listenAll(c).map(c))
        .onComplete(ar -> {
          synchronized (this) {
            connecting = false;
            if (ar.failed()) {
              long wait = reconnect.next();
              LOG.warning("LISTEN connection failed (" + ar.cause().getMessage() + "); retrying in " + wait + " ms");
              vertx.setTimer(wait, t -> connect());
              return;
            }
            if (closed) {
              ar.result().close();
              return;
            }
            reconnect.reset();
            conn = ar.result();
            conn.notificationHandler(n -> {
              String ch = n.getChannel();
              if (ch.startsWith(prefix)) listeners.fire(ch.substring(prefix.length()), n.getPayload());
            });
            conn.closeHandler(v -> {
              synchronized (this) {
                conn = null;
              }
              if (!closed) connect();
            });
          }
          listeners.fireAll();
        });
  }

  private Future<Void> listenAll(PgConnection c) {
    Future<Void> chain = Future.succeededFuture();
    for (String channel : listeners.channels()) {
      chain = chain.compose(v -> {
        statementsRun.incrementAndGet();
        return c.query("LISTEN \"" + pgChannel(channel) + "\"").execute().<Void>mapEmpty();
      });
    }
    return chain;
  }

  synchronized Future<Void> close() {
    closed = true;
    return conn == null ? Future.succeededFuture() : conn.close();
  }
}
