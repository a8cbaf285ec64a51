package io.piri.db.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/** GET /api/queues/<q>/dedupe: the store's dedupe-lookup for viewers, by key or by payload; bad parameters named. */
public abstract class DedupeConsoleTestBase extends ConsoleTestBase {
  @Test
  void aViewerFindsWhereAKeyIsByKeyOrByPayload() throws Exception {
    startConsole();
    long id = enqueuePin(1, "k1");
    long hashed = enqueuePin(new JsonObject().put("n", 2), null);

    JsonObject byKey = json(get("api/queues/aggregator/dedupe?name=pin&key=k1", viewer));
    assertEquals("live", byKey.getString("found"), byKey.encode());
    assertEquals(id, byKey.getJsonObject("live").getLong("id"));
    JsonObject byPayload = json(get("api/queues/aggregator/dedupe?name=pin&payload=%7B%22n%22%3A2%7D"));
    assertEquals(hashed, byPayload.getJsonObject("live").getLong("id"), byPayload.encode());
    assertEquals("nowhere", json(get("api/queues/aggregator/dedupe?name=pin&key=other")).getString("found"));
  }

  @Test
  void badParametersAreRefusedNamingThem() throws Exception {
    startConsole();
    assertRefused(get("api/queues/aggregator/dedupe?key=k1"), 400, "'name'");
    assertRefused(get("api/queues/aggregator/dedupe?name=pin"), 400, "'key'");
    assertRefused(get("api/queues/aggregator/dedupe?name=pin&key=a&payload=1"), 400, "'key'");
    assertRefused(get("api/queues/aggregator/dedupe?name=pin&payload=%7Bnot"), 400, "'payload'");
    assertRefused(get("api/queues/aggregator/dedupe?name=bad%20name&key=a"), 400, "'name'");
    assertRefused(get("api/queues/manager/dedupe?name=pin&key=a"), 400, "does not dedupe");
    assertRefused(get("api/queues/nope/dedupe?name=pin&key=a"), 404, "nope");
  }

  private static void assertRefused(HttpResponse<String> r, int status, String names) {
    assertEquals(status, r.statusCode(), r.body());
    assertTrue(new JsonObject(r.body()).getString("message").contains(names), r.body());
  }
}
