package io.piri.db.examples.cluster;

import io.piri.db.client.QueueClient;
import io.piri.db.client.QueueWorker;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import java.time.Duration;

/**
 * Example: a Piri verticle that runs the replication queue's {@code transfer-task} jobs. Each job
 * takes {@code holdMs} (a stand-in for real work; the fault test uses a long hold to keep jobs
 * leased when it kills this process).
 */
public final class WorkerVerticle extends VerticleBase {
  private final int concurrency;
  private final long holdMs;
  private QueueWorker worker;

  public WorkerVerticle(int concurrency, long holdMs) {
    this.concurrency = concurrency;
    this.holdMs = holdMs;
  }

  @Override
  public Future<?> start() {
    QueueClient replicator = new QueueClient(vertx, "piri.db.replicator");
    worker = QueueWorker.create(vertx, replicator, "replication", concurrency)
        .handle("transfer-task", job -> {
          System.out.println("handling " + job.id() + " " + job.json().encode());
          return holdMs > 0 ? vertx.timer(holdMs) : Future.succeededFuture();
        });
    worker.start();
    System.out.println("worker ready");
    return Future.succeededFuture();
  }

  @Override
  public Future<?> stop() {
    return worker.stop(Duration.ofSeconds(5)).recover(e -> Future.succeededFuture());
  }
}
