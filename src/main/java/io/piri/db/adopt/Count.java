package io.piri.db.adopt;

import io.vertx.core.json.JsonObject;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One kind of row of one store (jobs, dead letters, a table): how many were found in Piri's
 * tables, how many were carried over, how many were skipped and why, and where the carried ones
 * went ({@code as}: ready, in flight, dead-lettered, ...).
 */
final class Count {
  long found;
  long carried;
  final Map<String, Long> skipped = new LinkedHashMap<>();
  final Map<String, Long> as = new LinkedHashMap<>();

  void found() {
    found++;
  }

  void carried(String as) {
    carried++;
    if (as != null) this.as.merge(as, 1L, Long::sum);
  }

  void skipped(String why) {
    skipped.merge(why, 1L, Long::sum);
  }

  long skippedTotal() {
    return skipped.values().stream().mapToLong(Long::longValue).sum();
  }

  JsonObject toJson() {
    JsonObject j = new JsonObject().put("found", found).put("carried", carried).put("skipped", skippedTotal());
    if (!skipped.isEmpty()) j.put("why", new JsonObject(new LinkedHashMap<>(skipped)));
    if (!as.isEmpty()) j.put("as", new JsonObject(new LinkedHashMap<>(as)));
    return j;
  }
}
