package io.piri.db.scheduler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.piri.db.support.Eventually;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** task_history: one row per outcome, paged by id, filtered by task or type, pruned after the retention (D13). */
public abstract class TaskHistoryTestBase extends TaskEngineTestBase {
  private String retention = "720h";

  @Override
  protected JsonObject scheduler() {
    return super.scheduler().put("history_retention", retention);
  }

  @Test
  void pagesByIdAndFiltersByTaskAndName() throws Exception {
    startEngine();
    String s = openSession(30_000);
    List<Long> ids = addMany("Forever", 25);
    addMany("Quick", 5);
    long target = ids.get(3);
    while (true) {
      JsonArray got = claim(s, "Forever", 1000, 0);
      if (got.isEmpty()) break;
      for (Object o : got) {
        long id = ((JsonObject) o).getLong("id");
        complete(id, s, "done", null);
      }
    }
    JsonArray q = claim(s, "Quick", 1000, 0);
    for (Object o : q) complete(((JsonObject) o).getLong("id"), s, "done", null);
    // task `target` was done already; make more history for one other task to filter on
    long again = add("Forever");
    for (int i = 0; i < 2; i++) {
      claim(s, "Forever", 1, 0);
      complete(again, s, "failed", "e" + i);
      clock.advance(100);
    }

    List<Long> seen = new ArrayList<>();
    Long after = 0L;
    int pages = 0;
    while (after != null) {
      JsonObject page = call(S, "task-history", new JsonObject().put("after_id", after).put("limit", 10));
      for (Object o : page.getJsonArray("rows")) seen.add(((JsonObject) o).getLong("id"));
      after = page.getLong("next_after_id");
      pages++;
    }
    assertEquals(32, seen.size());
    assertEquals(4, pages, "10 + 10 + 10 + 2");
    for (int i = 1; i < seen.size(); i++) assertTrue(seen.get(i) > seen.get(i - 1), "ascending ids");

    JsonArray one = history(new JsonObject().put("task_id", target));
    assertEquals(1, one.size());
    assertEquals(target, one.getJsonObject(0).getLong("task_id"));
    JsonArray two = history(new JsonObject().put("task_id", again));
    assertEquals(2, two.size());
    assertEquals("error: e1", two.getJsonObject(1).getString("err"));
    assertEquals(5, history(new JsonObject().put("name", "Quick").put("limit", 1000)).size());
    assertEquals(2, history(new JsonObject().put("name", "Forever").put("task_id", again)).size());
    assertEquals(0, history(new JsonObject().put("name", "Quick").put("task_id", again)).size());
    JsonObject last = call(S, "task-history", new JsonObject().put("name", "Quick").put("limit", 1000));
    assertNull(last.getValue("next_after_id"), "a page that is not full is the last");
  }

  @Test
  void rowsOlderThanTheRetentionArePrunedInBatches() throws Exception {
    retention = "1s";
    startEngine();
    int n = 1_200; // more than two batches of 500
    String s = openSession(60_000);
    addMany("Forever", n);
    int completed = 0;
    while (completed < n) {
      JsonArray got = claim(s, "Forever", 1000, 0);
      List<Future<JsonObject>> fs = new ArrayList<>();
      for (Object o : got) fs.add(request(S, "task-complete", completeBody(((JsonObject) o).getLong("id"), s, "done", null)));
      for (Future<JsonObject> f : fs) await(f);
      completed += got.size();
    }
    assertTrue(history(new JsonObject().put("limit", 1000)).size() > 0);
    clock.advance(1_000);
    assertEquals(1, history(new JsonObject().put("limit", 1)).size(), "nothing is pruned before it is older than the retention");
    clock.advance(1);
    Eventually.until("history older than the retention is pruned", () -> history(new JsonObject().put("limit", 1)).isEmpty());
    long id = add("Forever");
    claim(s, "Forever", 1, 0);
    complete(id, s, "done", null);
    assertEquals(1, history(new JsonObject().put("task_id", id)).size(), "a new row is kept until it is old");
  }
}
