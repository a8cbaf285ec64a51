package io.piri.db.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.piri.db.core.StoreId;
import io.piri.db.support.Cli;
import io.piri.db.support.ServerTestBase;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code piri-db search} against a running node: each flag's kind, paging with --after, refusals. */
public abstract class SearchCommandTestBase extends ServerTestBase {
  private String bridge;

  private Cli.Result cli(String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    all.add("--bridge");
    all.add(bridge);
    return Cli.run(all.toArray(new String[0]));
  }

  private JsonObject json(String... args) {
    Cli.Result r = cli(args);
    assertEquals(0, r.code(), r.toString());
    return new JsonObject(r.out().trim());
  }

  @Test
  void eachFlagFindsItsJobsAndPagesWithAfter() throws Exception {
    startServer(thisNodeWith(new JsonObject().put("queues", new JsonObject()
        .put("manager", new JsonObject().put("search_fields", new JsonArray().add("$.piece"))))));
    bridge = "127.0.0.1:" + config.bridgePort();
    long t0 = clock.now();
    List<Long> ids = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      ids.add(call(StoreId.AGGREGATOR, "enqueue", new JsonObject().put("queue", "manager").put("name", "add_roots")
          .put("payload", new JsonObject().put("piece", "p" + i))).getLong("id"));
    }
    long dd = call(StoreId.AGGREGATOR, "enqueue", new JsonObject().put("queue", "aggregator").put("name", "aggregate_piece")
        .put("payload", 1).put("dedupe_key", "k")).getLong("id");

    JsonObject first = json("search", "manager", "--name", "add_roots", "--limit", "2", "--json");
    assertEquals("aggregator", first.getString("store"));
    assertEquals(2, first.getJsonArray("jobs").size());
    JsonObject second = json("search", "manager", "--name", "add_roots", "--limit", "2", "--after", first.getString("next"), "--json");
    assertEquals(ids.get(2), second.getJsonArray("jobs").getJsonObject(0).getLong("id"));
    assertEquals(ids.get(1), json("search", "manager", "--id", String.valueOf(ids.get(1)), "--json")
        .getJsonArray("jobs").getJsonObject(0).getLong("id"));
    assertEquals(ids.get(2), json("search", "manager", "--field", "$.piece=p2", "--json")
        .getJsonArray("jobs").getJsonObject(0).getLong("id"));
    assertEquals(3, json("search", "manager", "--from", String.valueOf(t0), "--to", "2100-01-01T00:00:00Z", "--json")
        .getJsonArray("jobs").size());
    assertEquals(dd, json("search", "aggregator", "--name", "aggregate_piece", "--dedupe-key", "k", "--json")
        .getJsonArray("jobs").getJsonObject(0).getLong("id"));
    assertEquals(0, json("search", "manager", "--error-prefix", "boom", "--state", "dead", "--json").getJsonArray("jobs").size());

    Cli.Result table = cli("search", "manager", "--name", "add_roots");
    assertEquals(0, table.code(), table.toString());
    assertTrue(table.out().lines().findFirst().orElse("").matches("ID\\s+STATE\\s+NAME\\s+ATTEMPTS\\s+ENQUEUED\\s+DUE/FAILED\\s+ERROR"),
        table.out());
    assertTrue(table.out().contains("(last page)"), table.out());

    Cli.Result unindexed = cli("search", "manager", "--field", "$.other=1");
    assertEquals(4, unindexed.code(), unindexed.toString());
    assertTrue(unindexed.err().contains("queues.manager.search_fields"), unindexed.err());
    Cli.Result nothing = cli("search", "manager");
    assertEquals(2, nothing.code(), nothing.toString());
  }
}
