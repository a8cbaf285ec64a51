package io.piri.db.queue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * search: each kind finds the right jobs, live and dead, page by page from its cursor; payload
 * fields of JSON and CBOR payloads; what no index answers, and bad input, refused naming the field.
 */
public abstract class SearchTestBase extends QueueTestBase {
  /** {@code s}: search fields on; lease 300ms, max_attempts 3, backoff 50ms..100ms. */
  private static final String S = "s";

  @Override
  protected JsonObject testQueues() {
    return super.testQueues().put(S, queue("replicator", "300ms", 3).put("backoff_base", "50ms").put("backoff_max", "100ms")
        .put("search_fields", new JsonArray().add("$").add("$.piece").add("$.a.b").add("$.link").add("$.roots[1]")));
  }

  private JsonObject search(String queue, JsonObject by) throws Exception {
    return call(R, "search", new JsonObject().put("queue", queue).put("by", by));
  }

  /** Every job the search finds, page by page with {@code limit}; checks each page but the last is full. */
  private List<JsonObject> all(String store, String queue, String state, JsonObject by, int limit) throws Exception {
    List<JsonObject> out = new ArrayList<>();
    String after = null;
    for (int page = 0; page < 100; page++) {
      JsonObject body = new JsonObject().put("queue", queue).put("by", by).put("limit", limit);
      if (state != null) body.put("state", state);
      if (after != null) body.put("after", after);
      JsonObject r = call(io.piri.db.core.StoreId.parse(store), "search", body);
      JsonArray jobs = r.getJsonArray("jobs");
      jobs.forEach(j -> out.add((JsonObject) j));
      after = r.getString("next");
      if (after == null) return out;
      assertEquals(limit, jobs.size(), "a page with a next cursor is full");
    }
    throw new AssertionError("more than 100 pages");
  }

  private static List<String> states(List<JsonObject> jobs) {
    return jobs.stream().map(j -> j.getString("state")).toList();
  }

  private static List<Long> jobIds(List<JsonObject> jobs) {
    return jobs.stream().map(j -> j.getLong("id")).toList();
  }

  /** Claims the queue's next job and fails it for good: a dead letter with {@code error}. */
  private JsonObject killNext(String queue, String error) throws Exception {
    JsonObject j = claimOne(R, queue);
    call(R, "fail", held(queue, j).put("error", error).put("permanent", true));
    return j;
  }

  @Test
  void byIdFindsALiveJobAndADeadLetter() throws Exception {
    startQueues();
    long dead = enqueue(R, S, "n", 1);
    long live = enqueue(R, S, "n", 2);
    killNext(S, "boom");
    JsonArray found = search(S, new JsonObject().put("id", live)).getJsonArray("jobs");
    assertEquals(1, found.size(), found.encode());
    assertEquals("ready", found.getJsonObject(0).getString("state"));
    assertEquals(2, found.getJsonObject(0).getInteger("payload"));
    JsonObject d = search(S, new JsonObject().put("id", dead)).getJsonArray("jobs").getJsonObject(0);
    assertEquals("dead", d.getString("state"));
    assertEquals(dead, d.getLong("id"));
    assertEquals("boom", d.getString("error"));
    assertTrue(d.getLong("dead_id") > 0);
    assertEquals(0, search("t", new JsonObject().put("id", live)).getJsonArray("jobs").size(), "another queue's job");
    assertEquals(0, call(R, "search", new JsonObject().put("queue", S).put("state", "dead").put("by", new JsonObject().put("id", live)))
        .getJsonArray("jobs").size());
  }

  @Test
  void byNamePagesLiveJobsThenDeadLetters() throws Exception {
    startQueues();
    List<Long> alpha = new ArrayList<>();
    for (int i = 0; i < 3; i++) alpha.add(enqueue(R, S, "alpha", i));
    enqueue(R, S, "beta", 9);
    for (int i = 3; i < 8; i++) alpha.add(enqueue(R, S, "alpha", i));
    killNext(S, "e1");
    killNext(S, "e2");
    List<JsonObject> found = all("replicator", S, null, new JsonObject().put("name", "alpha"), 2);
    List<Long> expected = new ArrayList<>(alpha.subList(2, 8));
    expected.addAll(alpha.subList(0, 2));
    assertEquals(expected, jobIds(found), "live jobs by id, then dead letters by dead-letter id");
    assertEquals(List.of("ready", "ready", "ready", "ready", "ready", "ready", "dead", "dead"), states(found));
    assertEquals(alpha.subList(0, 2), jobIds(all("replicator", S, "dead", new JsonObject().put("name", "alpha"), 1)));
    assertEquals(alpha.subList(2, 8), jobIds(all("replicator", S, "ready", new JsonObject().put("name", "alpha"), 4)));
    assertEquals(List.of(), all("replicator", S, "running", new JsonObject().put("name", "alpha"), 4));
    JsonObject running = claimOne(R, S);
    assertEquals(List.of(running.getLong("id")), jobIds(all("replicator", S, "running", new JsonObject().put("name", "alpha"), 4)));
  }

  @Test
  void byDedupeKeyNeedsTheNameAndADedupeQueue() throws Exception {
    startQueues();
    long id = call(A, "enqueue", enqueueBody("dd", "n", 1).put("dedupe_key", "k1")).getLong("id");
    call(A, "enqueue", enqueueBody("dd", "n", 2).put("dedupe_key", "k2"));
    call(A, "enqueue", enqueueBody("dd", "m", 3).put("dedupe_key", "k1"));
    JsonObject byKey = new JsonObject().put("name", "n").put("dedupe_key", "k1");
    assertEquals(List.of(id), jobIds(all("aggregator", "dd", null, byKey, 10)));
    JsonObject j = claimOne(A, "dd");
    assertEquals(id, j.getLong("id"));
    call(A, "fail", held("dd", j).put("error", "x").put("permanent", true));
    List<JsonObject> dead = all("aggregator", "dd", null, byKey, 10);
    assertEquals(List.of("dead"), states(dead), "the key's dead letter");
    assertCode(400, callFails(A, "search", new JsonObject().put("queue", "dd").put("by", new JsonObject().put("dedupe_key", "k1"))),
        "'by.name'");
    assertCode(400, callFails(R, "search", new JsonObject().put("queue", S).put("by", byKey)), "does not dedupe");
  }

  @Test
  void byErrorPrefixPagesInTextOrder() throws Exception {
    startQueues();
    for (int i = 0; i < 6; i++) enqueue(R, S, "n", i);
    // Two retried (live, scheduled), three dead letters; one dead letter with another error.
    List<Long> timeouts = new ArrayList<>();
    for (String e : List.of("timeout: b", "timeout: a")) {
      JsonObject j = claimOne(R, S);
      timeouts.add(j.getLong("id"));
      call(R, "fail", held(S, j).put("error", e).put("retry_in_ms", 60_000));
    }
    timeouts.add(killNext(S, "timeout").getLong("id"));
    timeouts.add(killNext(S, "timeout: a").getLong("id"));
    killNext(S, "disk full");
    JsonObject by = new JsonObject().put("error_prefix", "timeout");
    List<JsonObject> found = all("replicator", S, null, by, 1);
    // Live by text: "timeout: a" (2nd), "timeout: b" (1st); then dead: "timeout", "timeout: a".
    assertEquals(List.of(timeouts.get(1), timeouts.get(0), timeouts.get(2), timeouts.get(3)), jobIds(found));
    assertEquals(List.of("scheduled", "scheduled", "dead", "dead"), states(found));
    assertEquals("timeout: a", found.get(0).getString("last_error"));
    assertEquals(List.of(timeouts.get(3)), jobIds(all("replicator", S, "dead", new JsonObject().put("error_prefix", "timeout: "), 5)));
    assertEquals(1, all("replicator", S, null, new JsonObject().put("error_prefix", "disk"), 5).size());
    assertEquals(0, all("replicator", S, null, new JsonObject().put("error_prefix", "timeouts"), 5).size());
  }

  @Test
  void byPayloadFieldOfJsonPayloads() throws Exception {
    startQueues();
    long one = enqueue(R, S, "n", new JsonObject().put("piece", "p1").put("a", new JsonObject().put("b", 7)));
    long two = enqueue(R, S, "n", new JsonObject().put("piece", "p2").put("roots", new JsonArray().add("r0").add("r1")));
    long three = enqueue(R, S, "n", new JsonObject().put("piece", "p1"));
    assertEquals(List.of(one, three), jobIds(all("replicator", S, null, field("$.piece", "p1"), 1)));
    assertEquals(List.of(one), jobIds(all("replicator", S, null, field("$.a.b", 7.0), 5)), "7.0 is the value 7");
    assertEquals(List.of(two), jobIds(all("replicator", S, null, field("$.roots[1]", "r1"), 5)));
    assertEquals(List.of(), all("replicator", S, null, field("$.piece", "p3"), 5));
    // Completed: gone; dead-lettered: found as a dead letter; purged: gone.
    JsonObject first = claimOne(R, S);
    complete(R, S, first);
    assertEquals(List.of(three), jobIds(all("replicator", S, null, field("$.piece", "p1"), 5)));
    claimOne(R, S);
    JsonObject third = claimOne(R, S);
    call(R, "fail", held(S, third).put("error", "x").put("permanent", true));
    List<JsonObject> dead = all("replicator", S, null, field("$.piece", "p1"), 5);
    assertEquals(List.of("dead"), states(dead));
    assertEquals(List.of(three), jobIds(dead));
    call(R, "dead-requeue", new JsonObject().put("queue", S).put("all", true));
    List<JsonObject> requeued = all("replicator", S, null, field("$.piece", "p1"), 5);
    assertEquals(List.of("ready"), states(requeued), "requeued as a new job, with its fields");
  }

  @Test
  void byPayloadFieldOfCborPayloads() throws Exception {
    startQueues();
    byte[] cid = HexFormat.of().parseHex("01711220" + "ab".repeat(32));
    byte[] cbor = cborMap(cid, "p9");
    long id = call(R, "enqueue", new JsonObject().put("queue", S).put("name", "n")
        .put("payload_base64", Base64.getEncoder().encodeToString(cbor))).getLong("id");
    enqueue(R, S, "n", new JsonObject().put("piece", "p8"));
    assertEquals(List.of(id), jobIds(all("replicator", S, null, field("$.piece", "p9"), 5)));
    String link = "b" + base32(cid);
    assertEquals(List.of(id), jobIds(all("replicator", S, null, field("$.link", new JsonObject().put("/", link)), 5)));
    // A payload that is one link (as the aggregator queue's are), found by the path "$".
    ByteArrayOutputStream bare = new ByteArrayOutputStream();
    bare.writeBytes(new byte[] {(byte) 0xd8, 42, 0x58, (byte) (cid.length + 1), 0});
    bare.writeBytes(cid);
    long linkOnly = call(R, "enqueue", new JsonObject().put("queue", S).put("name", "n")
        .put("payload_base64", Base64.getEncoder().encodeToString(bare.toByteArray()))).getLong("id");
    assertEquals(List.of(linkOnly), jobIds(all("replicator", S, null, field("$", new JsonObject().put("/", link)), 5)));
  }

  @Test
  void aPayloadPathThatIsNotConfiguredIsRefusedNamingTheKey() throws Exception {
    startQueues();
    ReplyException e = callFails(R, "search", new JsonObject().put("queue", S).put("by", field("$.other", 1)));
    assertCode(400, e, "queues.s.search_fields");
    e = callFails(R, "search", new JsonObject().put("queue", "t").put("by", field("$.piece", 1)));
    assertCode(400, e, "queues.t.search_fields");
  }

  @Test
  void byTimeRangeOfEnqueueAndFailure() throws Exception {
    startQueues();
    long t0 = clock.now();
    long a = enqueue(R, S, "n", 1);
    clock.advance(1_000);
    long b = enqueue(R, S, "n", 2);
    long c = enqueue(R, S, "n", 3);
    clock.advance(1_000);
    long d = enqueue(R, S, "n", 4);
    assertEquals(List.of(b, c), jobIds(all("replicator", S, null, new JsonObject().put("from", t0 + 1).put("to", t0 + 1_000), 1)));
    assertEquals(List.of(b, c, d), jobIds(all("replicator", S, null, new JsonObject().put("from", t0 + 1_000), 2)));
    assertEquals(List.of(a), jobIds(all("replicator", S, null, new JsonObject().put("to", t0), 2)));
    clock.advance(5_000);
    long failedAt = clock.now();
    killNext(S, "x");
    List<JsonObject> dead = all("replicator", S, "dead", new JsonObject().put("from", failedAt).put("to", failedAt), 2);
    assertEquals(List.of(a), jobIds(dead), "dead letters by the time they failed");
  }

  @Test
  void badInputIsRefusedNamingTheField() throws Exception {
    startQueues();
    List<Object[]> cases = List.of(
        new Object[] {new JsonObject().put("queue", S), "'by'"},
        new Object[] {new JsonObject().put("queue", S).put("by", "name"), "'by'"},
        new Object[] {new JsonObject().put("queue", S).put("by", new JsonObject()), "'by'"},
        new Object[] {new JsonObject().put("queue", S).put("by", new JsonObject().put("name", "a").put("id", 1)), "'by'"},
        new Object[] {new JsonObject().put("queue", S).put("by", new JsonObject().put("payload_text", "a")), "'by.payload_text'"},
        new Object[] {new JsonObject().put("queue", S).put("by", new JsonObject().put("id", -1)), "'by.id'"},
        new Object[] {new JsonObject().put("queue", S).put("by", new JsonObject().put("error_prefix", "")), "'by.error_prefix'"},
        new Object[] {new JsonObject().put("queue", S).put("by", new JsonObject().put("error_prefix", "x".repeat(129))), "'by.error_prefix'"},
        new Object[] {new JsonObject().put("queue", S).put("by", new JsonObject().put("from", 5).put("to", 4)), "'by.from'"},
        new Object[] {new JsonObject().put("queue", S).put("by", new JsonObject().put("payload", new JsonObject().put("path", "piece").put("value", 1))),
            "'by.payload.path'"},
        new Object[] {new JsonObject().put("queue", S).put("by", new JsonObject().put("payload", new JsonObject().put("path", "$.piece"))),
            "'by.payload'"},
        new Object[] {new JsonObject().put("queue", S).put("by", new JsonObject().put("name", "a")).put("state", "done"), "'state'"},
        new Object[] {new JsonObject().put("queue", S).put("by", new JsonObject().put("name", "a")).put("limit", 0), "'limit'"},
        new Object[] {new JsonObject().put("queue", S).put("by", new JsonObject().put("name", "a")).put("after", "nope"), "'after'"},
        new Object[] {new JsonObject().put("queue", S).put("by", new JsonObject().put("name", "a")).put("sort", "id"), "'sort'"},
        new Object[] {new JsonObject().put("queue", "nope").put("by", new JsonObject().put("name", "a")), "'queue'"});
    for (Object[] c : cases) assertCode(400, callFails(R, "search", c[0]), (String) c[1]);
  }

  @Test
  void aCursorOfAnotherKindIsRefused() throws Exception {
    startQueues();
    for (int i = 0; i < 3; i++) enqueue(R, S, "n", i);
    String next = call(R, "search", new JsonObject().put("queue", S).put("by", new JsonObject().put("name", "n")).put("limit", 1))
        .getString("next");
    assertTrue(next != null);
    assertCode(400, callFails(R, "search", new JsonObject().put("queue", S).put("by", new JsonObject().put("from", 0)).put("after", next)),
        "'after'");
    JsonObject last = call(R, "search", new JsonObject().put("queue", S).put("by", new JsonObject().put("name", "n")).put("limit", 5));
    assertNull(last.getValue("next"), "a page that is not full is the last");
  }

  private static JsonObject field(String path, Object value) {
    return new JsonObject().put("payload", new JsonObject().put("path", path).put("value", value));
  }

  /** {"link": tag 42 (0x00 + cid), "piece": piece} in CBOR. */
  private static byte[] cborMap(byte[] cid, String piece) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(0xa2);
    text(out, "link");
    out.write(0xd8);
    out.write(42);
    out.write(0x58);
    out.write(cid.length + 1);
    out.write(0);
    out.writeBytes(cid);
    text(out, "piece");
    text(out, piece);
    return out.toByteArray();
  }

  private static void text(ByteArrayOutputStream out, String s) {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    out.write(0x60 + b.length);
    out.writeBytes(b);
  }

  private static String base32(byte[] b) {
    String alphabet = "abcdefghijklmnopqrstuvwxyz234567";
    StringBuilder out = new StringBuilder();
    int buffer = 0;
    int bits = 0;
    for (byte x : b) {
      buffer = (buffer << 8) | (x & 0xff);
      bits += 8;
      while (bits >= 5) {
        out.append(alphabet.charAt((buffer >>> (bits - 5)) & 31));
        bits -= 5;
      }
    }
    if (bits > 0) out.append(alphabet.charAt((buffer << (5 - bits)) & 31));
    return out.toString();
  }
}
