package io.piri.db.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.piri.db.core.StoreId;
import io.piri.db.config.PiriConfig;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

/** The console's HTTP API: roles, tokens, logins, origin checks, bad input, redaction, prefix. */
public abstract class ConsoleApiTestBase extends ConsoleTestBase {
  private static final Set<String> OPEN_CHANGES = Set.of("/api/login", "/api/logout");

  private JsonArray routes() throws Exception {
    HttpResponse<String> r = get("api/routes");
    assertEquals(200, r.statusCode(), r.body());
    return json(r).getJsonArray("routes");
  }

  private static String fill(String path, long deadId) {
    return path.substring(1).replace(":queue", "replication").replace(":id", String.valueOf(deadId));
  }

  private static JsonObject bodyFor(String path, long deadId) {
    if (path.endsWith("/requeue") || path.endsWith("/purge")) return new JsonObject().put("ids", new JsonArray().add(deadId));
    if (path.endsWith("/tokens/revoke")) return new JsonObject().put("name", "otto");
    return new JsonObject();
  }

  @Test
  void everyRouteThatChangesSomethingIs401WithoutTokenAnd403ForAViewerAndChangesNothing() throws Exception {
    startConsole();
    List<Long> dead = deadLetters("replication", StoreId.REPLICATOR, 3);
    call(StoreId.REPLICATOR, "enqueue", new JsonObject().put("queue", "replication").put("name", "live").put("payload", 1));
    JsonObject before = queueState();
    List<TokenFile.Entry> tokensBefore = new TokenFile(config.dataDir()).list();
    int checked = 0;
    for (Object o : routes()) {
      JsonObject route = (JsonObject) o;
      String method = route.getString("method");
      String path = route.getString("path");
      String role = route.getString("role");
      if (method.equals("GET")) continue;
      if (OPEN_CHANGES.contains(path)) {
        assertEquals("none", role, path);
        continue;
      }
      // Nothing that changes state may be open to viewers: a new route is covered by this loop.
      assertTrue(role.equals("operator") || role.equals("admin"), path + " needs only " + role);
      HttpResponse<String> none = post(fill(path, dead.get(0)), null, bodyFor(path, dead.get(0)));
      assertEquals(401, none.statusCode(), path + ": " + none.body());
      assertEquals("unauthenticated", json(none).getString("error"), path);
      HttpResponse<String> asViewer = post(fill(path, dead.get(0)), viewer, bodyFor(path, dead.get(0)));
      assertEquals(403, asViewer.statusCode(), path + ": " + asViewer.body());
      assertEquals("forbidden", json(asViewer).getString("error"), path);
      if (role.equals("admin")) {
        HttpResponse<String> asOperator = post(fill(path, dead.get(0)), operator, bodyFor(path, dead.get(0)));
        assertEquals(403, asOperator.statusCode(), path + ": " + asOperator.body());
      }
      checked++;
    }
    assertTrue(checked >= 7, "routes checked: " + checked);
    assertEquals(before, queueState());
    assertEquals(tokensBefore, new TokenFile(config.dataDir()).list());
  }

  @Test
  void anOperatorRequeuesAndPurgesAndTheStoreIsToldWho() throws Exception {
    startConsole();
    List<Long> dead = deadLetters("replication", StoreId.REPLICATOR, 3);
    Map<String, String> actors = new ConcurrentHashMap<>();
    vertx.eventBus().addOutboundInterceptor(ctx -> {
      var m = ctx.message();
      String action = m.headers().get("action");
      if (action != null && action.startsWith("dead-")) actors.put(action, m.headers().get("actor") + "/" + m.headers().get("via"));
      ctx.next();
    });
    HttpResponse<String> r = post("api/queues/replication/dead/requeue", operator, new JsonObject().put("ids", new JsonArray().add(dead.get(1))));
    assertEquals(200, r.statusCode(), r.body());
    assertEquals(1, json(r).getInteger("requeued"));
    JsonObject stats = call(StoreId.REPLICATOR, "stats", new JsonObject()).getJsonObject("queues").getJsonObject("replication");
    assertEquals(2, stats.getLong("dead"));
    assertEquals(1, stats.getLong("ready"));
    r = post("api/queues/replication/dead/purge", admin, new JsonObject().put("ids", new JsonArray().add(dead.get(0))));
    assertEquals(200, r.statusCode(), r.body());
    assertEquals(1, json(r).getInteger("purged"));
    JsonArray left = json(get("api/queues/replication/dead")).getJsonArray("jobs");
    assertEquals(1, left.size());
    assertEquals(dead.get(2), left.getJsonObject(0).getLong("id"));
    assertEquals("otto/console", actors.get("dead-requeue"));
    assertEquals("ada/console", actors.get("dead-purge"));

    JsonObject newest = json(get("api/audit?store=replicator&limit=1"));
    assertEquals("replicator", newest.getString("store"));
    JsonObject purged = newest.getJsonArray("rows").getJsonObject(0);
    assertEquals("ada", purged.getString("actor"));
    assertEquals("admin", purged.getString("actor_role"));
    assertEquals("console", purged.getString("via"));
    assertEquals("dead-purge", purged.getString("action"));
    assertEquals(new JsonObject().put("queue", "replication").put("ids", new JsonArray().add(dead.get(0))), purged.getJsonObject("filter"));
    assertEquals(1, purged.getLong("affected"));
    JsonObject older = json(get("api/audit?store=replicator&limit=1&after=" + newest.getString("next")));
    JsonObject requeued = older.getJsonArray("rows").getJsonObject(0);
    assertEquals("otto", requeued.getString("actor"));
    assertEquals("dead-requeue", requeued.getString("action"));
    assertNull(json(get("api/audit?store=replicator&after=" + requeued.getLong("id"))).getValue("next"));
    assertEquals(0, json(get("api/audit?store=scheduler")).getJsonArray("rows").size());
  }

  @Test
  void badInputIs400NamingTheFieldAndChangesNothing() throws Exception {
    startConsole();
    deadLetters("replication", StoreId.REPLICATOR, 2);
    JsonObject before = queueState();
    assertBad(get("api/queues/replication/dead?limit=0"), "limit");
    assertBad(get("api/queues/replication/dead?limit=1001"), "limit");
    assertBad(get("api/queues/replication/dead?after=abc"), "after");
    assertBad(get("api/queues/replication/jobs?state=dead"), "state");
    assertBad(get("api/tasks/history?task_id=-3"), "task_id");
    assertBad(post("api/queues/replication/dead/requeue", operator, new JsonObject().put("ids", "1")), "ids");
    assertBad(post("api/queues/replication/dead/requeue", operator, new JsonObject().put("ids", new JsonArray())), "ids");
    assertBad(post("api/queues/replication/dead/purge", operator, new JsonObject().put("ids", new JsonArray().add(1).add(-2))), "ids[1]");
    assertBad(post("api/queues/replication/dead/purge", operator, new JsonObject().put("all", false)), "all");
    assertBad(post("api/queues/replication/dead/purge", operator, new JsonObject().put("all", true).put("ids", new JsonArray().add(1))), "ids");
    assertBad(post("api/queues/replication/dead/purge", operator, new JsonObject().put("every", true)), "every");
    HttpResponse<String> notJson = send(request("api/queues/replication/dead/purge").header("Authorization", "Bearer " + operator)
        .POST(java.net.http.HttpRequest.BodyPublishers.ofString("[1,2]")));
    assertBad(notJson, "body");
    HttpResponse<String> unknown = get("api/queues/nope/dead");
    assertEquals(404, unknown.statusCode(), unknown.body());
    assertTrue(json(unknown).getString("message").contains("nope"), unknown.body());
    assertEquals(404, get("api/queues/replication/dead/999999").statusCode());
    assertEquals(before, queueState());
  }

  private static void assertBad(HttpResponse<String> r, String field) {
    assertEquals(400, r.statusCode(), r.body());
    assertEquals("invalid_argument", json(r).getString("error"), r.body());
    assertTrue(json(r).getString("message").contains("'" + field + "'"), r.body());
  }

  @Test
  void aLoginSetsAnHttpOnlyStrictCookieAndCookieChangesMustComeFromThisOrigin() throws Exception {
    startConsole();
    List<Long> dead = deadLetters("replication", StoreId.REPLICATOR, 3);
    String origin = "http://127.0.0.1:" + config.http().port();
    HttpResponse<String> wrong = send(request("api/login").header("Origin", origin)
        .POST(java.net.http.HttpRequest.BodyPublishers.ofString(new JsonObject().put("token", "pdbc_nope").encode())));
    assertEquals(401, wrong.statusCode(), wrong.body());
    assertTrue(wrong.headers().allValues("Set-Cookie").isEmpty());
    HttpResponse<String> noOrigin = send(request("api/login")
        .POST(java.net.http.HttpRequest.BodyPublishers.ofString(new JsonObject().put("token", operator).encode())));
    assertEquals(403, noOrigin.statusCode(), noOrigin.body());

    HttpResponse<String> ok = send(request("api/login").header("Origin", origin)
        .POST(java.net.http.HttpRequest.BodyPublishers.ofString(new JsonObject().put("token", operator).encode())));
    assertEquals(200, ok.statusCode(), ok.body());
    assertEquals("operator", json(ok).getString("role"));
    String setCookie = ok.headers().firstValue("Set-Cookie").orElseThrow();
    assertTrue(setCookie.startsWith("piri_console="), setCookie);
    String flags = setCookie.toLowerCase(java.util.Locale.ROOT);
    assertTrue(flags.contains("; httponly"), setCookie);
    assertTrue(flags.contains("; samesite=strict"), setCookie);
    assertTrue(flags.contains("; path=/"), setCookie);
    assertFalse(setCookie.contains(operator), "the cookie is a session id, not the token");
    String cookie = setCookie.substring(0, setCookie.indexOf(';'));

    JsonObject who = json(send(request("api/session").header("Cookie", cookie)));
    assertEquals("otto", who.getString("name"));
    assertEquals("operator", who.getString("role"));
    assertEquals("cookie", who.getString("via"));

    JsonObject before = queueState();
    String requeue = new JsonObject().put("ids", new JsonArray().add(dead.get(0))).encode();
    HttpResponse<String> bare = send(request("api/queues/replication/dead/requeue").header("Cookie", cookie)
        .POST(java.net.http.HttpRequest.BodyPublishers.ofString(requeue)));
    assertEquals(403, bare.statusCode(), bare.body());
    HttpResponse<String> foreign = send(request("api/queues/replication/dead/requeue").header("Cookie", cookie)
        .header("Origin", "http://evil.example").POST(java.net.http.HttpRequest.BodyPublishers.ofString(requeue)));
    assertEquals(403, foreign.statusCode(), foreign.body());
    HttpResponse<String> bearerForeign = send(request("api/queues/replication/dead/requeue").header("Authorization", "Bearer " + operator)
        .header("Origin", "http://evil.example").POST(java.net.http.HttpRequest.BodyPublishers.ofString(requeue)));
    assertEquals(403, bearerForeign.statusCode(), bearerForeign.body());
    assertEquals(before, queueState());
    HttpResponse<String> same = send(request("api/queues/replication/dead/requeue").header("Cookie", cookie)
        .header("Referer", origin + "/#/queues/replication/dead").POST(java.net.http.HttpRequest.BodyPublishers.ofString(requeue)));
    assertEquals(200, same.statusCode(), same.body());
    assertEquals(1, json(same).getInteger("requeued"));

    // Revoking the token ends the login made with it.
    assertTrue(new TokenFile(config.dataDir()).revoke("otto"));
    JsonObject after = json(send(request("api/session").header("Cookie", cookie)));
    assertNull(after.getString("role"), after.encode());
    assertEquals(401, post("api/queues/replication/dead/purge", operator, new JsonObject().put("all", true)).statusCode());
  }

  @Test
  void logoutEndsTheSession() throws Exception {
    startConsole();
    String origin = "http://127.0.0.1:" + config.http().port();
    HttpResponse<String> ok = send(request("api/login").header("Origin", origin)
        .POST(java.net.http.HttpRequest.BodyPublishers.ofString(new JsonObject().put("token", admin).encode())));
    String cookie = ok.headers().firstValue("Set-Cookie").orElseThrow().split(";")[0];
    assertEquals("admin", json(send(request("api/session").header("Cookie", cookie))).getString("role"));
    HttpResponse<String> out = send(request("api/logout").header("Cookie", cookie).header("Origin", origin)
        .POST(java.net.http.HttpRequest.BodyPublishers.noBody()));
    assertEquals(200, out.statusCode(), out.body());
    assertTrue(out.headers().firstValue("Set-Cookie").orElseThrow().contains("Max-Age=0"));
    assertNull(json(send(request("api/session").header("Cookie", cookie))).getString("role"));
  }

  @Test
  void readsWithoutTokenCanBeRefused() throws Exception {
    PiriConfig.Console c = config.console();
    config = config.withConsole(new PiriConfig.Console(true, c.prefix(), false, c.revealPayloads(), c.sessionTtl(), c.origins()));
    startConsole();
    assertEquals(401, get("api/queues").statusCode());
    assertEquals(401, get("api/events").statusCode());
    assertEquals(200, get("api/queues", viewer).statusCode());
    assertEquals(200, get("api/session").statusCode());
  }

  @Test
  void payloadsAreRedactedUntilAnOperatorRevealsOne() throws Exception {
    startConsole();
    List<Long> dead = deadLetters("replication", StoreId.REPLICATOR, 1);
    JsonObject page = json(get("api/queues/replication/dead"));
    JsonObject row = page.getJsonArray("jobs").getJsonObject(0);
    assertFalse(row.containsKey("payload"), row.encode());
    assertFalse(page.encode().contains("s-0"), page.encode());
    assertEquals("json", row.getJsonObject("payload_redacted").getString("kind"));
    assertEquals(new JsonObject().put("secret", "s-0").encode().length(), row.getJsonObject("payload_redacted").getInteger("bytes"));
    JsonObject one = json(get("api/queues/replication/dead/" + dead.get(0), viewer)).getJsonObject("job");
    assertFalse(one.containsKey("payload"), one.encode());
    HttpResponse<String> shown = post("api/queues/replication/dead/" + dead.get(0) + "/reveal", operator, new JsonObject());
    assertEquals(200, shown.statusCode(), shown.body());
    assertEquals("s-0", json(shown).getJsonObject("job").getJsonObject("payload").getString("secret"));
  }

  @Test
  void aQueueNamedInRevealPayloadsIsShownToEveryReader() throws Exception {
    PiriConfig.Console c = config.console();
    config = config.withConsole(new PiriConfig.Console(true, c.prefix(), true, List.of("replication"), c.sessionTtl(), c.origins()));
    startConsole();
    deadLetters("replication", StoreId.REPLICATOR, 1);
    deadLetters("manager", StoreId.AGGREGATOR, 1);
    assertEquals("s-0", json(get("api/queues/replication/dead")).getJsonArray("jobs").getJsonObject(0)
        .getJsonObject("payload").getString("secret"));
    assertFalse(json(get("api/queues/manager/dead")).getJsonArray("jobs").getJsonObject(0).containsKey("payload"));
  }

  @Test
  void overviewCountsAreTheStoresStats() throws Exception {
    startConsole();
    deadLetters("replication", StoreId.REPLICATOR, 2);
    call(StoreId.AGGREGATOR, "enqueue", new JsonObject().put("queue", "manager").put("name", "m").put("payload", 1));
    call(StoreId.AGGREGATOR, "enqueue", new JsonObject().put("queue", "manager").put("name", "m").put("payload", 2).put("delay_ms", 600_000));
    JsonObject queues = json(get("api/queues")).getJsonObject("queues");
    assertEquals(config.queues().keySet(), queues.fieldNames());
    for (StoreId s : StoreId.values()) {
      if (!s.holdsQueues()) continue;
      JsonObject stats = call(s, "stats", new JsonObject()).getJsonObject("queues");
      stats.forEach(e -> {
        JsonObject shown = queues.getJsonObject(e.getKey());
        for (String k : List.of("ready", "scheduled", "running", "dead", "done")) {
          assertEquals(((JsonObject) e.getValue()).getLong(k), shown.getLong(k), e.getKey() + "." + k);
        }
        assertEquals(s.id(), shown.getString("store"));
      });
    }
    assertNotNull(queues.getJsonObject("manager").getLong("lag_ms"));
    assertNull(queues.getJsonObject("replication").getLong("lag_ms"));
    assertEquals(2, queues.getJsonObject("manager").getJsonObject("rates").getJsonObject("current").getLong("enqueued"));
  }

  /**
   * The charts' route reads the store's rollups: a minute shows once the store's test clock passed
   * its end, within the window (the console's own time, which the test clock started from).
   */
  @Test
  void rollupsOfAQueueAreReadForTheLastHourOrDay() throws Exception {
    startConsole();
    deadLetters("replication", StoreId.REPLICATOR, 2);
    long minute = clock.now() - Math.floorMod(clock.now(), 60_000L);
    clock.advanceTo(minute + 60_001);
    HttpResponse<String> hour = get("api/queues/replication/rollups", viewer);
    assertEquals(200, hour.statusCode(), hour.body());
    JsonArray minutes = json(hour).getJsonArray("minutes");
    assertEquals(1, minutes.size(), hour.body());
    JsonObject m = minutes.getJsonObject(0);
    assertEquals(minute, m.getLong("minute"));
    assertEquals(List.of(2L, 0L, 2L, 2L), List.of(m.getLong("enqueued"), m.getLong("completed"), m.getLong("failed"), m.getLong("dead")));
    assertNotNull(m.getValue("claim_p99_ms"), m.encode());
    JsonObject day = json(get("api/queues/replication/rollups?window=day", viewer));
    assertEquals(minutes, day.getJsonArray("minutes"));
    long span = day.getLong("to") - day.getLong("from");
    assertTrue(span <= 24 * 3_600_000L && span > 24 * 3_600_000L - 60_000, "a day's window, from a minute's start: " + day.encode());
    assertEquals(0, json(get("api/queues/replication/rollups?from=" + (minute - 3_600_000) + "&to=" + minute, viewer)).getJsonArray("minutes").size(), "to is exclusive");

    assertBad(get("api/queues/replication/rollups?window=week"), 400, "window");
    assertBad(get("api/queues/replication/rollups?from=yesterday"), 400, "from");
    assertBad(get("api/queues/replication/rollups?from=" + (minute + 1) + "&to=" + minute), 400, "from");
    assertBad(get("api/queues/replication/rollups?from=0&to=" + minute), 400, "1440 minutes");
    assertBad(get("api/queues/nope/rollups"), 404, "nope");
    JsonObject route = routes().stream().map(o -> (JsonObject) o)
        .filter(r -> r.getString("path").equals("/api/queues/:queue/rollups")).findFirst().orElseThrow();
    assertEquals("viewer", route.getString("role"));
  }

  private static void assertBad(HttpResponse<String> r, int status, String names) {
    assertEquals(status, r.statusCode(), r.body());
    if (names != null) assertTrue(json(r).getString("message").contains(names), r.body());
  }

  @Test
  void jobsPageByKeyAndAJobShowsItsPayloadRedactedAndItsDeliveries() throws Exception {
    startConsole();
    for (int i = 0; i < 5; i++) {
      call(StoreId.AGGREGATOR, "enqueue", new JsonObject().put("queue", "manager").put("name", "m" + i).put("payload",
          new JsonObject().put("secret", "s-" + i)));
    }
    call(StoreId.AGGREGATOR, "enqueue", new JsonObject().put("queue", "manager").put("name", "later").put("payload", 1).put("delay_ms", 60_000));
    JsonObject first = json(get("api/queues/manager/jobs?state=ready&limit=3"));
    assertEquals(3, first.getJsonArray("jobs").size());
    assertNull(first.getValue("partial"));
    JsonObject rest = json(get("api/queues/manager/jobs?state=ready&limit=3&after=" + first.getString("next")));
    assertEquals(2, rest.getJsonArray("jobs").size());
    assertNull(rest.getValue("next"));
    JsonObject scheduled = json(get("api/queues/manager/jobs?state=scheduled"));
    assertEquals("later", scheduled.getJsonArray("jobs").getJsonObject(0).getString("name"));
    HttpResponse<String> badCursor = get("api/queues/manager/jobs?state=ready&after=nope");
    assertEquals(400, badCursor.statusCode(), badCursor.body());
    assertTrue(json(badCursor).getString("message").contains("'after'"), badCursor.body());

    JsonObject claimed = call(StoreId.AGGREGATOR, "claim", new JsonObject().put("queue", "manager")).getJsonArray("jobs").getJsonObject(0);
    long id = claimed.getLong("id");
    call(StoreId.AGGREGATOR, "fail", new JsonObject().put("queue", "manager").put("id", id).put("receipt", claimed.getString("receipt"))
        .put("error", "disk full").put("retry_in_ms", 0));
    JsonObject job = json(get("api/queues/manager/jobs/" + id)).getJsonObject("job");
    assertEquals("m0", job.getString("name"));
    assertEquals("ready", job.getString("state"));
    assertEquals("disk full", job.getString("last_error"));
    assertFalse(job.containsKey("payload"), job.encode());
    assertEquals("json", job.getJsonObject("payload_redacted").getString("kind"));
    JsonObject shown = json(post("api/queues/manager/jobs/" + id + "/reveal", operator, new JsonObject())).getJsonObject("job");
    assertEquals("s-0", shown.getJsonObject("payload").getString("secret"));
    JsonArray deliveries = json(get("api/queues/manager/jobs/" + id + "/deliveries")).getJsonArray("deliveries");
    assertEquals(1, deliveries.size(), deliveries.encode());
    assertEquals("failed", deliveries.getJsonObject(0).getString("outcome"));
    assertEquals("disk full", deliveries.getJsonObject(0).getString("error"));
    assertEquals(404, get("api/queues/manager/jobs/999999").statusCode());
    assertEquals(404, get("api/queues/manager/jobs/999999/deliveries").statusCode());
  }

  @Test
  void anOperatorPausesAndResumesAQueueAndAViewerCannot() throws Exception {
    startConsole();
    call(StoreId.AGGREGATOR, "enqueue", new JsonObject().put("queue", "manager").put("name", "m").put("payload", 1));
    JsonObject before = queueState();
    HttpResponse<String> refused = post("api/queues/manager/pause", viewer, new JsonObject());
    assertEquals(403, refused.statusCode(), refused.body());
    assertEquals(before, queueState());
    assertEquals(0, json(get("api/audit?store=aggregator")).getJsonArray("rows").size());
    assertFalse(json(get("api/queues")).getJsonObject("queues").getJsonObject("manager").getBoolean("paused"));

    HttpResponse<String> paused = post("api/queues/manager/pause", operator, new JsonObject());
    assertEquals(200, paused.statusCode(), paused.body());
    assertEquals(new JsonObject().put("queue", "manager").put("paused", true).put("at", clock.now()).put("by", "otto"), json(paused));
    assertTrue(json(get("api/queues")).getJsonObject("queues").getJsonObject("manager").getBoolean("paused"));
    assertEquals(0, call(StoreId.AGGREGATOR, "claim", new JsonObject().put("queue", "manager")).getJsonArray("jobs").size());
    JsonObject row = json(get("api/audit?store=aggregator")).getJsonArray("rows").getJsonObject(0);
    assertEquals("pause", row.getString("action"));
    assertEquals("manager", row.getString("queue"));
    assertEquals("otto", row.getString("actor"));
    assertEquals("console", row.getString("via"));

    HttpResponse<String> resumed = post("api/queues/manager/resume", admin, new JsonObject());
    assertEquals(200, resumed.statusCode(), resumed.body());
    assertFalse(json(resumed).getBoolean("paused"));
    assertFalse(json(get("api/queues")).getJsonObject("queues").getJsonObject("manager").getBoolean("paused"));
    assertEquals(1, call(StoreId.AGGREGATOR, "claim", new JsonObject().put("queue", "manager")).getJsonArray("jobs").size());
    assertEquals(404, post("api/queues/nope/pause", operator, new JsonObject()).statusCode());
  }

  @Test
  void sessionsProofSetCountsAndTimelinesComeFromTheScheduler() throws Exception {
    startConsole();
    String session = call(StoreId.SCHEDULER, "session-open", new JsonObject().put("name", "w1").put("ttl_ms", 60_000)).getString("session");
    call(StoreId.SCHEDULER, "task-add", new JsonObject().put("name", "PDPProve"));
    call(StoreId.SCHEDULER, "task-claim", new JsonObject().put("session", session).put("names", new JsonArray().add("PDPProve")));
    JsonObject sessions = json(get("api/sessions"));
    assertEquals(1, sessions.getJsonArray("sessions").size(), sessions.encode());
    JsonObject s = sessions.getJsonArray("sessions").getJsonObject(0);
    assertEquals(session, s.getString("session"));
    assertEquals(1, s.getLong("tasks"));
    assertEquals(60_000, s.getLong("ttl_ms"));
    assertNotNull(s.getLong("heartbeat_age_ms"));

    String create = String.format("0x%064x", 1);
    call(StoreId.SCHEDULER, "ps-record-create", new JsonObject().put("create_message_hash", create));
    call(StoreId.SCHEDULER, "msg-confirm", new JsonObject().put("signed_tx_hash", create).put("block_number", 1).put("success", true));
    call(StoreId.SCHEDULER, "ps-materialize", new JsonObject().put("create_message_hash", create).put("proofset_id", 7)
        .put("proving_period", 2880).put("challenge_window", 20));
    JsonObject root = new JsonObject().put("root", "baga6ea4seaqrootaaaaaaab").put("subroot", "baga6ea4seaqrootaaaaaaab")
        .put("subroot_offset", 0).put("add_message_index", 0);
    call(StoreId.SCHEDULER, "roots-record-add", new JsonObject().put("proofset_id", 7).put("add_message_hash", String.format("0x%064x", 2))
        .put("rows", new JsonArray().add(root)));
    JsonObject list = json(get("api/proofsets"));
    assertNull(list.getValue("counts_missing"));
    JsonObject ps = list.getJsonArray("proof_sets").getJsonObject(0);
    assertEquals(0, ps.getLong("roots"));
    assertEquals(1, ps.getLong("pending_messages"));
    assertEquals(1, json(get("api/proofsets/7")).getJsonObject("proof_set").getLong("pending_messages"));
    JsonObject first = json(get("api/proofsets/7/timeline?limit=1"));
    assertEquals("created", first.getJsonArray("events").getJsonObject(0).getString("kind"));
    JsonObject rest = json(get("api/proofsets/7/timeline?after=" + first.getString("next")));
    assertEquals(List.of("roots_add", "init_ready"), rest.getJsonArray("events").stream()
        .map(o -> ((JsonObject) o).getString("kind")).toList());
    assertNull(rest.getValue("partial"));
    assertEquals(404, get("api/proofsets/8/timeline").statusCode());
  }

  @Test
  void underAPrefixTheConsoleMovesAndHealthAndMetricsStay() throws Exception {
    PiriConfig.Console c = config.console();
    config = config.withConsole(new PiriConfig.Console(true, "/console/", true, c.revealPayloads(), c.sessionTtl(), c.origins()));
    startConsole();
    String root = "http://127.0.0.1:" + config.http().port();
    var noRedirects = java.net.http.HttpClient.newBuilder().followRedirects(java.net.http.HttpClient.Redirect.NEVER).build();
    HttpResponse<String> bare = noRedirects.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(root + "/console")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals(301, bare.statusCode());
    assertEquals("/console/", bare.headers().firstValue("Location").orElse(""));
    HttpResponse<String> index = get("");
    assertEquals(200, index.statusCode());
    assertTrue(index.body().contains("piri-db console"), index.body());
    assertTrue(index.headers().firstValue("Content-Security-Policy").orElse("").contains("default-src 'self'"));
    assertEquals(200, get("app.js").statusCode());
    assertEquals(404, get("nope.js").statusCode());
    assertEquals(200, get("api/queues").statusCode());
    HttpResponse<String> oldPlace = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(root + "/api/queues")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals(404, oldPlace.statusCode());
    HttpResponse<String> health = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(root + "/health")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals(200, health.statusCode());
    assertEquals("UP", new JsonObject(health.body()).getString("status"));
    HttpResponse<String> metrics = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(root + "/metrics")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals(200, metrics.statusCode());
    assertTrue(metrics.body().contains("piri_db_queue_jobs"), metrics.body());
    HttpResponse<String> postHealth = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(root + "/health"))
        .POST(java.net.http.HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(405, postHealth.statusCode());
  }
}
