package io.piri.db.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.piri.db.config.BackendType;
import io.piri.db.core.StoreId;
import io.piri.db.datadir.BackendMarker;
import io.piri.db.ops.Operations;
import io.piri.db.server.PiriServer;
import io.piri.db.support.Cli;
import io.piri.db.support.ServerTestBase;
import io.piri.db.support.TestBackend;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The read commands with {@code --data-dir}: the same output as the running node gives over its
 * bridge, on the same data, while the node runs and after it stopped; the stopped node's files are
 * byte for byte what they were; a PostgreSQL data_dir or a directory of something else is refused
 * with exit 2 and the reason.
 */
class OfflineCommandsTest extends ServerTestBase {
  @Override
  protected TestBackend backend() {
    return TestBackend.sqlite();
  }

  /** Every read command of the list, each as a table and as JSON. */
  private static List<List<String>> readCommands() {
    List<List<String>> out = new ArrayList<>();
    for (List<String> c : List.of(List.of("queues"), List.of("jobs", "replication"), List.of("dead", "list", "manager"),
        List.of("dedupe", "aggregator", "pin", "k1"), List.of("dedupe", "aggregator", "pin", "--payload", "{\"n\":2}"),
        List.of("audit"), List.of("tasks"), List.of("task-history"), List.of("task-history", "--name", "PDPProve", "--limit", "1"),
        List.of("sessions"), List.of("proofsets"), List.of("proofset", "7"), List.of("proofset-timeline", "7"))) {
      out.add(c);
      List<String> json = new ArrayList<>(c);
      json.add("--json");
      out.add(json);
    }
    return out;
  }

  @Test
  void readCommandsGiveTheNodesAnswerFromItsDataDirWhileItRunsAndOnceItStopped() throws Exception {
    PiriServer node = startServer();
    List<Long> deadIds = fillQueues();
    fillScheduler();
    String bridge = "127.0.0.1:" + config.bridgePort();
    String dir = config.dataDir().toString();
    assertEquals(0, Cli.run("dead", "requeue", "manager", String.valueOf(deadIds.get(0)), "--bridge", bridge).code(), "an audit row");

    Map<List<String>, String> online = new java.util.LinkedHashMap<>();
    for (List<String> c : readCommands()) {
      Cli.Result r = run(c, "--bridge", bridge);
      assertEquals(0, r.code(), c + ": " + r);
      online.put(c, r.out());
      Cli.Result beside = run(c, "--data-dir", dir, "--config", noConfig());
      assertEquals(0, beside.code(), c + " beside the running node: " + beside);
      assertEquals(r.out(), beside.out(), c + " offline beside the running node");
    }
    assertTrue(online.get(List.of("audit", "--json")).contains("dead-requeue"), online.toString());
    JsonObject prove = new JsonObject(online.get(List.of("tasks", "--json")).trim()).getJsonObject("PDPProve");
    assertEquals(new JsonObject().put("runnable", 1L).put("waiting", 0L).put("running", 1L), prove);
    assertEquals(1, new JsonObject(online.get(List.of("task-history", "--json")).trim()).getJsonArray("rows").size());
    assertEquals(1, new JsonObject(online.get(List.of("sessions", "--json")).trim()).getJsonArray("sessions").size());
    assertEquals(7L, new JsonObject(online.get(List.of("proofset", "7", "--json")).trim()).getLong("proofset_id"));
    assertTrue(online.get(List.of("proofsets")).lines().anyMatch(l -> l.startsWith("7 ")), online.get(List.of("proofsets")));
    assertTrue(new JsonObject(online.get(List.of("proofset-timeline", "7", "--json")).trim()).getJsonArray("events").size() > 0);
    assertEquals(1, new JsonObject(online.get(List.of("jobs", "replication", "--json")).trim()).getJsonArray("running").size());
    assertEquals(1, new JsonObject(online.get(List.of("dead", "list", "manager", "--json")).trim()).getJsonArray("jobs").size());
    assertEquals("live", new JsonObject(online.get(List.of("dedupe", "aggregator", "pin", "k1", "--json")).trim()).getString("found"));
    assertEquals("live", new JsonObject(online.get(List.of("dedupe", "aggregator", "pin", "--payload", "{\"n\":2}", "--json")).trim())
        .getString("found"));

    stopServer(node);
    Map<String, byte[]> before = files(config.dataDir());
    for (List<String> c : readCommands()) {
      Cli.Result r = run(c, "--data-dir", dir, "--config", noConfig());
      assertEquals(0, r.code(), c + " offline: " + r);
      assertEquals(online.get(c), r.out(), c + " offline, node stopped");
    }
    Map<String, byte[]> after = files(config.dataDir());
    assertEquals(before.keySet(), after.keySet(), "no file created or removed");
    before.forEach((name, bytes) -> assertArrayEquals(bytes, after.get(name), name + " unchanged"));
  }

  /**
   * A node killed while it ran leaves its files with their WAL: a copy of the data_dir taken while
   * the node runs is such a directory. The reads go through the WAL, and the database files and
   * their WALs stay as they were (SQLite may rebuild its shared-memory index, the -shm file).
   */
  @Test
  void aDataDirLeftByAKilledNodeIsReadThroughItsWal() throws Exception {
    startServer();
    fillQueues();
    Cli.Result online = Cli.run("queues", "--json", "--bridge", "127.0.0.1:" + config.bridgePort());
    assertEquals(0, online.code(), online.toString());
    Path copy = tmp.resolve("killed");
    try (Stream<Path> all = Files.walk(config.dataDir())) {
      for (Path p : all.toList()) {
        Path to = copy.resolve(config.dataDir().relativize(p).toString());
        if (Files.isDirectory(p)) Files.createDirectories(to);
        else if (!p.getFileName().toString().equals("piri-db.lock")) Files.copy(p, to);
      }
    }
    assertTrue(Files.exists(copy.resolve(StoreId.REPLICATOR.sqliteFile() + "-wal")), "the copy holds the WAL");
    Map<String, byte[]> before = files(copy);
    Cli.Result offline = Cli.run("queues", "--json", "--data-dir", copy.toString(), "--config", noConfig());
    assertEquals(0, offline.code(), offline.toString());
    assertEquals(online.out(), offline.out());
    Map<String, byte[]> after = files(copy);
    before.forEach((name, bytes) -> {
      if (!name.endsWith("-shm")) assertArrayEquals(bytes, after.get(name), name + " unchanged");
    });
  }

  @Test
  void badFlagsOfTheReadCommandsExit2BeforeAnythingIsOpened() {
    String dir = tmp.resolve("never-opened").toString();
    for (String[] args : new String[][] {{"dedupe", "aggregator", "pin"}, {"dedupe", "aggregator", "pin", "k", "--payload", "1"},
        {"dedupe", "aggregator", "pin", "--payload", "{not json"}, {"task-history", "--limit", "0"}, {"sessions", "--limit", "1001"},
        {"proofset", "x"}}) {
      List<String> all = new ArrayList<>(List.of(args));
      all.addAll(List.of("--data-dir", dir));
      Cli.Result r = Cli.run(all.toArray(String[]::new));
      assertEquals(2, r.code(), all + ": " + r);
      assertTrue(!r.err().contains("--data-dir"), "refused for its flags, not for the directory: " + r.err());
    }
    assertTrue(Files.notExists(tmp.resolve("never-opened")));
  }

  @Test
  void aChangeCannotBeMadeOffline() throws Exception {
    stopServer(startServer());
    Cli.Result r = Cli.run("dead", "purge", "manager", "--all", "--data-dir", config.dataDir().toString());
    assertEquals(2, r.code(), r.toString());
    assertTrue(r.err().contains("--data-dir"), r.err());
  }

  @Test
  void aPostgresDataDirIsRefusedWithTheReason() throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("pg-node"));
    BackendMarker.record(dir, BackendType.POSTGRES);
    Cli.Result r = Cli.run("queues", "--data-dir", dir.toString());
    assertEquals(2, r.code(), r.toString());
    assertTrue(r.err().contains("PostgreSQL") && r.err().contains("--bridge"), r.err());
    assertEquals("", r.out());
  }

  @Test
  void aDirectoryThatIsNoDataDirIsRefusedWithTheReason() throws Exception {
    Path empty = Files.createDirectories(tmp.resolve("empty"));
    Cli.Result r = Cli.run("audit", "--data-dir", empty.toString());
    assertEquals(2, r.code(), r.toString());
    assertTrue(r.err().contains("is not a piri-db SQLite data_dir"), r.err());

    Cli.Result missing = Cli.run("queues", "--data-dir", tmp.resolve("nowhere").toString());
    assertEquals(2, missing.code(), missing.toString());
    assertTrue(missing.err().contains("is not a directory"), missing.err());

    Path partial = Files.createDirectories(tmp.resolve("partial"));
    BackendMarker.record(partial, BackendType.SQLITE);
    Files.createDirectories(partial.resolve(StoreId.SCHEDULER.sqliteFile()).getParent());
    Files.writeString(partial.resolve(StoreId.SCHEDULER.sqliteFile()), "not a database");
    Cli.Result broken = Cli.run("queues", "--data-dir", partial.toString());
    assertEquals(2, broken.code(), broken.toString());
    assertTrue(broken.err().contains("not a complete piri-db SQLite data_dir"), broken.err());
    assertTrue(Files.readString(partial.resolve(StoreId.SCHEDULER.sqliteFile())).equals("not a database"));
  }

  /** Ready and running jobs in replication, two dead letters in manager. */
  private List<Long> fillQueues() throws Exception {
    for (int i = 0; i < 3; i++) {
      call(StoreId.REPLICATOR, "enqueue", new JsonObject().put("queue", "replication").put("name", "r" + i).put("payload", i));
    }
    call(StoreId.REPLICATOR, "claim", new JsonObject().put("queue", "replication").put("lease_ms", 3_600_000));
    for (int i = 0; i < 2; i++) {
      call(StoreId.AGGREGATOR, "enqueue", new JsonObject().put("queue", "manager").put("name", "m" + i).put("payload", i));
    }
    JsonArray claimed = call(StoreId.AGGREGATOR, "claim", new JsonObject().put("queue", "manager").put("max", 2)).getJsonArray("jobs");
    for (Object o : claimed) {
      JsonObject j = (JsonObject) o;
      call(StoreId.AGGREGATOR, "fail", new JsonObject().put("queue", "manager").put("id", j.getLong("id"))
          .put("receipt", j.getString("receipt")).put("error", "boom").put("permanent", true));
    }
    call(StoreId.AGGREGATOR, "enqueue", new JsonObject().put("queue", "aggregator").put("name", "pin").put("payload", 1)
        .put("dedupe_key", "k1"));
    call(StoreId.AGGREGATOR, "enqueue", new JsonObject().put("queue", "aggregator").put("name", "pin").put("payload", new JsonObject().put("n", 2)));
    JsonArray again = call(StoreId.AGGREGATOR, Operations.DEAD_LIST.action(), new JsonObject().put("queue", "manager")).getJsonArray("jobs");
    assertEquals(2, again.size());
    return List.of(again.getJsonObject(0).getLong("id"), again.getJsonObject(1).getLong("id"));
  }

  /**
   * A session holding one task, one task runnable, one run done in the history, a proof set with
   * its timeline. Nothing in it changes with time (no retry wait, a session ttl of ten minutes).
   */
  private void fillScheduler() throws Exception {
    String session = call(StoreId.SCHEDULER, "session-open", new JsonObject().put("name", "w1").put("ttl_ms", 600_000))
        .getString("session");
    for (int i = 0; i < 3; i++) call(StoreId.SCHEDULER, "task-add", new JsonObject().put("name", "PDPProve"));
    JsonArray tasks = call(StoreId.SCHEDULER, "task-claim", new JsonObject().put("session", session)
        .put("names", new JsonArray().add("PDPProve")).put("max", 2)).getJsonArray("tasks");
    long now = clock.now();
    call(StoreId.SCHEDULER, "task-complete", new JsonObject().put("id", tasks.getJsonObject(0).getLong("id")).put("session", session)
        .put("outcome", "done").put("work_start", now - 5).put("work_end", now));
    String create = String.format("0x%064x", 1);
    call(StoreId.SCHEDULER, "ps-record-create", new JsonObject().put("create_message_hash", create));
    call(StoreId.SCHEDULER, "msg-confirm", new JsonObject().put("signed_tx_hash", create).put("block_number", 1).put("success", true));
    call(StoreId.SCHEDULER, "ps-materialize", new JsonObject().put("create_message_hash", create).put("proofset_id", 7)
        .put("proving_period", 2880).put("challenge_window", 20));
  }

  /** The built-in queues, as the test node has them: no configuration file. */
  private String noConfig() {
    return tmp.resolve("no-such-config.json").toString();
  }

  private static Cli.Result run(List<String> command, String... more) {
    List<String> args = new ArrayList<>(command);
    args.addAll(List.of(more));
    return Cli.run(args.toArray(String[]::new));
  }

  /** Every file under {@code dir} by its relative path, with its bytes. */
  private static Map<String, byte[]> files(Path dir) throws Exception {
    Map<String, byte[]> out = new TreeMap<>();
    try (Stream<Path> all = Files.walk(dir)) {
      for (Path p : all.filter(Files::isRegularFile).toList()) out.put(dir.relativize(p).toString(), Files.readAllBytes(p));
    }
    return out;
  }
}
