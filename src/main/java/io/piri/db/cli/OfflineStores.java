package io.piri.db.cli;

import io.piri.db.config.BackendType;
import io.piri.db.config.PiriConfig;
import io.piri.db.core.ExitException;
import io.piri.db.core.StoreId;
import io.piri.db.server.OfflineNode;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * The read commands' {@code --data-dir}: the stores of a SQLite data_dir opened read-only in this
 * process ({@link OfflineNode}), asked the same actions as over the bridge, whether or not the
 * node runs.
 */
record OfflineStores(Vertx vertx, OfflineNode node, long timeoutMs) implements StoreRequests {

  /** Opens {@code dataDir} with the queues {@code config} defines; exit 2 when it is no SQLite data_dir. */
  static OfflineStores open(Path dataDir, PiriConfig config, long timeoutMs) {
    Vertx vertx = Vertx.vertx();
    try {
      OfflineNode node = OfflineNode.open(vertx, config.with(dataDir, BackendType.SQLITE, null))
          .await(timeoutMs, TimeUnit.MILLISECONDS);
      return new OfflineStores(vertx, node, timeoutMs);
    } catch (Exception e) {
      closeQuietly(vertx);
      if (e instanceof ExitException x) throw x;
      throw new ExitException(ExitException.FAILED, "--data-dir: cannot open " + dataDir + ": " + e.getMessage(), e);
    }
  }

  @Override
  public JsonObject request(String address, String action, JsonObject body) throws IOException, BridgeClient.Failure {
    StoreId store = null;
    for (StoreId s : StoreId.values()) if (s.address().equals(address)) store = s;
    if (store == null) throw new BridgeClient.Failure(400, "invalid_argument", "address '" + address + "' is no store");
    try {
      return node.request(store, action, body, timeoutMs).await(timeoutMs + 1_000, TimeUnit.MILLISECONDS);
    } catch (ReplyException e) {
      String text = String.valueOf(e.getMessage());
      int colon = text.indexOf(": ");
      int code = e.failureCode() > 0 ? e.failureCode() : 503;
      throw new BridgeClient.Failure(code, colon > 0 ? text.substring(0, colon) : "unavailable", colon > 0 ? text.substring(colon + 2) : text);
    } catch (java.util.concurrent.TimeoutException e) {
      throw new BridgeClient.Failure(503, "unavailable", "no reply from " + address + " in time");
    } catch (Exception e) {
      throw new IOException(e.getMessage(), e);
    }
  }

  @Override
  public void close() throws IOException {
    try {
      node.close().await(timeoutMs, TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      throw new IOException("closing the stores: " + e.getMessage(), e);
    } finally {
      closeQuietly(vertx);
    }
  }

  private static void closeQuietly(Vertx vertx) {
    try {
      vertx.close().await(10, TimeUnit.SECONDS);
    } catch (Exception ignored) {
      // the process ends next
    }
  }
}
