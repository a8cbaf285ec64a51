package io.piri.db.queue;

import io.piri.db.config.BackendType;
import io.piri.db.core.StoreId;
import io.piri.db.support.NodeConfigFile;
import io.piri.db.support.TestPostgres;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/**
 * A node run as a process ({@link io.piri.db.support.ChildJvm#serve}) with one queue,
 * {@value #Q} of the replicator store, on the backend of the subclass: for tests that kill it and
 * then look at what its database holds.
 */
abstract class KilledNodeTestBase {
  static final String Q = "crash";
  static final String ADDRESS = StoreId.REPLICATOR.address();
  @TempDir Path tmp;
  private String postgresUrl;

  protected abstract BackendType backend();

  /** The configuration file of the node, with its bridge on {@code bridgePort}; a fresh database on PostgreSQL. */
  Path config(int bridgePort, JsonObject queue) throws Exception {
    JsonObject database = new JsonObject().put("type", backend().id());
    if (backend() == BackendType.POSTGRES) {
      postgresUrl = TestPostgres.newDatabase();
      database.put("postgres", new JsonObject().put("url", postgresUrl));
    }
    return NodeConfigFile.write(tmp, NodeConfigFile.of(tmp, database, bridgePort)
        .put("queues", new JsonObject().put(Q, queue.put("store", "replicator"))));
  }

  String postgresUrl() {
    return postgresUrl;
  }

  /** The rows and counters of the node's database, read directly. */
  FullCount fullCount() {
    return new FullCount(backend(), tmp.resolve("data"), postgresUrl);
  }
}
