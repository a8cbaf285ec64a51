package io.piri.db.bridge;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The TCP event-bus bridge for tools and processes outside the JVM: the wire protocol of
 * vertx-tcp-eventbus-bridge (4-byte big-endian length, then a JSON frame), served by our own
 * NetServer because that bridge has no frame limit: it waits for and buffers whatever length a
 * client announces. Here a frame longer than {@code limits.max_body_bytes} plus
 * {@link #ENVELOPE_ALLOWANCE} is refused from its length prefix alone and its connection closed,
 * and so is a frame not complete within {@code bridge.frame_timeout}; a frame that does not parse
 * closes only its own connection. Clients may send to {@code piri.db.*} only, with a reply
 * address, and register only addresses of their own, which no bus consumer backs, so a bridge
 * client never receives a request meant for a store (see {@link BridgeConnection}).
 */
public final class Bridge {
  /** Room for the frame's envelope (type, address, headers) around a body at the limit. */
  static final int ENVELOPE_ALLOWANCE = 64 * 1024;
  /** Requests in flight over all connections before new ones get 503 at once. */
  static final int MAX_IN_FLIGHT = 10_000;
  /** How long a stop lets a connection's last replies reach its socket before closing it. */
  private static final long FLUSH_MS = 1_000;

  private final Vertx vertx;
  private final NetServer server;
  private final BridgeState state;
  private Future<Void> shutdown;

  private Bridge(Vertx vertx, NetServer server, BridgeState state) {
    this.vertx = vertx;
    this.server = server;
    this.state = state;
  }

  public static Future<Bridge> start(Vertx vertx, String host, int port, int maxBodyBytes, Duration frameTimeout) {
    BridgeState state = new BridgeState(MAX_IN_FLIGHT);
    int maxFrame = maxBodyBytes + ENVELOPE_ALLOWANCE;
    long frameTimeoutMs = Math.max(1, frameTimeout.toMillis());
    NetServer server = vertx.createNetServer(new NetServerOptions().setTcpNoDelay(true));
    server.connectHandler(socket -> new BridgeConnection(vertx, socket, maxFrame, frameTimeoutMs, state).start());
    return server.listen(port, host).map(s -> new Bridge(vertx, s, state));
  }

  /**
   * The first step of a stop: no new connection is accepted and new requests get 503, while the
   * open connections stay up for the replies of requests in flight. Past {@code graceMs} Vert.x
   * closes whatever connection is still open.
   */
  public void quiesce(long graceMs) {
    if (shutdown != null) return;
    state.stop();
    shutdown = server.shutdown(Math.max(1, graceMs), TimeUnit.MILLISECONDS);
  }

  /**
   * The last step of a stop: waits up to {@code waitMs} for every request in flight to have its
   * reply written, lets the replies reach the sockets, then closes every connection.
   */
  public Future<Void> close(long waitMs) {
    quiesce(waitMs + FLUSH_MS);
    Future<Void> idle = Future.any(state.idle(), vertx.timer(Math.max(1, waitMs))).mapEmpty();
    return idle
        .compose(v -> Future.join(state.open().stream().map(c -> c.closeAfterFlush(FLUSH_MS)).toList()))
        .transform(ar -> shutdown);
  }
}
