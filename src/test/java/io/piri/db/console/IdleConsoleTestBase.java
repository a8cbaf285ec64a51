package io.piri.db.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.piri.db.core.StoreId;
import io.piri.db.support.Eventually;
import io.vertx.core.Future;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Watching costs an idle node nothing: with 20 consoles open on their event streams and no job
 * activity, a minute passes without a single SQL statement on any store.
 */
public abstract class IdleConsoleTestBase extends ConsoleTestBase {
  private static final int TABS = 20;
  private static final int IDLE_SECONDS = 60;
  private static final long DAY_MS = 86_400_000L;

  private HttpClient tabs;

  @AfterEach
  void closeTabs() throws Exception {
    if (tabs != null) tabs.close().await(10, TimeUnit.SECONDS);
  }

  @Test
  void twentyOpenConsolesOnAnIdleNodeRunNoStatementForAMinute() throws Exception {
    startConsole();
    call(StoreId.REPLICATOR, "enqueue", new JsonObject().put("queue", "replication").put("name", "ready").put("payload", 1));
    // A job due tomorrow: its store keeps a timer for it, which must not fire in the idle minute.
    call(StoreId.AGGREGATOR, "enqueue", new JsonObject().put("queue", "manager").put("name", "later").put("payload", 2)
        .put("delay_ms", DAY_MS));
    call(StoreId.SCHEDULER, "task-add", new JsonObject().put("name", "PDPProve"));
    // Those enqueues are activity of this minute, whose rollup row each store writes once it is
    // over: let it end now, and wait for the writes (a rollups read waits for them), so that the
    // idle minute below starts with nothing left to write.
    clock.advance(60_000);
    for (StoreId s : List.of(StoreId.REPLICATOR, StoreId.AGGREGATOR)) {
      call(s, "rollups", new JsonObject().put("queue", s == StoreId.REPLICATOR ? "replication" : "manager"));
    }

    tabs = vertx.createHttpClient(new HttpClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(config.http().port()),
        new PoolOptions().setHttp1MaxSize(TABS + 1));
    List<AtomicInteger> keepalives = new ArrayList<>();
    long beforeTabs = total(statements());
    for (int i = 0; i < TABS; i++) {
      // A tab loads the overview, then listens.
      HttpClientResponse overview = await(get(tabs, "api/queues").compose(r -> r.body().map(b -> r)));
      assertEquals(200, overview.statusCode());
      AtomicInteger seen = new AtomicInteger();
      HttpClientResponse events = await(get(tabs, "api/events").map(r -> r.handler(chunk -> {
        if (chunk.toString().contains(": keepalive")) seen.incrementAndGet();
      })));
      assertEquals(200, events.statusCode());
      keepalives.add(seen);
    }
    Eventually.until(TABS + " event streams", Duration.ofSeconds(10), () -> server.console().eventClients() == TABS);

    long[] before = statements();
    assertTrue(total(before) > beforeTabs, "the tabs' overview reads are counted");
    // Moving the clock fires every timer the stores set through it (due times, prunes, session
    // expiry), but the rest of the node runs on real Vert.x timers: the event streams' keepalives
    // (20 s), the console's per-minute rates, the connection pools' housekeeping and idle timeouts.
    // Only a minute that really passes covers them, so the clock moves with real time here.
    for (int s = 0; s < IDLE_SECONDS; s++) {
      clock.advance(1_000);
      Thread.sleep(1_000);
    }
    long[] after = statements();

    assertEquals(Arrays.toString(before), Arrays.toString(after),
        "statements per store (" + Arrays.toString(StoreId.values()) + ") before and after an idle minute");
    assertEquals(TABS, server.console().eventClients(), "every tab still listens");
    for (AtomicInteger k : keepalives) assertTrue(k.get() >= 2, "each stream saw the keepalives of the minute: " + k.get());
  }

  private static long total(long[] perStore) {
    return Arrays.stream(perStore).sum();
  }

  private long[] statements() {
    return Arrays.stream(StoreId.values()).mapToLong(s -> server.database(s).statementsRun()).toArray();
  }

  private Future<HttpClientResponse> get(HttpClient client, String path) {
    return client.request(new RequestOptions().setMethod(HttpMethod.GET).setURI(config.console().prefix() + path)
            .putHeader("Authorization", "Bearer " + viewer))
        .compose(req -> req.send());
  }
}
