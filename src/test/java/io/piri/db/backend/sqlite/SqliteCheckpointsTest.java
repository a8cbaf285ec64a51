package io.piri.db.backend.sqlite;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.piri.db.backend.Database;
import io.piri.db.core.StoreId;
import io.piri.db.support.Eventually;
import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Pages reach the database file only through checkpoints: the writer's commits leave them in the
 * WAL, and a checkpoint beside the writer copies them once enough commits have gathered there.
 */
class SqliteCheckpointsTest {
  private static final String INSERT = "INSERT INTO piri_meta (key, value) VALUES (?1, ?2)";

  @TempDir Path tmp;
  private Vertx vertx;

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
  }

  @AfterEach
  void close() throws Exception {
    vertx.close().await(30, TimeUnit.SECONDS);
  }

  @Test
  void theWalIsCopiedIntoTheFileBesideTheWriterEveryFewCommits() throws Exception {
    Database db = SqliteDatabase.open(vertx, StoreId.REPLICATOR, tmp, 2).await(30, TimeUnit.SECONDS);
    Path file = tmp.resolve(StoreId.REPLICATOR.sqliteFile());
    long before = Files.size(file);
    for (int i = 1; i < Checkpoints.EVERY_COMMITS; i++) write(db, i);
    assertEquals(before, Files.size(file), "the writer's own commits copy nothing into the file");
    write(db, Checkpoints.EVERY_COMMITS);
    Eventually.until("a checkpoint copied the WAL into the file", () -> Files.size(file) > before);
    db.close().await(30, TimeUnit.SECONDS);
  }

  /** One commit whose value spills over several pages. */
  private static void write(Database db, int i) throws Exception {
    db.write(tx -> tx.run(INSERT, "k" + i, "v".repeat(16_384))).await(30, TimeUnit.SECONDS);
  }
}
