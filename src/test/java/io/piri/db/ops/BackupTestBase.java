package io.piri.db.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.piri.db.core.StoreId;
import io.piri.db.config.BackendType;
import io.piri.db.config.PiriConfig;
import io.piri.db.support.Cli;
import io.piri.db.support.ServerTestBase;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * {@code piri-db backup DIR} while serving: SQLite stores write a copy with the data_dir layout
 * that a node can start from (the documented restore); PostgreSQL stores answer 400 naming pg_dump.
 */
public abstract class BackupTestBase extends ServerTestBase {

  @Test
  void backupWhileServingThenRestoreIntoAFreshDataDir() throws Exception {
    startServer();
    for (int i = 0; i < 50; i++) {
      call(StoreId.AGGREGATOR, "enqueue", new JsonObject().put("queue", "manager").put("name", "m" + i).put("payload", i));
    }
    Path dir = tmp.resolve("backup-1");
    // Writes keep going while the backup runs; each either precedes the copy or follows it.
    var writes = new java.util.ArrayList<io.vertx.core.Future<JsonObject>>();
    for (int i = 0; i < 20; i++) {
      writes.add(request(StoreId.AGGREGATOR, "enqueue", new JsonObject().put("queue", "manager").put("name", "late").put("payload", i)));
    }
    Cli.Result r = Cli.run("backup", dir.toString(), "--bridge", "127.0.0.1:" + config.bridgePort(), "--json");
    for (var w : writes) await(w);
    if (backend().type() == BackendType.POSTGRES) {
      assertEquals(4, r.code(), r.toString());
      JsonObject err = new JsonObject(r.err().trim());
      assertEquals(400, err.getInteger("code"));
      assertTrue(err.getString("message").contains("pg_dump"), err.encode());
      JsonObject stores = new JsonObject(r.out().trim()).getJsonObject("stores");
      assertEquals(4, stores.size());
      assertTrue(stores.getJsonObject("replicator").getString("message").contains("--schema=replicator"), stores.encode());
      return;
    }
    assertEquals(0, r.code(), r.toString());
    JsonObject stores = new JsonObject(r.out().trim()).getJsonObject("stores");
    for (StoreId s : StoreId.values()) {
      Path file = dir.resolve(s.sqliteFile());
      assertTrue(Files.isRegularFile(file), "missing " + file);
      assertEquals(file.toString(), stores.getJsonObject(s.id()).getString("file"));
      assertEquals(Files.size(file), stores.getJsonObject(s.id()).getLong("bytes"));
    }

    // A second backup into the same directory is refused per store with 409 and changes nothing.
    long before = Files.size(dir.resolve(StoreId.AGGREGATOR.sqliteFile()));
    Cli.Result again = Cli.run("backup", dir.toString(), "--bridge", "127.0.0.1:" + config.bridgePort());
    assertEquals(4, again.code(), again.toString());
    assertEquals(409, new JsonObject(again.err().trim()).getInteger("code"), again.toString());
    assertTrue(again.out().contains("conflict"), again.out());
    assertEquals(before, Files.size(dir.resolve(StoreId.AGGREGATOR.sqliteFile())));

    // Restore: the backup directory is a data_dir a node starts from.
    PiriConfig restored = backend().sameNode(config.with(dir, BackendType.SQLITE, null));
    startServer(restored);
    JsonObject stats = call(StoreId.AGGREGATOR, "stats", new JsonObject().put("queue", "manager"))
        .getJsonObject("queues").getJsonObject("manager");
    long ready = stats.getLong("ready");
    assertTrue(ready >= 50 && ready <= 70, "restored jobs: " + stats);
  }

  @Test
  void aRelativeDirectoryIsRefusedByTheStore() throws Exception {
    startServer();
    var e = callFails(StoreId.REPLICATOR, "backup", new JsonObject().put("dir", "relative/dir"));
    assertEquals(400, e.failureCode(), e.getMessage());
    assertTrue(e.getMessage().contains("'dir'"), e.getMessage());
  }
}
