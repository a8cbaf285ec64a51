package io.piri.db.server;

import io.piri.db.StoreId;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetServerOptions;
import io.vertx.ext.bridge.BridgeEventType;
import io.vertx.ext.bridge.BridgeOptions;
import io.vertx.ext.bridge.PermittedOptions;
import io.vertx.ext.eventbus.bridge.tcp.TcpEventBusBridge;

/**
 * The TCP event-bus bridge for tools and processes outside the JVM. Clients may send to
 * {@code piri.db.*} only; nothing is permitted outbound, and registrations are refused outright,
 * so a bridge client can never receive a request meant for a store.
 */
public final class Bridge {
  private Bridge() {}

  public static Future<TcpEventBusBridge> start(Vertx vertx, String host, int port) {
    BridgeOptions options = new BridgeOptions()
        .addInboundPermitted(new PermittedOptions().setAddressRegex(java.util.regex.Pattern.quote(StoreId.ADDRESS_PREFIX) + ".+"));
    TcpEventBusBridge bridge = TcpEventBusBridge.create(vertx, options, new NetServerOptions(), event -> {
      BridgeEventType type = event.type();
      event.complete(type != BridgeEventType.REGISTER);
    });
    return bridge.listen(port, host);
  }
}
