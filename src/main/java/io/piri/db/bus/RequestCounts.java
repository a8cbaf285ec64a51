package io.piri.db.bus;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * Replies of one store by action and code. Actions outside the router's own set are counted as
 * "unknown", so a client sending random action names cannot grow the metrics without bound.
 * Used from the store's event loop only.
 */
final class RequestCounts {
  static final RequestCounts NONE = new RequestCounts(null, null, Set.of());

  private final MeterRegistry registry;
  private final String store;
  private final Set<String> known;
  private final Map<String, Counter> counters = new HashMap<>();

  RequestCounts(MeterRegistry registry, String store, Set<String> known) {
    this.registry = registry;
    this.store = store;
    this.known = known;
  }

  void count(String action, int code) {
    if (registry == null) return;
    String a = action != null && known.contains(action) ? action : "unknown";
    counters.computeIfAbsent(a + " " + code, k -> Counter.builder("piri.db.requests")
        .description("event-bus requests answered, by store, action and reply code (200 = success)")
        .tags("store", store, "action", a, "code", String.valueOf(code))
        .register(registry)).increment();
  }
}
