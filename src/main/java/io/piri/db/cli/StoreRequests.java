package io.piri.db.cli;

import io.vertx.core.json.JsonObject;
import java.io.IOException;

/**
 * Where an operator command sends its requests: a running node's bridge ({@link BridgeClient}),
 * or, for a read, the stores of a stopped or running node's SQLite data_dir opened read-only in
 * this process ({@link OfflineStores}). Either way the stores' own actions answer.
 */
interface StoreRequests extends AutoCloseable {
  JsonObject request(String address, String action, JsonObject body) throws IOException, BridgeClient.Failure;

  @Override
  void close() throws IOException;
}
