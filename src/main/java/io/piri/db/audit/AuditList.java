package io.piri.db.audit;

import io.piri.db.backend.Database;
import io.piri.db.backend.Row;
import io.piri.db.backend.Statements;
import io.piri.db.bus.Request;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Set;

/**
 * {@code audit-list}: a store's audit rows, newest first, a page of {@code limit} (1..1000,
 * default 100) before {@code before_id}; {@code next_before_id} is null on the last page.
 */
public final class AuditList {
  static final int MAX_LIMIT = 1000;

  private final Database db;
  private final Statements sql;

  public AuditList(Database db) {
    this.db = db;
    this.sql = db.sql("audit");
  }

  public Future<JsonObject> handle(Request req) {
    req.only(Set.of("limit", "before_id"));
    int limit = req.optInt("limit", 1, MAX_LIMIT, 100);
    Long before = req.optId("before_id", 1, Long.MAX_VALUE);
    return db.read(tx -> tx.run(sql.get("audit-page"), before == null ? Long.MAX_VALUE : before, limit)).map(rows -> {
      JsonArray out = new JsonArray();
      Long last = null;
      for (Row r : rows) {
        last = r.longValue("id");
        out.add(new JsonObject().put("id", last).put("at", r.longValue("at")).put("actor", r.string("actor"))
            .put("actor_role", r.string("actor_role")).put("via", r.string("via")).put("action", r.string("action"))
            .put("queue", r.string("queue")).put("filter", new JsonObject(r.string("filter"))).put("affected", r.longValue("affected")));
      }
      return new JsonObject().put("rows", out).put("next_before_id", rows.size() == limit ? last : null);
    });
  }
}
