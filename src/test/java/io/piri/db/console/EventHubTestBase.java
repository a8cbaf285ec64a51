package io.piri.db.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.piri.db.support.Eventually;
import io.piri.db.core.StoreId;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * GET /api/events: the node reads a change once and sends it to every open stream; with no
 * stream open, or no change, it reads nothing.
 */
public abstract class EventHubTestBase extends ConsoleTestBase {
  private final Map<String, AtomicInteger> storeReads = new ConcurrentHashMap<>();
  private final List<Stream<String>> streams = new ArrayList<>();

  /** One open event stream: its events as {event name, data}. */
  private final class Client {
    final BlockingQueue<String[]> events = new LinkedBlockingQueue<>();

    Client() throws Exception {
      HttpResponse<Stream<String>> r = http.send(request("api/events").build(), HttpResponse.BodyHandlers.ofLines());
      assertEquals(200, r.statusCode());
      assertEquals("text/event-stream", r.headers().firstValue("Content-Type").orElse(""));
      streams.add(r.body());
      Thread t = new Thread(() -> {
        String event = null;
        try {
          for (var it = r.body().iterator(); it.hasNext(); ) {
            String line = it.next();
            if (line.startsWith("event: ")) event = line.substring(7);
            else if (line.startsWith("data: ")) events.add(new String[] {event, line.substring(6)});
          }
        } catch (RuntimeException closed) {
          // the stream was closed by the test or the node
        }
      });
      t.setDaemon(true);
      t.start();
    }

    JsonObject next() throws InterruptedException {
      return next("queue");
    }

    JsonObject next(String name) throws InterruptedException {
      String[] e = events.poll(10, TimeUnit.SECONDS);
      assertNotNull(e, "no event within 10 s");
      assertEquals(name, e[0]);
      return new JsonObject(e[1]);
    }
  }

  @BeforeEach
  void countStoreReads() throws Exception {
    startConsole();
    vertx.eventBus().addOutboundInterceptor(ctx -> {
      String action = ctx.message().headers().get("action");
      if (action != null && ctx.message().address().startsWith("piri.db.")) {
        storeReads.computeIfAbsent(action, a -> new AtomicInteger()).incrementAndGet();
      }
      ctx.next();
    });
  }

  @AfterEach
  void closeStreams() {
    streams.forEach(Stream::close);
  }

  private int reads(String action) {
    AtomicInteger n = storeReads.get(action);
    return n == null ? 0 : n.get();
  }

  private void publish(JsonObject event) {
    vertx.eventBus().publish(io.piri.db.bus.ChangeEvents.ADDRESS, event);
  }

  /** The node registers a stream when its request arrives; nothing announces it to the test. */
  private void awaitClients(int n) {
    Eventually.until(n + " event streams", Duration.ofSeconds(10), () -> server.console().eventClients() == n);
  }

  /** The hub reads on its own schedule (at most one read per 200 ms). */
  private void awaitReads(String action, int n) {
    Eventually.until(n + " reads of " + action, Duration.ofSeconds(10), () -> reads(action) >= n);
  }

  @Test
  void twentyStreamsCostOneReadPerChange() throws Exception {
    List<Client> clients = new ArrayList<>();
    for (int i = 0; i < 20; i++) clients.add(new Client());
    awaitClients(20);
    call(StoreId.REPLICATOR, "enqueue", new JsonObject().put("queue", "replication").put("name", "n").put("payload", 1));
    int statsBefore = reads("stats");
    int jobsBefore = reads("jobs-page");
    publish(new JsonObject().put("store", "replicator").put("queue", "replication"));
    for (Client c : clients) {
      JsonObject e = c.next();
      assertEquals("replication", e.getString("queue"));
      assertEquals("replicator", e.getString("store"));
      assertEquals(1, e.getJsonObject("counts").getLong("ready"));
    }
    assertEquals(1, reads("stats") - statsBefore);
    assertEquals(1, reads("jobs-page") - jobsBefore);
    for (Client c : clients) assertNull(c.events.poll(), "one change, one event");
  }

  @Test
  void withoutStreamsEventsReadNothingAndStrangeEventsAreIgnored() throws Exception {
    int statsBefore = reads("stats");
    publish(new JsonObject().put("store", "replicator").put("queue", "replication"));
    Client c = new Client();
    awaitClients(1);
    publish(new JsonObject().put("store", "aggregator").put("queue", "replication"));
    publish(new JsonObject().put("store", "replicator").put("queue", "nope"));
    publish(new JsonObject().put("queue", "replication"));
    vertx.eventBus().send(io.piri.db.bus.ChangeEvents.ADDRESS, new JsonObject().put("store", "replicator").put("queue", "replication"));
    call(StoreId.AGGREGATOR, "enqueue", new JsonObject().put("queue", "manager").put("name", "n").put("payload", 1));
    publish(new JsonObject().put("store", "aggregator").put("queue", "manager"));
    JsonObject e = c.next();
    assertEquals("manager", e.getString("queue"));
    assertEquals(1, e.getJsonObject("counts").getLong("ready"));
    assertEquals(1, reads("stats") - statsBefore, "only the last event was read");
  }

  @Test
  void anUnchangedQueueSendsNoSecondEvent() throws Exception {
    Client c = new Client();
    awaitClients(1);
    call(StoreId.REPLICATOR, "enqueue", new JsonObject().put("queue", "replication").put("name", "n").put("payload", 1));
    publish(new JsonObject().put("store", "replicator").put("queue", "replication"));
    assertEquals(1, c.next().getJsonObject("counts").getLong("ready"));
    int statsBefore = reads("stats");
    publish(new JsonObject().put("store", "replicator").put("queue", "replication"));
    awaitReads("stats", statsBefore + 1);
    call(StoreId.REPLICATOR, "enqueue", new JsonObject().put("queue", "replication").put("name", "n").put("payload", 2));
    publish(new JsonObject().put("store", "replicator").put("queue", "replication"));
    assertEquals(2, c.next().getJsonObject("counts").getLong("ready"), "the repeat of the same counts was not sent");
  }

  @Test
  void aQueueStoresCommitsReachTheStreamsThroughItsOwnEvents() throws Exception {
    Client c = new Client();
    awaitClients(1);
    call(StoreId.REPLICATOR, "enqueue", new JsonObject().put("queue", "replication").put("name", "n").put("payload", 1));
    // The store gathers a queue's changes for 100 ms before it sends the event.
    clock.advance(100);
    JsonObject e = c.next();
    assertEquals("replication", e.getString("queue"));
    assertEquals(1, e.getJsonObject("counts").getLong("ready"));
    JsonObject claimed = call(StoreId.REPLICATOR, "claim", new JsonObject().put("queue", "replication")).getJsonArray("jobs").getJsonObject(0);
    call(StoreId.REPLICATOR, "complete", new JsonObject().put("queue", "replication").put("id", claimed.getLong("id"))
        .put("receipt", claimed.getString("receipt")));
    clock.advance(100);
    JsonObject counts = c.next().getJsonObject("counts");
    assertEquals(0, counts.getLong("ready"));
    assertEquals(1, counts.getLong("done"));
  }

  @Test
  void theSchedulersCommitsReachTheStreamsAsTheirOwnEvents() throws Exception {
    Client c = new Client();
    awaitClients(1);
    call(StoreId.SCHEDULER, "task-add", new JsonObject().put("name", "PDPProve"));
    JsonObject tasks = c.next("tasks");
    assertEquals(1, tasks.getJsonObject("types").getJsonObject("PDPProve").getLong("runnable"));
    String hash = String.format("0x%064x", 1);
    call(StoreId.SCHEDULER, "ps-record-create", new JsonObject().put("create_message_hash", hash));
    call(StoreId.SCHEDULER, "msg-confirm", new JsonObject().put("signed_tx_hash", hash).put("block_number", 1).put("success", true));
    call(StoreId.SCHEDULER, "ps-materialize", new JsonObject().put("create_message_hash", hash).put("proofset_id", 3)
        .put("proving_period", 100).put("challenge_window", 10));
    assertEquals("proofsets", c.next("proofsets").getString("area"));
    assertNull(c.events.poll(), "one event per change");
  }
}
