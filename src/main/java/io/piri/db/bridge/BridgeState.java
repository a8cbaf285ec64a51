package io.piri.db.bridge;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What the connections of one bridge share, across event loops: the requests in flight, the
 * addresses connections registered (each belongs to one connection), the open connections, and
 * whether the bridge is stopping.
 */
final class BridgeState {
  private final int maxInFlight;
  private final AtomicInteger inFlight = new AtomicInteger();
  private final Map<String, BridgeConnection> registered = new ConcurrentHashMap<>();
  private final Set<BridgeConnection> open = ConcurrentHashMap.newKeySet();
  private final Promise<Void> idle = Promise.promise();
  private volatile boolean stopping;

  BridgeState(int maxInFlight) {
    this.maxInFlight = maxInFlight;
  }

  /**
   * Counts a new request in, or says why it is refused (a 503). The count goes up before the
   * stop flag is read, so a stop that has seen no request in flight sees none start after it.
   */
  String begin() {
    int now = inFlight.incrementAndGet();
    String refusal = stopping ? "the node is stopping; send the request again to a running node"
        : now > maxInFlight ? "the bridge has " + maxInFlight + " requests in flight; retry later" : null;
    if (refusal != null) end();
    return refusal;
  }

  /** A request got its reply, and the reply was handed to its socket. */
  void end() {
    if (inFlight.decrementAndGet() == 0 && stopping) idle.tryComplete();
  }

  /** New requests are refused from now on. */
  void stop() {
    stopping = true;
    if (inFlight.get() == 0) idle.tryComplete();
  }

  /** Completes once the bridge is stopping and no request is in flight. */
  Future<Void> idle() {
    return idle.future();
  }

  /** True when {@code address} is now, or already was, registered by {@code c}; false when another connection holds it. */
  boolean register(String address, BridgeConnection c) {
    BridgeConnection holder = registered.putIfAbsent(address, c);
    return holder == null || holder == c;
  }

  boolean unregister(String address, BridgeConnection c) {
    return registered.remove(address, c);
  }

  /** True when a connection other than {@code c} registered {@code address}. */
  boolean heldByAnother(String address, BridgeConnection c) {
    BridgeConnection holder = registered.get(address);
    return holder != null && holder != c;
  }

  void opened(BridgeConnection c) {
    open.add(c);
  }

  /** The connection is gone, and the addresses it registered with it. */
  void closed(BridgeConnection c, Iterable<String> addresses) {
    open.remove(c);
    for (String a : addresses) registered.remove(a, c);
  }

  List<BridgeConnection> open() {
    return List.copyOf(open);
  }
}
