package io.piri.db.backend.sqlite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.piri.db.backend.Listeners;
import io.piri.db.backend.Row;
import io.piri.db.backend.Tx;
import io.piri.db.core.DbException;
import io.piri.db.core.StoreId;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.ThreadingModel;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The writer's group commit, driven directly: requests that queue up while a transaction runs go
 * into the next one together, and one that fails there is rolled back alone.
 */
class SqliteWriterTest {
  private static final String INSERT = "INSERT INTO piri_meta (key, value) VALUES (?1, ?2)";

  @TempDir Path tmp;
  private Vertx vertx;
  private SqliteWriter writer;
  private final Listeners listeners = new Listeners();
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

  @BeforeEach
  void deploy() throws Exception {
    vertx = Vertx.vertx();
    writer = new SqliteWriter(StoreId.REPLICATOR, tmp.resolve("replicator.db"), listeners, new java.util.concurrent.atomic.AtomicLong());
    vertx.deployVerticle(writer, new DeploymentOptions().setThreadingModel(ThreadingModel.WORKER)).await(30, TimeUnit.SECONDS);
    writer.meters(WriterMeters.of(registry, "replicator"));
  }

  @AfterEach
  void close() throws Exception {
    vertx.close().await(30, TimeUnit.SECONDS);
  }

  private <T> Future<T> submit(Function<Tx, Future<T>> work) {
    Promise<T> promise = Promise.promise();
    writer.submit(new SqliteWriter.Job<>(work, vertx.getOrCreateContext(), promise));
    return promise.future();
  }

  @Test
  void aFailingRequestInABatchIsRolledBackAloneAndTheOthersCommit() throws Exception {
    List<String> notified = new CopyOnWriteArrayList<>();
    CountDownLatch delivered = new CountDownLatch(1);
    listeners.add(vertx, "meta", payload -> {
      notified.add(payload);
      if (payload.equals("last")) delivered.countDown();
    });
    CountDownLatch running = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    // Holds the writer's thread, so that the next three requests queue up behind it.
    Future<Void> holder = submit(tx -> {
      running.countDown();
      await(release);
      return Future.succeededFuture();
    });
    await(running);

    Future<Void> a = submit(tx -> tx.run(INSERT, "a", "1").compose(r -> tx.notifyAfterCommit("meta", "a")));
    Future<Void> b = submit(tx -> tx.run(INSERT, "b", "1")
        .compose(r -> tx.notifyAfterCommit("meta", "b"))
        .compose(v -> tx.run(INSERT, "b", "again")).mapEmpty());
    Future<Void> c = submit(tx -> tx.run(INSERT, "c", "1").compose(r -> tx.notifyAfterCommit("meta", "c")));
    release.countDown();

    holder.await(30, TimeUnit.SECONDS);
    a.await(30, TimeUnit.SECONDS);
    c.await(30, TimeUnit.SECONDS);
    Throwable failure = b.transform(Future::succeededFuture).await(30, TimeUnit.SECONDS).cause();
    DbException e = assertInstanceOf(DbException.class, failure, String.valueOf(failure));
    assertEquals(DbException.Kind.UNIQUE_VIOLATION, e.kind(), e.getMessage());

    DistributionSummary sizes = registry.find("piri.db.sqlite.batch.size").summary();
    assertEquals(2, sizes.count(), "the holder's batch and one more");
    assertEquals(3.0, sizes.max(), "a, b and c went into one batch");
    assertEquals(2, writer.commits());
    assertEquals(List.of("a", "c"), keys(), "b's first insert was rolled back with it");

    submit(tx -> tx.notifyAfterCommit("meta", "last")).await(30, TimeUnit.SECONDS);
    await(delivered);
    assertEquals(List.of("a", "c", "last"), notified, "only committed requests notify, after their commit");
  }

  @Test
  void workThatReturnsAFutureNotYetCompleteFailsAloneWithAClearError() throws Exception {
    Promise<Void> never = Promise.promise();
    CountDownLatch release = new CountDownLatch(1);
    Future<Void> holder = submit(tx -> {
      await(release);
      return Future.succeededFuture();
    });
    Future<Void> pending = submit(tx -> tx.run(INSERT, "p", "1").compose(r -> never.future()));
    Future<Void> fine = submit(tx -> tx.run(INSERT, "f", "1").mapEmpty());
    release.countDown();

    holder.await(30, TimeUnit.SECONDS);
    fine.await(30, TimeUnit.SECONDS);
    Throwable failure = pending.transform(Future::succeededFuture).await(30, TimeUnit.SECONDS).cause();
    assertInstanceOf(IllegalStateException.class, failure);
    assertTrue(failure.getMessage().contains("not complete"), failure.getMessage());
    assertEquals(List.of("f"), keys());
  }

  private List<String> keys() throws Exception {
    return submit(tx -> tx.run("SELECT key FROM piri_meta ORDER BY key").map(rows -> {
      List<String> out = new ArrayList<>();
      for (Row r : rows) out.add(r.string("key"));
      return out;
    })).await(30, TimeUnit.SECONDS);
  }

  private static void await(CountDownLatch latch) {
    try {
      assertTrue(latch.await(30, TimeUnit.SECONDS), "timed out");
    } catch (InterruptedException e) {
      throw new AssertionError(e);
    }
  }
}
