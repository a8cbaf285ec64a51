package io.piri.db.backend;

import io.vertx.core.Context;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/** Listeners of notification channels, each called back on the context it registered from. */
public final class Listeners {
  private record Listener(Context context, Handler<String> handler) {}

  private final Map<String, List<Listener>> byChannel = new ConcurrentHashMap<>();

  /** Adds a listener; returns true when it is the channel's first. */
  public boolean add(Vertx vertx, String channel, Handler<String> handler) {
    List<Listener> list = byChannel.computeIfAbsent(channel, c -> new CopyOnWriteArrayList<>());
    list.add(new Listener(vertx.getOrCreateContext(), handler));
    return list.size() == 1;
  }

  public Set<String> channels() {
    return byChannel.keySet();
  }

  public void fire(String channel, String payload) {
    List<Listener> list = byChannel.get(channel);
    if (list == null) return;
    for (Listener l : list) l.context().runOnContext(v -> l.handler().handle(payload));
  }

  /** Tells every listener to look again. */
  public void fireAll() {
    for (String channel : byChannel.keySet()) fire(channel, null);
  }
}
