package io.piri.db.audit;

import io.piri.db.backend.Database;
import io.piri.db.backend.Statements;
import io.piri.db.backend.Tx;
import io.piri.db.bus.Request;
import io.piri.db.core.Clock;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.function.Function;

/**
 * Writes a store's audit rows: who asked for an operator change (the request's actor headers),
 * when, the action, the filter and the rows it affected. An engine writes the row inside the
 * change's own transaction, so a change that rolls back leaves no row and a committed one leaves
 * exactly one.
 */
public final class AuditTrail {
  private final Statements sql;
  private final Clock clock;

  public AuditTrail(Database db, Clock clock) {
    this.sql = db.sql("audit");
    this.clock = clock;
  }

  /** One audit row in {@code tx}: {@code req}'s actor headers, {@code action}, {@code queue} (or null) and {@code filter}. */
  public Future<Void> record(Tx tx, Request req, String action, String queue, JsonObject filter, long affected) {
    return record(tx, Actor.of(req), action, queue, filter, affected);
  }

  /**
   * One audit row for a change that goes on after its request was answered (a bulk operation
   * that ends later): {@code actor} is who asked for it, as their request's headers said.
   */
  public Future<Void> record(Tx tx, Actor actor, String action, String queue, JsonObject filter, long affected) {
    return tx.run(sql.get("audit-insert"), clock.now(), actor.name(), actor.role(), actor.via(), action, queue,
        filter.encode(), affected).mapEmpty();
  }

  /** A request's actor headers (each may be null). */
  public record Actor(String name, String role, String via) {
    public static Actor of(Request req) {
      return new Actor(req.actor(), req.actorRole(), req.via());
    }
  }

  /** What one operator request records: its action, its body as the filter, and its queue. */
  public Entry entry(Request req, String queue) {
    return new Entry(req, queue);
  }

  public final class Entry {
    private final Request req;
    private final String queue;

    private Entry(Request req, String queue) {
      this.req = req;
      this.queue = queue;
    }

    public Future<Void> record(Tx tx, long affected) {
      return AuditTrail.this.record(tx, req, req.action(), queue, req.body(), affected);
    }

    /** {@code work} (which answers the rows it affected), followed in its transaction by the audit row. */
    public <T extends Number> Function<Tx, Future<T>> around(Function<Tx, Future<T>> work) {
      return tx -> work.apply(tx).compose(n -> record(tx, n.longValue()).map(n));
    }
  }
}
