package io.piri.db.scheduler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.piri.db.bus.ChangeEvents;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The Scheduler store's change events on piri.db.events: published after each commit that changed
 * the task counts or a proof set, one per area per request, and none for a request refused.
 */
public abstract class SchedulerEventsTestBase extends PdpTestBase {
  private static final JsonObject TASKS = new JsonObject().put("store", "scheduler").put("area", "tasks");
  private final BlockingQueue<JsonObject> events = new LinkedBlockingQueue<>();

  @BeforeEach
  void listen() throws Exception {
    await(vertx.eventBus().<JsonObject>consumer(ChangeEvents.ADDRESS, m -> {
      // What a watcher reads on the event must already be committed: read it now.
      JsonObject e = m.body().copy();
      if (e.containsKey("proofset_id")) {
        request(S, "ps-state", new JsonObject().put("proofset_id", e.getLong("proofset_id")))
            .onComplete(ar -> events.add(e.put("state_then", ar.succeeded() ? ar.result().getString("state") : "missing")));
      } else {
        events.add(e);
      }
    }).completion());
    startEngine();
  }

  private JsonObject next() throws InterruptedException {
    JsonObject e = events.poll(10, TimeUnit.SECONDS);
    assertNotNull(e, "no event within 10 s");
    return e;
  }

  private static JsonObject proofSet(long id, String state) {
    return new JsonObject().put("store", "scheduler").put("area", "proofsets").put("proofset_id", id).put("state_then", state);
  }

  @Test
  void taskCountChangesArePublishedOncePerRequest() throws Exception {
    long id = add("Quick");
    assertEquals(TASKS, next());
    assertCode(400, callFails(S, "task-add", new JsonObject().put("name", "NoSuchType")), "name");
    String session = openSession(60_000);
    assertEquals(0, claim(session, "NoWait", 5, 0).size(), "a claim that takes nothing changes nothing");
    assertEquals(1, claim(session, "Quick", 5, 0).size());
    assertEquals(TASKS, next(), "the refused add, the session and the empty claim published nothing");
    complete(id, session, "done", null);
    assertEquals(TASKS, next());
    assertEquals(0, events.size());
  }

  @Test
  void proofSetChangesNameTheirProofSetOnceCommitted() throws Exception {
    pdp("ps-record-create", new JsonObject().put("create_message_hash", hash(1)));
    confirm(hash(1), true, null);
    pdp("ps-materialize", new JsonObject().put("create_message_hash", hash(1)).put("proofset_id", 7)
        .put("proving_period", 2880).put("challenge_window", 20));
    assertEquals(proofSet(7, "new"), next(), "a create not yet materialised is no proof set's change");
    recordAdd(7, hash(2), cid("e", 1), 0, null, 0);
    assertEquals(proofSet(7, "init_ready"), next());
    assertCode(404, callFails(S, "roots-record-add", new JsonObject().put("proofset_id", 8).put("add_message_hash", hash(3))
        .put("rows", new JsonArray().add(new JsonObject().put("root", cid("e", 2)).put("subroot", cid("e", 2))
            .put("subroot_offset", 0).put("add_message_index", 0)))), null);
    createProofSet(8, hash(4));
    assertEquals(proofSet(8, "new"), next(), "the refused add published nothing");
    recordAdd(8, hash(5), cid("e", 3), 0, null, 0);
    assertEquals(proofSet(8, "init_ready"), next());

    JsonArray both = scheduled("ps-schedule-init", new JsonObject());
    assertEquals(2, both.size());
    assertEquals(TASKS, next());
    assertEquals(new JsonObject().put("store", "scheduler").put("area", "proofsets"), next(), "several proof sets: one event");
    String session = openSession(60_000);
    long task = both.getJsonObject(0).getLong("task_id");
    assertEquals(2, claim(session, "PDPInitPP", 2, 0).size());
    assertEquals(TASKS, next());
    complete(task, session, "failed", "no head");
    assertEquals(TASKS, next());
    assertEquals(proofSet(7, "init_scheduled"), next(), "the outcome of the task proof set 7 holds");
    assertEquals(0, events.size());
  }
}
