package io.piri.db.queue;

import io.piri.db.backend.Database;
import io.piri.db.backend.Row;
import io.piri.db.backend.Statements;
import io.piri.db.bus.ActionGroup;
import io.piri.db.bus.ActionRouter;
import io.piri.db.bus.BusException;
import io.piri.db.bus.Request;
import io.piri.db.config.QueueConfig;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Operators' views of a queue's jobs (docs/event-bus.md): {@code jobs-page}, one state's jobs page
 * by page along the state index (a keyset cursor, never an offset, so every page costs the same);
 * {@code job-get}, one job, live or dead-lettered; {@code job-deliveries}, what each of its
 * deliveries came to ({@link Deliveries}). Reads only; each first waits for the due changes this
 * instance knows of, as {@code stats} does.
 */
public final class JobViews implements ActionGroup {
  private static final Set<String> STATES = Set.of(Counts.READY, Counts.SCHEDULED, Counts.RUNNING);
  /** A jobs-page cursor: the last row's run_at and id. */
  private static final Pattern CURSOR = Pattern.compile("(-?[0-9]{1,19}):([0-9]{1,19})");

  private final Database db;
  private final Statements sql;
  private final QueueRequests requests;
  private final Function<Collection<QueueConfig>, Future<Void>> settle;

  JobViews(Database db, QueueRequests requests, Function<Collection<QueueConfig>, Future<Void>> settle) {
    this.db = db;
    this.sql = db.sql("jobviews");
    this.requests = requests;
    this.settle = settle;
  }

  @Override
  public void register(ActionRouter router) {
    router.on("jobs-page", this::page)
        .on("job-get", this::get)
        .on("job-deliveries", this::deliveries);
  }

  private Future<JsonObject> page(Request req) {
    req.only(Set.of("queue", "state", "limit", "after"));
    QueueConfig q = requests.queue(req);
    String state = req.string("state");
    if (!STATES.contains(state)) throw BusException.invalid("field 'state' must be 'ready', 'scheduled' or 'running'");
    int limit = req.optInt("limit", 1, QueueRequests.MAX_BATCH, 100);
    long[] after = cursor(req.optString("after"));
    String due = state.equals(Counts.RUNNING) ? "lease_until" : "run_at";
    // One row more than asked tells whether a next page exists, so the last page says so.
    return settle.apply(List.of(q))
        .compose(v -> db.read(tx -> tx.run(sql.get("page"), q.name(), state, after[0], after[1], limit + 1)))
        .map(rows -> {
          JsonArray jobs = new JsonArray();
          String next = null;
          for (Row r : rows) {
            if (jobs.size() == limit) {
              JsonObject last = jobs.getJsonObject(limit - 1);
              next = last.getLong(due) + ":" + last.getLong("id");
              break;
            }
            jobs.add(new JsonObject().put("id", r.longValue("id")).put("name", r.string("name"))
                .put("attempts", r.intValue("attempts")).put("max_attempts", r.intValue("max_attempts"))
                .put("enqueued_at", r.longValue("enqueued_at")).put(due, r.longValue("run_at"))
                .put("last_error", r.string("last_error")).put("dedupe_key", hex(r.bytes("dedupe_key"))));
          }
          return new JsonObject().put("jobs", jobs).put("next", next);
        });
  }

  /** The position after which a page starts: before every row without a cursor. */
  private static long[] cursor(String after) {
    if (after == null) return new long[] {Long.MIN_VALUE, 0};
    Matcher m = CURSOR.matcher(after);
    try {
      if (m.matches()) return new long[] {Long.parseLong(m.group(1)), Long.parseLong(m.group(2))};
    } catch (NumberFormatException tooLarge) {
      // refused below, as any other text that no page gave
    }
    throw BusException.invalid("field 'after' must be the 'next' cursor of a previous page");
  }

  private Future<JsonObject> get(Request req) {
    req.only(Set.of("queue", "id"));
    QueueConfig q = requests.queue(req);
    long id = QueueRequests.id(req.body().getValue("id"), "id");
    return settle.apply(List.of(q)).compose(v -> db.read(tx -> tx.run(sql.get("get"), q.name(), id)
        .compose(live -> live.size() > 0 ? Future.succeededFuture(live(live.first()))
            : tx.run(sql.get("get-dead"), q.name(), id).map(dead -> dead.size() > 0 ? dead(dead.first()) : null))))
        .map(job -> {
          if (job == null) throw missing(q, id);
          return new JsonObject().put("job", job);
        });
  }

  private static JsonObject live(Row r) {
    String state = r.string("state");
    boolean running = state.equals(Counts.RUNNING);
    JsonObject j = new JsonObject().put("id", r.longValue("id")).put("name", r.string("name")).put("state", state);
    QueueEngine.putPayload(j, r);
    return j.put("attempts", r.intValue("attempts")).put("max_attempts", r.intValue("max_attempts"))
        .put("enqueued_at", r.longValue("enqueued_at"))
        .put("run_at", running ? null : r.longValue("run_at"))
        .put("lease_until", running ? r.longValue("run_at") : null)
        .put("lease_start", running ? r.optLong("lease_start") : null)
        .put("extends", running ? r.intValue("lease_extends") : null)
        .put("last_error", r.string("last_error")).put("dedupe_key", hex(r.bytes("dedupe_key")));
  }

  private static JsonObject dead(Row r) {
    JsonObject j = new JsonObject().put("id", r.longValue("job_id")).put("dead_id", r.longValue("id"))
        .put("name", r.string("name")).put("state", "dead");
    QueueEngine.putPayload(j, r);
    return j.put("attempts", r.intValue("attempts")).put("enqueued_at", r.longValue("enqueued_at"))
        .put("reason", r.string("reason")).put("error", r.string("error")).put("failed_at", r.longValue("failed_at"))
        .put("dedupe_key", hex(r.bytes("dedupe_key")));
  }

  /**
   * Every delivery of a job, oldest first: the ended ones as recorded, then the one running now,
   * from the job row. The cursor is the last attempt shown.
   */
  private Future<JsonObject> deliveries(Request req) {
    req.only(Set.of("queue", "id", "limit", "after"));
    QueueConfig q = requests.queue(req);
    long id = QueueRequests.id(req.body().getValue("id"), "id");
    int limit = req.optInt("limit", 1, QueueRequests.MAX_BATCH, 100);
    long after = req.has("after") ? Request.id(req.body().getValue("after"), "after", 0, Integer.MAX_VALUE) : 0;
    return settle.apply(List.of(q)).compose(v -> db.read(tx -> tx.run(sql.get("get"), q.name(), id)
        .compose(live -> {
          Row job = live.first();
          Future<Boolean> known = job != null ? Future.succeededFuture(true)
              : tx.run(sql.get("get-dead"), q.name(), id).map(dead -> dead.size() > 0);
          return known.compose(found -> {
            if (!found) return Future.failedFuture(missing(q, id));
            return tx.run(sql.get("deliveries"), id, after, limit + 1).map(rows -> {
              JsonArray out = new JsonArray();
              for (Row r : rows) {
                out.add(new JsonObject().put("attempt", r.intValue("attempt")).put("lease_start", r.optLong("lease_start"))
                    .put("lease_end", r.longValue("lease_end")).put("extends", r.intValue("extends"))
                    .put("outcome", r.string("outcome")).put("error", r.string("error")));
              }
              if (job != null && job.string("state").equals(Counts.RUNNING) && job.intValue("attempts") > after) {
                out.add(new JsonObject().put("attempt", job.intValue("attempts")).put("lease_start", job.optLong("lease_start"))
                    .put("lease_end", job.longValue("run_at")).put("extends", job.intValue("lease_extends"))
                    .put("outcome", Deliveries.RUNNING).putNull("error"));
              }
              String next = null;
              if (out.size() > limit) {
                while (out.size() > limit) out.remove(out.size() - 1);
                next = String.valueOf(out.getJsonObject(limit - 1).getInteger("attempt"));
              }
              return new JsonObject().put("deliveries", out).put("next", next);
            });
          });
        })));
  }

  private static BusException missing(QueueConfig q, long id) {
    return BusException.notFound("job " + id + " is not in queue '" + q.name() + "' (nor among its dead letters)");
  }

  private static String hex(byte[] key) {
    return key == null ? null : HexFormat.of().formatHex(key);
  }
}
