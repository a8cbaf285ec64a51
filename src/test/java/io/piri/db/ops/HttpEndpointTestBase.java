package io.piri.db.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.piri.db.core.StoreId;
import io.piri.db.config.BackendType;
import io.piri.db.server.PiriServer;
import io.piri.db.support.ServerTestBase;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** GET /health and GET /metrics on http.host:http.port. */
public abstract class HttpEndpointTestBase extends ServerTestBase {
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private PiriServer server;

  @BeforeEach
  void startNode() throws Exception {
    server = startServer();
  }

  private HttpResponse<String> get(String path) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + config.http().port() + path))
        .timeout(Duration.ofSeconds(15)).build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void healthIs200WithEveryStoreUp() throws Exception {
    assertEquals(config.http().port(), server.httpPort());
    HttpResponse<String> r = get("/health");
    assertEquals(200, r.statusCode(), r.body());
    assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("application/json"));
    JsonObject body = new JsonObject(r.body());
    assertEquals("UP", body.getString("status"), r.body());
    assertEquals(4, body.getJsonArray("checks").size(), r.body());
    for (Object o : body.getJsonArray("checks")) {
      JsonObject check = (JsonObject) o;
      assertEquals("UP", check.getString("status"), r.body());
      assertEquals(backend().type().id(), check.getJsonObject("data").getString("backend"), r.body());
    }
  }

  @Test
  void healthIs503NamingTheStoreWhoseDatabaseIsGone() throws Exception {
    await(server.database(StoreId.EGRESS_TRACKER).close());
    HttpResponse<String> r = get("/health");
    assertEquals(503, r.statusCode(), r.body());
    JsonObject body = new JsonObject(r.body());
    assertEquals("DOWN", body.getString("status"));
    for (Object o : body.getJsonArray("checks")) {
      JsonObject check = (JsonObject) o;
      if (check.getString("id").equals("egress_tracker")) {
        assertEquals("DOWN", check.getString("status"), r.body());
        String reason = check.getJsonObject("data").getString("reason");
        assertTrue(reason.contains("egress_tracker"), reason);
      } else {
        assertEquals("UP", check.getString("status"), r.body());
      }
    }
  }

  @Test
  void metricsShowQueueGaugesTotalsClaimLatencyAndRequestCounts() throws Exception {
    for (int i = 0; i < 3; i++) {
      call(StoreId.REPLICATOR, "enqueue", new JsonObject().put("queue", "replication").put("name", "n" + i).put("payload", i));
    }
    JsonObject job = call(StoreId.REPLICATOR, "claim", new JsonObject().put("queue", "replication")).getJsonArray("jobs").getJsonObject(0);
    call(StoreId.REPLICATOR, "complete", new JsonObject().put("queue", "replication").put("id", job.getLong("id"))
        .put("receipt", job.getString("receipt")));
    job = call(StoreId.REPLICATOR, "claim", new JsonObject().put("queue", "replication")).getJsonArray("jobs").getJsonObject(0);
    call(StoreId.REPLICATOR, "fail", new JsonObject().put("queue", "replication").put("id", job.getLong("id"))
        .put("receipt", job.getString("receipt")).put("error", "x").put("permanent", true));
    callFails(StoreId.REPLICATOR, "claim", new JsonObject().put("queue", "nope"));

    HttpResponse<String> r = get("/metrics");
    assertEquals(200, r.statusCode());
    assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("text/plain"));
    String text = r.body();
    assertEquals(1.0, sample(text, "piri_db_queue_jobs", "queue=\"replication\"", "state=\"ready\""), text);
    assertEquals(1.0, sample(text, "piri_db_queue_jobs", "queue=\"replication\"", "state=\"dead\""), text);
    assertEquals(0.0, sample(text, "piri_db_queue_jobs", "queue=\"manager\"", "state=\"ready\""), text);
    assertEquals(3.0, sample(text, "piri_db_jobs_enqueued_total", "queue=\"replication\""), text);
    assertEquals(1.0, sample(text, "piri_db_jobs_completed_total", "queue=\"replication\""), text);
    assertEquals(1.0, sample(text, "piri_db_jobs_failed_total", "queue=\"replication\"", "state=\"dead\""), text);
    assertEquals(2.0, sample(text, "piri_db_claim_seconds_count", "queue=\"replication\""), text);
    assertEquals(3.0, sample(text, "piri_db_requests_total", "store=\"replicator\"", "action=\"enqueue\"", "code=\"200\""), text);
    assertEquals(1.0, sample(text, "piri_db_requests_total", "store=\"replicator\"", "action=\"claim\"", "code=\"400\""), text);
    assertEquals(1.0, sample(text, "piri_db_store_stats_up", "store=\"aggregator\""), text);
    if (backend().type() == BackendType.SQLITE) {
      assertTrue(sample(text, "piri_db_sqlite_batch_size_count", "store=\"replicator\"") >= 1, text);
      assertTrue(sample(text, "piri_db_sqlite_commit_seconds_count", "store=\"replicator\"") >= 1, text);
    } else {
      assertTrue(sample(text, "piri_db_pg_pool_connections", "store=\"replicator\"") >= 1, text);
      assertEquals(config.postgres().maxOpenConns(), sample(text, "piri_db_pg_pool_max", "store=\"replicator\""), text);
    }
  }

  @Test
  void otherPathsAre404AndOtherMethods405() throws Exception {
    assertEquals(404, get("/nope").statusCode());
    HttpResponse<String> post = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + config.http().port() + "/health"))
        .POST(HttpRequest.BodyPublishers.ofString("x")).build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(405, post.statusCode());
  }

  /** The value of the one sample of {@code metric} whose labels include every given one; NaN when none. */
  static double sample(String text, String metric, String... labels) {
    Pattern line = Pattern.compile("^" + Pattern.quote(metric) + "\\{([^}]*)\\} (\\S+)$", Pattern.MULTILINE);
    Matcher m = line.matcher(text);
    while (m.find()) {
      boolean all = true;
      for (String l : labels) all &= m.group(1).contains(l);
      if (all) return Double.parseDouble(m.group(2));
    }
    return Double.NaN;
  }
}
