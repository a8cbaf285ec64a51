package io.piri.db.console;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.piri.db.core.StoreId;
import io.piri.db.server.PiriServer;
import io.piri.db.support.ServerTestBase;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A node with its console, tokens of each role, and helpers to reach its HTTP API and to put jobs
 * into a queue's dead letters through the real store actions.
 */
public abstract class ConsoleTestBase extends ServerTestBase {
  protected final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  protected PiriServer server;
  protected String viewer;
  protected String operator;
  protected String admin;

  /** Starts the node and creates one token per role in its data_dir. */
  protected void startConsole() throws Exception {
    server = startServer();
    TokenFile tokens = new TokenFile(config.dataDir());
    viewer = tokens.create("vera", Role.VIEWER);
    operator = tokens.create("otto", Role.OPERATOR);
    admin = tokens.create("ada", Role.ADMIN);
  }

  protected String base() {
    return "http://127.0.0.1:" + config.http().port() + config.console().prefix();
  }

  protected HttpRequest.Builder request(String path) {
    return HttpRequest.newBuilder(URI.create(base() + path)).timeout(Duration.ofSeconds(20));
  }

  protected HttpResponse<String> send(HttpRequest.Builder b) throws Exception {
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  protected HttpResponse<String> get(String path) throws Exception {
    return send(request(path));
  }

  protected HttpResponse<String> get(String path, String token) throws Exception {
    return send(request(path).header("Authorization", "Bearer " + token));
  }

  protected HttpResponse<String> post(String path, String token, JsonObject body) throws Exception {
    HttpRequest.Builder b = request(path).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body.encode()));
    if (token != null) b.header("Authorization", "Bearer " + token);
    return send(b);
  }

  protected static JsonObject json(HttpResponse<String> r) {
    return new JsonObject(r.body());
  }

  /** Enqueues {@code n} jobs and dead-letters them with permanent failures; returns the dead ids. */
  protected List<Long> deadLetters(String queue, StoreId store, int n) throws Exception {
    JsonArray jobs = new JsonArray();
    for (int i = 0; i < n; i++) jobs.add(new JsonObject().put("name", "job-" + i).put("payload", new JsonObject().put("secret", "s-" + i)));
    call(store, "enqueue-batch", new JsonObject().put("queue", queue).put("jobs", jobs));
    JsonArray claimed = call(store, "claim", new JsonObject().put("queue", queue).put("max", n)).getJsonArray("jobs");
    assertEquals(n, claimed.size());
    for (Object o : claimed) {
      JsonObject j = (JsonObject) o;
      call(store, "fail", new JsonObject().put("queue", queue).put("id", j.getLong("id")).put("receipt", j.getString("receipt"))
          .put("error", "boom " + j.getString("name")).put("permanent", true));
    }
    List<Long> ids = new ArrayList<>();
    Long after = null;
    do {
      JsonObject body = new JsonObject().put("queue", queue).put("limit", 1000);
      if (after != null) body.put("after_id", after);
      JsonObject page = call(store, "dead-list", body);
      page.getJsonArray("jobs").forEach(o -> ids.add(((JsonObject) o).getLong("id")));
      after = page.getLong("next_after_id");
    } while (after != null);
    return ids;
  }

  /** Everything a console change could touch in the queue stores: counts and dead letters. */
  protected JsonObject queueState() throws Exception {
    JsonObject out = new JsonObject();
    for (StoreId s : StoreId.values()) {
      if (!s.holdsQueues()) continue;
      JsonObject stats = call(s, "stats", new JsonObject()).getJsonObject("queues");
      out.put(s.id(), stats);
      for (String q : stats.fieldNames()) {
        out.put(s.id() + "/" + q + "/dead", call(s, "dead-list", new JsonObject().put("queue", q).put("limit", 1000)));
        out.put(s.id() + "/" + q + "/ready", call(s, "jobs", new JsonObject().put("queue", q).put("state", "ready").put("limit", 1000)));
      }
    }
    return out;
  }

  /** A {@code pin} job on the aggregator's dedupe queue, with {@code dedupeKey} unless null; its id. */
  protected long enqueuePin(Object payload, String dedupeKey) throws Exception {
    JsonObject body = new JsonObject().put("queue", "aggregator").put("name", "pin").put("payload", payload);
    if (dedupeKey != null) body.put("dedupe_key", dedupeKey);
    return call(StoreId.AGGREGATOR, "enqueue", body).getLong("id");
  }
}
