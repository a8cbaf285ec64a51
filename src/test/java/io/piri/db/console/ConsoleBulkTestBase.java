package io.piri.db.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.piri.db.core.StoreId;
import io.piri.db.support.Eventually;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/**
 * The console's bulk routes: an operator starts an operation on everything a filter matches and
 * follows it to its end; a viewer may follow but not start or cancel; bad input is a 400 naming
 * the field; an operation is reached only through its own queue.
 */
public abstract class ConsoleBulkTestBase extends ConsoleTestBase {
  @Test
  void anOperatorRequeuesAllMatchingAndAViewerOnlyWatches() throws Exception {
    startConsole();
    deadLetters("replication", StoreId.REPLICATOR, 5);
    JsonObject before = queueState();
    JsonObject start = new JsonObject().put("op", "requeue").put("filter", new JsonObject().put("error_prefix", "boom job-1"));
    HttpResponse<String> refused = post("api/queues/replication/bulk", viewer, start);
    assertEquals(403, refused.statusCode(), refused.body());
    assertEquals(before, queueState());

    HttpResponse<String> r = post("api/queues/replication/bulk", operator, start);
    assertEquals(200, r.statusCode(), r.body());
    long id = json(r).getLong("operation");
    assertEquals(1, json(r).getLong("matching"));
    JsonObject[] op = new JsonObject[1];
    Eventually.until("the operation ends", () -> (op[0] = json(get("api/queues/replication/bulk/" + id, viewer)))
        .getString("state").equals("done"));
    assertEquals(1, op[0].getLong("done"));
    JsonObject stats = call(StoreId.REPLICATOR, "stats", new JsonObject()).getJsonObject("queues").getJsonObject("replication");
    assertEquals(4, stats.getLong("dead"));
    assertEquals(1, stats.getLong("ready"));

    JsonArray listed = json(get("api/queues/replication/bulk", viewer)).getJsonArray("operations");
    assertEquals(id, listed.getJsonObject(0).getLong("operation"));
    HttpResponse<String> cancelAsViewer = post("api/queues/replication/bulk/" + id + "/cancel", viewer, new JsonObject());
    assertEquals(403, cancelAsViewer.statusCode());
    HttpResponse<String> late = post("api/queues/replication/bulk/" + id + "/cancel", operator, new JsonObject());
    assertEquals(409, late.statusCode(), late.body());

    JsonArray rows = json(get("api/audit?store=replicator&limit=2")).getJsonArray("rows");
    assertEquals("bulk-done", rows.getJsonObject(0).getString("action"));
    assertEquals("otto", rows.getJsonObject(0).getString("actor"));
    assertEquals("bulk-start", rows.getJsonObject(1).getString("action"));
    assertEquals("console", rows.getJsonObject(1).getString("via"));
    assertEquals("operator", rows.getJsonObject(1).getString("actor_role"));
  }

  @Test
  void badInputIs400NamingTheFieldAndChangesNothing() throws Exception {
    startConsole();
    deadLetters("replication", StoreId.REPLICATOR, 2);
    JsonObject before = queueState();
    assertBad(post("api/queues/replication/bulk", operator, new JsonObject().put("op", "purge").put("opts", 1)), "opts");
    assertBad(post("api/queues/replication/bulk", operator, new JsonObject().put("op", "wipe")), "op");
    assertBad(post("api/queues/replication/bulk", operator, new JsonObject().put("op", "purge")
        .put("filter", new JsonObject().put("queue", "x"))), "filter.queue");
    assertBad(post("api/queues/replication/bulk", operator, new JsonObject().put("op", "requeue")
        .put("filter", new JsonObject().put("from", "yesterday"))), "filter.from");
    assertEquals(before, queueState());
    assertEquals(0, json(get("api/queues/replication/bulk", viewer)).getJsonArray("operations").size());

    // An operation of another queue of the same store is not found through this one.
    call(StoreId.AGGREGATOR, "enqueue", new JsonObject().put("queue", "manager").put("name", "m").put("payload", 1));
    HttpResponse<String> r = post("api/queues/manager/bulk", operator, new JsonObject().put("op", "cancel"));
    assertEquals(200, r.statusCode(), r.body());
    long id = json(r).getLong("operation");
    assertEquals(404, get("api/queues/aggregator/bulk/" + id, viewer).statusCode());
    assertEquals(404, post("api/queues/aggregator/bulk/" + id + "/cancel", operator, new JsonObject()).statusCode());
  }

  private static void assertBad(HttpResponse<String> r, String field) {
    assertEquals(400, r.statusCode(), r.body());
    assertTrue(json(r).getString("message").contains(field), r.body());
  }
}
