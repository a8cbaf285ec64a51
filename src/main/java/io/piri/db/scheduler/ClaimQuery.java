package io.piri.db.scheduler;

import io.piri.db.core.Clock;
import io.piri.db.backend.Database;
import io.piri.db.backend.Row;
import io.piri.db.backend.Statements;
import io.piri.db.backend.Tx;
import io.piri.db.bus.BusException;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One claim attempt, in one transaction: the session must be live; then, per requested type, an
 * UPDATE takes up to its share of runnable tasks ({@code session_id IS NULL}; on PostgreSQL the
 * candidates are locked {@code FOR UPDATE SKIP LOCKED}). {@code max} is shared across the types
 * round-robin (fixes D25's unfairness), and a type's {@code max_running} caps what one session
 * holds of it at once: the session's row stays locked until the claim commits, so two claims of
 * one session never count its holdings at the same time.
 */
record ClaimQuery(Database db, Statements sql, TaskTypes types, Clock clock) {
  Future<List<JsonObject>> run(String session, List<String> names, int max) {
    return db.write(conn -> {
      long now = clock.now();
      return conn.run(sql.get("session-for-claim"), session)
          .compose(rows -> {
            Row r = rows.first();
            if (r == null || r.longValue("expires_at") <= now) {
              return Future.failedFuture(BusException.notFound("field 'session': session '" + session + "' not found or expired"));
            }
            return allowances(conn, session, names);
          })
          .compose(allow -> new Round(conn, session, now, allow).claim(names, max));
    });
  }

  /** How many more tasks of each type the session may hold (Long.MAX_VALUE = no limit). */
  private Future<Map<String, Long>> allowances(Tx conn, String session, List<String> names) {
    Map<String, Long> allow = new HashMap<>();
    boolean limited = false;
    for (String n : names) {
      int cap = types.settings(n).maxRunning();
      allow.put(n, cap > 0 ? cap : Long.MAX_VALUE);
      limited |= cap > 0;
    }
    if (!limited) return Future.succeededFuture(allow);
    return conn.run(sql.get("task-held-by-name"), session).map(rows -> {
      for (Row r : rows) {
        String n = r.string("name");
        Long a = allow.get(n);
        if (a != null && a != Long.MAX_VALUE) allow.put(n, Math.max(0, a - r.longValue("held")));
      }
      return allow;
    });
  }

  /** The claims of one attempt: a fair share per type first, then what is left to types with more. */
  private final class Round {
    final Tx conn;
    final String session;
    final long now;
    final Map<String, Long> allow;
    final List<JsonObject> claimed = new ArrayList<>();
    final List<String> more = new ArrayList<>();

    Round(Tx conn, String session, long now, Map<String, Long> allow) {
      this.conn = conn;
      this.session = session;
      this.now = now;
      this.allow = allow;
    }

    Future<List<JsonObject>> claim(List<String> names, int max) {
      Future<Void> chain = Future.succeededFuture();
      for (int i = 0; i < names.size(); i++) {
        String name = names.get(i);
        int left = names.size() - i;
        chain = chain.compose(v -> {
          long remaining = max - claimed.size();
          long share = (remaining + left - 1) / left;
          long limit = Math.min(share, allow.get(name));
          return take(name, limit, true);
        });
      }
      chain = chain.compose(v -> {
        Future<Void> second = Future.succeededFuture();
        for (String name : more) {
          second = second.compose(x -> take(name, Math.min(max - claimed.size(), allow.get(name)), false));
        }
        return second;
      });
      return chain.map(v -> claimed);
    }

    private Future<Void> take(String name, long limit, boolean firstPass) {
      if (limit <= 0) return Future.succeededFuture();
      return conn.run(sql.get("task-claim"), session, now, name, now, limit)
          .map(rows -> {
            int got = 0;
            for (Row r : rows) {
              claimed.add(r.json("id", "name", "retries", "posted_time", "update_time"));
              got++;
            }
            allow.put(name, allow.get(name) == Long.MAX_VALUE ? Long.MAX_VALUE : allow.get(name) - got);
            if (firstPass && got == limit && allow.get(name) > 0) more.add(name);
            return null;
          });
    }
  }
}
