package io.piri.db.cli;

import io.piri.db.core.ExitException;
import io.piri.db.config.ConfigException;
import io.piri.db.config.ConfigLoader;
import io.piri.db.config.PiriConfig;
import io.piri.db.cluster.Cluster;
import io.piri.db.server.PiriServer;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import sun.misc.Signal;

/** Runs the node until SIGTERM or SIGINT, then stops it gracefully and exits 0. */
@Command(name = "serve", description = "Run the piri-db server.")
public final class ServeCommand implements java.util.concurrent.Callable<Integer> {
  @Option(names = "--config", description = "configuration file (default: ${DEFAULT-VALUE})", defaultValue = "conf/piri-db.json") Path config;

  @Option(names = "--verbose", description = "print stack traces of failures") boolean verbose;

  @Override
  public Integer call() throws Exception {
    Vertx loading = Vertx.vertx();
    Vertx vertx = loading;
    PiriServer server;
    try {
      PiriConfig cfg = await(ConfigLoader.load(loading, config).toCompletionStage().toCompletableFuture(), 30);
      if (cfg.cluster().enabled()) {
        // vertx-config needs a Vertx and a clustered Vertx needs the config: the plain instance
        // only loads it, and the node runs on the clustered one.
        vertx = null;
        loading.close().await(10, TimeUnit.SECONDS);
        vertx = await(Cluster.vertx(cfg.cluster()).toCompletionStage().toCompletableFuture(), 120);
      }
      server = await(PiriServer.start(vertx, cfg).toCompletionStage().toCompletableFuture(), 120);
    } catch (Exception e) {
      if (vertx != null) vertx.close().await(10, TimeUnit.SECONDS);
      throw e;
    }
    Vertx running = vertx;
    CountDownLatch stop = new CountDownLatch(1);
    Signal.handle(new Signal("TERM"), s -> stop.countDown());
    Signal.handle(new Signal("INT"), s -> stop.countDown());
    System.out.println(server.readyLine());
    System.out.flush();
    stop.await();
    // Two waits from this thread, not one composed future: a future completed by vertx.close()
    // cannot call back on an event loop that close() has just shut down.
    try {
      server.stop().await(9, TimeUnit.SECONDS);
      running.close().await(1, TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      System.err.println("piri-db: stop took longer than 10s; exiting anyway");
    }
    return 0;
  }

  /** Waits on the main thread (never an event loop) and unwraps the failure for the exit code. */
  private static <T> T await(java.util.concurrent.CompletableFuture<T> f, int seconds) throws Exception {
    try {
      return f.get(seconds, TimeUnit.SECONDS);
    } catch (ExecutionException | CompletionException e) {
      Throwable c = e.getCause();
      if (c instanceof ExitException || c instanceof ConfigException) throw (RuntimeException) c;
      throw new ExitException(ExitException.FAILED, String.valueOf(c.getMessage()), c);
    } catch (TimeoutException e) {
      throw new ExitException(ExitException.FAILED, "start did not finish within " + seconds + "s");
    }
  }
}
