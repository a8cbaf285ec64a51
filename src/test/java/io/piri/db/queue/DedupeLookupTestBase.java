package io.piri.db.queue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * dedupe-lookup: where a key of a dedupe queue is as its job goes through its life (live, running,
 * completed, dead-lettered, requeued), by the key given at enqueue or by the payload whose hash it
 * is; bad input is a 400 naming the field and changes nothing.
 */
public abstract class DedupeLookupTestBase extends QueueTestBase {
  @BeforeEach
  void start() throws Exception {
    startQueues();
  }

  private JsonObject lookup(String name, String key) throws Exception {
    return call(A, "dedupe-lookup", new JsonObject().put("queue", "dd").put("name", name).put("dedupe_key", key));
  }

  private long enqueueKeyed(String name, String key) throws Exception {
    JsonObject r = call(A, "enqueue", enqueueBody("dd", name, new JsonObject().put("k", key)).put("dedupe_key", key));
    assertEquals(false, r.getBoolean("duplicate"), r.encode());
    return r.getLong("id");
  }

  @Test
  void aKeyNoJobEverHadIsNowhere() throws Exception {
    JsonObject r = lookup("job", "never");
    assertEquals("nowhere", r.getString("found"), r.encode());
    assertNull(r.getValue("live"));
    assertNull(r.getValue("done"));
    assertNull(r.getValue("dead"));
    assertEquals(new JsonObject().put("searched", 0L).put("complete", true), r.getJsonObject("dead_window"));
  }

  @Test
  void aKeyIsFoundWithItsLiveJobThenAsCompleted() throws Exception {
    long id = enqueueKeyed("job", "k1");
    JsonObject ready = lookup("job", "k1");
    assertEquals("live", ready.getString("found"), ready.encode());
    assertEquals(id, ready.getJsonObject("live").getLong("id"));
    assertEquals("ready", ready.getJsonObject("live").getString("state"));
    assertNull(ready.getValue("done"));
    assertEquals("nowhere", lookup("other-name", "k1").getString("found"), "the same key under another name is another key");

    JsonObject claimed = claimOne(A, "dd");
    assertEquals("running", lookup("job", "k1").getJsonObject("live").getString("state"));

    complete(A, "dd", claimed);
    JsonObject done = lookup("job", "k1");
    assertEquals("completed", done.getString("found"), done.encode());
    assertNull(done.getValue("live"));
    assertEquals(new JsonObject().put("status", "completed").put("done_at", clock.now()), done.getJsonObject("done"));
  }

  @Test
  void aDeadLetteredKeyIsFoundWithItsDeadLetterUntilRequeued() throws Exception {
    enqueueKeyed("job", "k2");
    enqueueKeyed("job", "k3");
    JsonObject claimed = claimOne(A, "dd");
    call(A, "fail", held("dd", claimed).put("error", "boom").put("permanent", true));
    JsonArray dead = deadList(A, "dd");
    assertEquals(1, dead.size());

    JsonObject r = lookup("job", "k2");
    assertEquals("dead", r.getString("found"), r.encode());
    assertEquals(dead.getJsonObject(0).getLong("id"), r.getJsonObject("dead").getLong("id"));
    assertEquals("dead_lettered", r.getJsonObject("done").getString("status"));
    assertNull(r.getValue("live"));
    assertEquals(new JsonObject().put("searched", 1L).put("complete", true), r.getJsonObject("dead_window"));
    assertEquals("live", lookup("job", "k3").getString("found"), "the other key stays live");

    JsonObject requeued = call(A, "dead-requeue", new JsonObject().put("queue", "dd").put("all", true));
    assertEquals(1, requeued.getInteger("requeued"));
    JsonObject again = lookup("job", "k2");
    assertEquals("live", again.getString("found"), again.encode());
    assertNull(again.getValue("dead"));
    assertNull(again.getValue("done"));
  }

  @Test
  void aKeyMadeFromThePayloadIsFoundByThePayload() throws Exception {
    JsonObject payload = new JsonObject().put("piece", "bafy").put("n", 1);
    long id = call(A, "enqueue", enqueueBody("dd", "hashed", payload)).getLong("id");
    JsonObject r = call(A, "dedupe-lookup", new JsonObject().put("queue", "dd").put("name", "hashed").put("payload", payload));
    assertEquals(id, r.getJsonObject("live").getLong("id"), r.encode());

    byte[] bytes = "raw".getBytes(StandardCharsets.UTF_8);
    String b64 = Base64.getEncoder().encodeToString(bytes);
    long raw = call(A, "enqueue", new JsonObject().put("queue", "dd").put("name", "hashed").put("payload_base64", b64)).getLong("id");
    JsonObject byBytes = call(A, "dedupe-lookup", new JsonObject().put("queue", "dd").put("name", "hashed").put("payload_base64", b64));
    assertEquals(raw, byBytes.getJsonObject("live").getLong("id"), byBytes.encode());
  }

  @Test
  void badInputIsRefusedNamingTheFieldAndChangesNothing() throws Exception {
    enqueueKeyed("job", "k4");
    JsonObject before = allStats();
    JsonObject ok = new JsonObject().put("queue", "dd").put("name", "job").put("dedupe_key", "k4");
    assertCode(400, callFails(A, "dedupe-lookup", ok.copy().put("queue", "manager")), "'queue'");
    assertCode(400, callFails(A, "dedupe-lookup", ok.copy().put("queue", "t")), "'queue'");
    assertCode(400, callFails(A, "dedupe-lookup", withoutField(ok, "queue")), "'queue'");
    assertCode(400, callFails(A, "dedupe-lookup", withoutField(ok, "name")), "'name'");
    assertCode(400, callFails(A, "dedupe-lookup", ok.copy().put("name", "bad name")), "'name'");
    assertCode(400, callFails(A, "dedupe-lookup", ok.copy().put("dedupe_key", "")), "'dedupe_key'");
    assertCode(400, callFails(A, "dedupe-lookup", ok.copy().put("dedupe_key", "x".repeat(1025))), "'dedupe_key'");
    assertCode(400, callFails(A, "dedupe-lookup", ok.copy().put("dedupe_key", 7)), "'dedupe_key'");
    assertCode(400, callFails(A, "dedupe-lookup", withoutField(ok, "dedupe_key")), "'dedupe_key'");
    assertCode(400, callFails(A, "dedupe-lookup", ok.copy().put("payload", 1)), "'payload'");
    assertCode(400, callFails(A, "dedupe-lookup", withoutField(ok, "dedupe_key").put("payload_base64", "%%")), "'payload_base64'");
    assertCode(400, callFails(A, "dedupe-lookup", ok.copy().put("limit", 1)), "'limit'");
    assertCode(400, callFails(R, "dedupe-lookup", ok), "'queue'");
    assertEquals(before, allStats());
    assertEquals("live", lookup("job", "k4").getString("found"));
  }

  private static JsonObject withoutField(JsonObject o, String field) {
    JsonObject c = o.copy();
    c.remove(field);
    return c;
  }
}
