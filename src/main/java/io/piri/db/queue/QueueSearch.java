package io.piri.db.queue;

import io.piri.db.backend.Database;
import io.piri.db.backend.Row;
import io.piri.db.backend.Rows;
import io.piri.db.backend.Statements;
import io.piri.db.backend.Tx;
import io.piri.db.bus.BusException;
import io.piri.db.bus.Request;
import io.piri.db.config.QueueConfig;
import io.piri.db.core.DbException;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * {@code search}: one page of a queue's jobs found by one index, live jobs first, then dead
 * letters, from a keyset cursor. Each page is one read with a statement timeout, so that no
 * search holds a read connection for long, whatever it finds.
 */
record QueueSearch(Database db, Statements sql, Transitions transitions) {
  /** Operators' reads stop after this (docs/console.md: every console query is bounded). */
  static final long TIMEOUT_MS = 2_000;

  /** Where each row's cursor waits until the page is complete (never sent). */
  private static final String CURSOR = "\0cursor";

  QueueSearch(Database db, Transitions transitions) {
    this(db, db.sql("search"), transitions);
  }

  /** The action: validates everything first, writes the states the store knows to be due, then reads. */
  Future<JsonObject> handle(Request req, Function<Request, QueueConfig> queue) {
    req.only(Set.of("queue", "state", "by", "limit", "after"));
    SearchQuery s = SearchQuery.of(queue.apply(req), req);
    return transitions.settle(List.of(s.queue())).compose(v -> search(s));
  }

  Future<JsonObject> search(SearchQuery s) {
    return db.readWithTimeout(TIMEOUT_MS, tx -> page(tx, s))
        .recover(e -> Future.failedFuture(e instanceof DbException d && d.kind() == DbException.Kind.TIMEOUT
            ? BusException.unavailable("search of queue '" + s.queue().name() + "' ran past its " + TIMEOUT_MS
                + " ms limit and was stopped; narrow it: a state, a longer error prefix, a shorter time range, a smaller limit")
            : e));
  }

  private Future<JsonObject> page(Tx tx, SearchQuery s) {
    List<JsonObject> jobs = new ArrayList<>();
    Future<Void> chain = Future.succeededFuture();
    for (boolean dead : s.parts()) {
      SearchQuery.Cursor from = s.after() != null && s.after().dead() == dead ? s.after() : null;
      chain = chain.compose(v -> jobs.size() >= s.limit() ? Future.<Void>succeededFuture() : part(tx, s, dead, from, jobs));
    }
    return chain.map(v -> {
      String next = jobs.size() < s.limit() ? null : ((SearchQuery.Cursor) jobs.get(jobs.size() - 1).remove(CURSOR)).encode();
      JsonArray out = new JsonArray();
      for (JsonObject j : jobs) {
        j.remove(CURSOR);
        out.add(j);
      }
      return new JsonObject().put("jobs", out).put("next", next);
    });
  }

  /** Rows of one part after {@code from} (null: from its start) until the page is full. */
  private Future<Void> part(Tx tx, SearchQuery s, boolean dead, SearchQuery.Cursor from, List<JsonObject> jobs) {
    String prefix = dead ? "dead-" : "live-";
    long afterId = from == null ? 0 : from.id();
    if (!s.kind().twoKeys) {
      List<Object> p = params(s, dead);
      if (s.value() != null) p.add(s.value());
      if (s.value2() != null) p.add(s.value2());
      p.add(afterId);
      p.add(s.limit() - jobs.size());
      return tx.run(sql.get(prefix + s.kind().sql), p.toArray()).map(rows -> add(rows, s, dead, jobs));
    }
    // Two keys: the rest of the cursor's key (its ids after the cursor's), then the keys after it.
    Object key = from != null ? from.key() : s.value();
    Object upper = s.kind() == SearchQuery.Kind.ERROR ? successor((String) s.value()) : s.value2();
    List<Object> at = params(s, dead);
    at.add(key);
    at.add(afterId);
    at.add(s.limit() - jobs.size());
    return tx.run(sql.get(prefix + s.kind().sql + "-at"), at.toArray()).compose(rows -> {
      add(rows, s, dead, jobs);
      if (jobs.size() >= s.limit()) return Future.succeededFuture();
      List<Object> after = params(s, dead);
      after.add(key);
      after.add(upper);
      after.add(s.limit() - jobs.size());
      return tx.run(sql.get(prefix + s.kind().sql + "-after"), after.toArray()).map(more -> add(more, s, dead, jobs));
    });
  }

  private static List<Object> params(SearchQuery s, boolean dead) {
    List<Object> p = new ArrayList<>();
    p.add(s.queue().name());
    if (!dead) p.add(s.state());
    return p;
  }

  private static Void add(Rows rows, SearchQuery s, boolean dead, List<JsonObject> jobs) {
    for (Row r : rows) {
      JsonObject j = dead ? deadRow(r) : liveRow(r);
      long id = s.kind() == SearchQuery.Kind.FIELD ? j.getLong("id") : dead ? j.getLong("dead_id") : j.getLong("id");
      Object key = switch (s.kind()) {
        case ERROR -> r.string("err_key");
        case TIME -> dead ? j.getLong("failed_at") : j.getLong("enqueued_at");
        default -> null;
      };
      jobs.add(j.put(CURSOR, new SearchQuery.Cursor(dead, key, id)));
    }
    return null;
  }

  private static JsonObject liveRow(Row r) {
    JsonObject j = new JsonObject().put("id", r.longValue("id")).put("state", r.string("state")).put("name", r.string("name"))
        .put("attempts", r.intValue("attempts")).put("max_attempts", r.intValue("max_attempts"))
        .put("enqueued_at", r.longValue("enqueued_at")).put("run_at", r.longValue("run_at")).put("last_error", r.string("last_error"));
    return payload(j, r);
  }

  private static JsonObject deadRow(Row r) {
    JsonObject j = new JsonObject().put("id", r.longValue("job_id")).put("dead_id", r.longValue("dead_id")).put("state", "dead")
        .put("name", r.string("name")).put("attempts", r.intValue("attempts")).put("enqueued_at", r.longValue("enqueued_at"))
        .put("failed_at", r.longValue("failed_at")).put("reason", r.string("reason")).put("error", r.string("error"));
    return payload(j, r);
  }

  private static JsonObject payload(JsonObject j, Row r) {
    byte[] payload = r.bytes("payload");
    if (r.longValue("is_json") == 1) return j.put("payload", Json.decodeValue(Buffer.buffer(payload)));
    return j.put("payload_base64", Base64.getEncoder().encodeToString(payload));
  }

  /**
   * The least text after every text that starts with {@code prefix}, in code-point order (the
   * order of SQLite's BINARY and PostgreSQL's "C" collation over UTF-8): the prefix with its last
   * code point raised by one, skipping the surrogate range.
   */
  static String successor(String prefix) {
    int[] cps = prefix.codePoints().toArray();
    for (int i = cps.length - 1; i >= 0; i--) {
      if (cps[i] < Character.MAX_CODE_POINT) {
        cps[i] = cps[i] == 0xD7FF ? 0xE000 : cps[i] + 1;
        return new String(cps, 0, i + 1);
      }
    }
    return new String(Character.toChars(Character.MAX_CODE_POINT)).repeat(SearchQuery.MAX_PREFIX + 1);
  }
}
