package io.piri.db.examples.cluster;

import io.piri.db.client.QueueClient;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * Example: a Piri verticle that enqueues {@code count} replication jobs. It knows nothing of the
 * cluster: the event bus finds the store, in this JVM or on another member.
 */
public final class ProducerVerticle extends VerticleBase {
  private final int count;

  public ProducerVerticle(int count) {
    this.count = count;
  }

  @Override
  public Future<?> start() {
    QueueClient replicator = new QueueClient(vertx, "piri.db.replicator");
    List<Future<Long>> ids = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      ids.add(replicator.enqueue("replication", "transfer-task", new JsonObject().put("blob", "b" + i))
          .onSuccess(id -> System.out.println("enqueued " + id)));
    }
    return Future.all(ids).onSuccess(all -> System.out.println("producer done: " + count + " job(s)"));
  }
}
