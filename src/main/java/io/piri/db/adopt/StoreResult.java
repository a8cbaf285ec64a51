package io.piri.db.adopt;

import io.piri.db.core.StoreId;
import io.vertx.core.json.JsonObject;
import java.util.LinkedHashMap;
import java.util.Map;

/** What adopt did (or, on a dry run, would do) with one store. */
public final class StoreResult {
  /** adopted, would-adopt, already-piri-db, absent */
  public enum Status {
    ADOPTED("adopted"), WOULD_ADOPT("would adopt"), PIRI_DB("already a piri-db store"), ABSENT("absent");

    final String text;

    Status(String text) {
      this.text = text;
    }
  }

  final StoreId store;
  final String where;
  Status status;
  String layout;
  String backup;
  final Map<String, Count> kinds = new LinkedHashMap<>();

  StoreResult(StoreId store, String where, Status status) {
    this.store = store;
    this.where = where;
    this.status = status;
  }

  Count kind(String name) {
    return kinds.computeIfAbsent(name, k -> new Count());
  }

  public StoreId store() {
    return store;
  }

  public Status status() {
    return status;
  }

  /** The copy of Piri's file kept next to it (SQLite), or null. */
  public String backup() {
    return backup;
  }

  public String where() {
    return where;
  }

  public String layout() {
    return layout;
  }

  public Map<String, JsonObject> kinds() {
    Map<String, JsonObject> out = new LinkedHashMap<>();
    kinds.forEach((k, v) -> out.put(k, v.toJson()));
    return out;
  }

  public JsonObject toJson() {
    JsonObject j = new JsonObject().put("store", store.id()).put("where", where).put("status", status.text);
    if (layout != null) j.put("layout", layout);
    if (backup != null) j.put("backup", backup);
    JsonObject k = new JsonObject();
    kinds.forEach((name, c) -> k.put(name, c.toJson()));
    return j.put("kinds", k);
  }
}
