package io.piri.db.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.piri.db.core.StoreId;
import io.piri.db.bus.ActionRouter;
import io.piri.db.client.QueueClient;
import io.piri.db.client.StoreException;
import io.piri.db.config.PiriConfig;
import io.piri.db.support.TestCluster;
import io.piri.db.support.TestTls;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Strangers at a TLS-protected cluster's doors. Member 0 owns a SQLite data_dir and serves the
 * stores, member 1 is a client member; each stranger starts on the third port of the member list
 * with the cluster's name and member list, as an outsider who learnt both would. None of them
 * becomes a member, delivers a request to a store, or receives a request meant for one.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ClusterSecurityTest {
  private static final String QUEUE = "replication";
  private static final int STRANGER = 2;

  @TempDir static Path tmp;
  private TestCluster cluster;
  private Vertx owner;
  private Vertx member;

  @BeforeAll
  void startCluster() throws Exception {
    cluster = new TestCluster(3);
    owner = cluster.startSqliteOwner(tmp.resolve("owner"));
    member = cluster.start(1);
  }

  @AfterAll
  void stopCluster() {
    if (cluster != null) cluster.close();
  }

  @Test
  void aStrangerWithoutTlsCannotJoinSendOrReceive() throws Exception {
    assertShutOut(Cluster.vertx(cluster.member(STRANGER, false).withTls(null)).await(90, TimeUnit.SECONDS));
  }

  @Test
  void aStrangerWithACertificateTheClusterDidNotSignCannotJoinSendOrReceive() throws Exception {
    PiriConfig.Cluster settings = cluster.member(STRANGER, false).withTls(TestTls.get().stranger());
    assertShutOut(Cluster.vertx(settings).await(90, TimeUnit.SECONDS));
  }

  /**
   * The event-bus port on its own: a process that got into the membership (it holds the
   * membership's credentials) but has no certificate for the event bus still cannot send to a
   * store, and whatever the members send to its consumers never arrives.
   */
  @Test
  void aMemberWithoutTheEventBusCertificateCanNeitherSendNorReceive() throws Exception {
    PiriConfig.Cluster settings = cluster.member(STRANGER, false);
    long before = ready();
    Vertx stranger = Vertx.builder()
        .with(new VertxOptions().setEventBusOptions(Cluster.eventBusOptions(settings.withTls(null))))
        .withClusterManager(Cluster.clusterManager(settings))
        .buildClustered().await(90, TimeUnit.SECONDS);
    AtomicInteger received;
    try {
      assertEquals(3, nodes(owner), "the membership itself admits it: it has the credentials");
      Future<Long> sent = new QueueClient(stranger, StoreId.REPLICATOR.address(), 3_000)
          .enqueue(QUEUE, "transfer-task", new JsonObject().put("from", "stranger"));
      assertThrows(StoreException.class, () -> sent.await(30, TimeUnit.SECONDS));
      received = listen(stranger);
      // Sent by the member, round-robin: those that pick the stranger's consumer fail.
      DeliveryOptions ping = new DeliveryOptions().setSendTimeout(3_000).addHeader(ActionRouter.ACTION_HEADER, "ping");
      List<Future<?>> pings = new ArrayList<>();
      for (int i = 0; i < 8; i++) pings.add(member.eventBus().request(StoreId.REPLICATOR.address(), new JsonObject(), ping));
      Future.join(pings).transform(ar -> Future.succeededFuture()).await(30, TimeUnit.SECONDS);
    } finally {
      // Until it leaves, the members' requests may pick its consumers and wait for it in vain.
      stranger.close().await(30, TimeUnit.SECONDS);
    }
    assertEquals(0, received.get(), "requests that reached the stranger's consumers");
    assertEquals(before, ready(), "jobs the stranger enqueued");
  }

  private void assertShutOut(Vertx stranger) throws Exception {
    try {
      assertEquals(1, nodes(stranger), "the stranger is alone in a cluster of its own");
      assertEquals(2, nodes(owner), "the members' view");
      assertEquals(2, nodes(member), "the members' view");
      long before = ready();
      StoreException e = assertThrows(StoreException.class, () -> new QueueClient(stranger, StoreId.REPLICATOR.address(), 5_000)
          .enqueue(QUEUE, "transfer-task", new JsonObject().put("from", "stranger")).await(30, TimeUnit.SECONDS));
      assertEquals(503, e.code(), e.getMessage());
      AtomicInteger received = listen(stranger);
      DeliveryOptions ping = new DeliveryOptions().setSendTimeout(10_000).addHeader(ActionRouter.ACTION_HEADER, "ping");
      for (StoreId store : StoreId.values()) {
        for (int i = 0; i < 5; i++) {
          JsonObject reply = member.eventBus().<JsonObject>request(store.address(), new JsonObject(), ping)
              .await(15, TimeUnit.SECONDS).body();
          assertEquals("sqlite", reply.getString("backend"), store + " answered by " + reply);
        }
      }
      assertEquals(0, received.get(), "requests that reached the stranger's consumers");
      assertEquals(before, ready(), "jobs the stranger enqueued");
    } finally {
      stranger.close().await(30, TimeUnit.SECONDS);
    }
  }

  /** Consumers on every store address, registered (as far as the stranger's cluster goes) before it returns. */
  private static AtomicInteger listen(Vertx stranger) throws Exception {
    AtomicInteger received = new AtomicInteger();
    for (StoreId store : StoreId.values()) {
      MessageConsumer<Object> c = stranger.eventBus().consumer(store.address(), m -> {
        received.incrementAndGet();
        m.reply(new JsonObject().put("backend", "stranger"));
      });
      c.completion().await(30, TimeUnit.SECONDS);
    }
    return received;
  }

  private static int nodes(Vertx v) {
    return ((VertxInternal) v).clusterManager().getNodes().size();
  }

  private long ready() throws Exception {
    return new QueueClient(member, StoreId.REPLICATOR.address()).stats(QUEUE).await(15, TimeUnit.SECONDS)
        .getJsonObject(QUEUE).getLong("ready");
  }
}
