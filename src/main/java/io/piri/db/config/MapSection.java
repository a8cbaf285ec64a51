package io.piri.db.config;

import io.vertx.core.json.JsonObject;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A configuration section whose keys are names chosen by the operator ({@code queues.<name>},
 * {@code scheduler.task_types.<name>}): each entry has the same fields, and built-in entries
 * supply defaults that any field may override.
 */
public record MapSection(String path, List<ConfigKey> fields, Map<String, JsonObject> builtIn) {

  /** The field key for one entry, e.g. queues.replication.lease. */
  public ConfigKey field(String entry, String field) {
    for (ConfigKey f : fields) {
      if (f.path().equals(field)) return new ConfigKey(path + "." + entry + "." + field, f.type(), f.defaultValue(), f.doc());
    }
    return null;
  }

  /** The environment variable of one entry's field: names upper-cased, '-' and '.' as '_'. */
  public String envName(String entry, String field) {
    return ("PIRI_" + path + "_" + entry + "_" + field).toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
  }

  /** Merges built-ins, the file's section and the environment into entry -> field -> value. */
  Map<String, Map<String, Object>> resolve(JsonObject fromFile, Map<String, String> env) {
    Map<String, Map<String, Object>> out = new LinkedHashMap<>();
    builtIn.forEach((name, defaults) -> out.put(name, entry(name, defaults)));
    if (fromFile != null) {
      for (Map.Entry<String, Object> e : fromFile) {
        String name = e.getKey();
        if (!name.matches("[A-Za-z0-9_.:-]{1,128}")) {
          throw new ConfigException(path + "." + name, "names may use 1..128 letters, digits and _-.: only");
        }
        if (!(e.getValue() instanceof JsonObject obj)) throw new ConfigException(path + "." + name, "must be an object");
        Map<String, Object> values = out.computeIfAbsent(name, n -> entry(n, new JsonObject()));
        for (Map.Entry<String, Object> f : obj) {
          ConfigKey key = field(name, f.getKey());
          if (key == null) throw new ConfigException(path + "." + name + "." + f.getKey(), "unknown key (see docs/configuration.md)");
          values.put(f.getKey(), key.convert(f.getValue()));
        }
      }
    }
    out.forEach((name, values) -> {
      for (ConfigKey f : fields) {
        String text = env.get(envName(name, f.path()));
        if (text != null) values.put(f.path(), ConfigLoader.convert(field(name, f.path()), text, envName(name, f.path())));
      }
    });
    return out;
  }

  private Map<String, Object> entry(String name, JsonObject overrides) {
    Map<String, Object> values = new LinkedHashMap<>();
    for (ConfigKey f : fields) values.put(f.path(), f.defaultValue());
    overrides.forEach(e -> values.put(e.getKey(), field(name, e.getKey()).convert(e.getValue())));
    return values;
  }
}
