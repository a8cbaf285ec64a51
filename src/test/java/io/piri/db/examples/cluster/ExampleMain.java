package io.piri.db.examples.cluster;

import io.piri.db.config.ConfigLoader;
import io.piri.db.config.PiriConfig;
import io.piri.db.cluster.Cluster;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Runs one example verticle in a process of its own that joins a piri-db cluster:
 * {@code producer [COUNT]} enqueues and exits; {@code worker [CONCURRENCY] [HOLD_MS]} runs until
 * stopped. The cluster settings are piri-db's own {@code PIRI_CLUSTER_*} variables (a port of its
 * own, the members to join, the same name), read with piri-db's config loader.
 */
public final class ExampleMain {
  private ExampleMain() {}

  public static void main(String[] args) throws Exception {
    if (args.length == 0 || !(args[0].equals("producer") || args[0].equals("worker"))) {
      System.err.println("usage: ExampleMain producer [COUNT] | worker [CONCURRENCY] [HOLD_MS]");
      System.exit(2);
    }
    PiriConfig.Cluster cluster = ConfigLoader.fromJson(new JsonObject(), System.getenv()).cluster();
    long t0 = System.nanoTime();
    Vertx vertx = Cluster.vertx(cluster).await(120, TimeUnit.SECONDS);
    System.out.println("joined cluster '" + cluster.name() + "' as " + cluster.host() + ":" + cluster.port()
        + " in " + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0) + " ms");
    if (args[0].equals("producer")) {
      int count = args.length > 1 ? Integer.parseInt(args[1]) : 10;
      try {
        vertx.deployVerticle(new ProducerVerticle(count)).await(120, TimeUnit.SECONDS);
      } finally {
        vertx.close().await(30, TimeUnit.SECONDS);
      }
      return;
    }
    int concurrency = args.length > 1 ? Integer.parseInt(args[1]) : 8;
    long holdMs = args.length > 2 ? Long.parseLong(args[2]) : 0;
    vertx.deployVerticle(new WorkerVerticle(concurrency, holdMs)).await(60, TimeUnit.SECONDS);
    CountDownLatch stop = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      // Undeploying stops the worker (running jobs get up to 5 s), then the member leaves.
      try {
        vertx.close().await(15, TimeUnit.SECONDS);
      } catch (Exception e) {
        System.err.println("leaving the cluster: " + e);
      }
      stop.countDown();
    }));
    stop.await();
  }
}
