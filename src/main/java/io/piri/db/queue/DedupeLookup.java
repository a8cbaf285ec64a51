package io.piri.db.queue;

import io.piri.db.backend.Database;
import io.piri.db.backend.Row;
import io.piri.db.backend.Rows;
import io.piri.db.backend.Statements;
import io.piri.db.bus.ActionGroup;
import io.piri.db.bus.ActionRouter;
import io.piri.db.bus.BusException;
import io.piri.db.bus.Request;
import io.piri.db.config.PiriConfig;
import io.piri.db.config.QueueConfig;
import io.piri.db.core.StoreId;
import io.vertx.core.Future;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * {@code dedupe-lookup}: where a dedupe key of a queue is, for an operator who wonders why a job
 * was skipped: held by a live job, recorded as completed or dead-lettered ({@code job_done}), in
 * a dead letter, or nowhere. The key is given as enqueued ({@code dedupe_key}), or as the payload
 * whose hash it is when none was given. Changes nothing.
 */
public final class DedupeLookup implements ActionGroup {
  /**
   * Dead letters looked at, newest first: job_dead has no index by key, so the lookup reads a
   * bounded window of the queue's dead letters (in its (queue, id) index) and says how many.
   */
  static final int DEAD_WINDOW = 10_000;
  private static final int MAX_KEY_CHARS = 1024;

  private final Map<String, QueueConfig> queues = new HashMap<>();
  private final QueueRequests requests;
  private final Database db;
  private final Statements sql;

  public DedupeLookup(StoreId store, PiriConfig config, Database db) {
    config.queues().values().stream().filter(q -> q.store().equals(store.id())).forEach(q -> queues.put(q.name(), q));
    this.requests = new QueueRequests(queues);
    this.db = db;
    this.sql = db.sql("dedupe");
  }

  @Override
  public void register(ActionRouter router) {
    router.on("dedupe-lookup", this::lookup).jsonKeptAsBytes("dedupe-lookup", "payload");
  }

  private Future<JsonObject> lookup(Request req) {
    req.only(Set.of("queue", "name", "dedupe_key", "payload", "payload_base64"));
    QueueConfig q = requests.queue(req);
    if (!q.dedupe()) {
      throw BusException.invalid("field 'queue': queue '" + q.name() + "' does not dedupe (queues." + q.name()
          + ".dedupe is false), so its jobs hold no key");
    }
    String name = req.string("name");
    if (!QueueRequests.NAME.matcher(name).matches()) throw BusException.invalid("field 'name' must be 1..128 letters, digits or _-.:");
    byte[] key = key(req, name);
    return db.read(tx -> tx.run(sql.get("dedupe-live"), q.name(), name, key)
        .compose(live -> tx.run(sql.get("dedupe-done"), q.name(), name, key)
            .compose(done -> tx.run(sql.get("dedupe-dead"), q.name(), name, key, (long) DEAD_WINDOW)
                .map(dead -> reply(q, name, live, done, dead)))));
  }

  /** The stored key: SHA-256 of the given key, or of the name and the payload (as enqueue makes it). */
  private static byte[] key(Request req, String name) {
    int given = (req.has("dedupe_key") ? 1 : 0) + (req.has("payload") ? 1 : 0) + (req.has("payload_base64") ? 1 : 0);
    if (given != 1) throw BusException.invalid("exactly one of 'dedupe_key', 'payload' and 'payload_base64' is required");
    if (req.has("dedupe_key")) {
      String k = req.string("dedupe_key");
      if (k.isEmpty() || k.length() > MAX_KEY_CHARS) throw BusException.invalid("field 'dedupe_key' must be 1..1024 characters");
      return QueueRequests.dedupeKey(name, null, k);
    }
    byte[] payload;
    if (req.has("payload")) {
      payload = Json.encode(req.body().getValue("payload")).getBytes(StandardCharsets.UTF_8);
    } else {
      try {
        payload = Base64.getDecoder().decode(req.string("payload_base64"));
      } catch (IllegalArgumentException e) {
        throw BusException.invalid("field 'payload_base64' is not valid base64");
      }
    }
    return QueueRequests.dedupeKey(name, payload, null);
  }

  private static JsonObject reply(QueueConfig q, String name, Rows live, Rows done, Rows dead) {
    JsonObject out = new JsonObject().put("queue", q.name()).put("name", name);
    Row l = live.size() == 0 ? null : live.first();
    out.put("live", l == null ? null : new JsonObject().put("id", l.longValue("id")).put("state", l.string("state"))
        .put("run_at", l.longValue("run_at")).put("attempts", l.intValue("attempts")).put("max_attempts", l.intValue("max_attempts")));
    Row d = done.size() == 0 ? null : done.first();
    out.put("done", d == null ? null : new JsonObject().put("status", d.intValue("status") == 1 ? "completed" : "dead_lettered")
        .put("done_at", d.longValue("done_at")));
    Row w = dead.first();
    Long deadId = w.optLong("id");
    long seen = w.longValue("seen");
    out.put("dead", deadId == null ? null : new JsonObject().put("id", deadId));
    out.put("dead_window", new JsonObject().put("searched", seen).put("complete", seen < DEAD_WINDOW));
    String found;
    if (l != null) found = "live";
    else if (deadId != null) found = "dead";
    else if (d != null) found = d.intValue("status") == 1 ? "completed" : "dead_lettered";
    else found = seen < DEAD_WINDOW ? "nowhere" : "not_in_window";
    return out.put("found", found);
  }
}
