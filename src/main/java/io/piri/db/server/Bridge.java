package io.piri.db.server;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The TCP event-bus bridge for tools and processes outside the JVM: the wire protocol of
 * vertx-tcp-eventbus-bridge (4-byte big-endian length, then a JSON frame), served by our own
 * NetServer because that bridge has no frame limit: it waits for and buffers whatever length a
 * client announces. Here a frame longer than {@code limits.max_body_bytes} plus
 * {@link #ENVELOPE_ALLOWANCE} is refused from its length prefix alone and its connection closed;
 * a frame that does not parse closes only its own connection. Clients may send or publish to
 * {@code piri.db.*} only, and register on nothing, so a bridge client never receives a request
 * meant for a store (see {@link BridgeConnection}).
 */
public final class Bridge {
  /** Room for the frame's envelope (type, address, headers) around a body at the limit. */
  static final int ENVELOPE_ALLOWANCE = 64 * 1024;
  /** Requests in flight over all connections before new ones get 503 at once. */
  static final int MAX_IN_FLIGHT = 10_000;

  private final NetServer server;

  private Bridge(NetServer server) {
    this.server = server;
  }

  public static Future<Bridge> start(Vertx vertx, String host, int port, int maxBodyBytes) {
    AtomicInteger inFlight = new AtomicInteger();
    int maxFrame = maxBodyBytes + ENVELOPE_ALLOWANCE;
    NetServer server = vertx.createNetServer(new NetServerOptions().setTcpNoDelay(true));
    server.connectHandler(socket -> new BridgeConnection(vertx, socket, maxFrame, inFlight, MAX_IN_FLIGHT).start());
    return server.listen(port, host).map(s -> new Bridge(s));
  }

  /** Stops accepting and closes every open connection. */
  public Future<Void> close() {
    return server.close();
  }
}
