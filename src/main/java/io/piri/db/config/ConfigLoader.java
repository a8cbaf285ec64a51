package io.piri.db.config;

import io.vertx.config.ConfigRetriever;
import io.vertx.config.ConfigRetrieverOptions;
import io.vertx.config.ConfigStoreOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Loads the configuration: built-in defaults, then the JSON file, then {@code PIRI_*} environment
 * variables (environment beats file). The file and the environment are read through vertx-config.
 */
public final class ConfigLoader {
  private ConfigLoader() {}

  public static Future<PiriConfig> load(Vertx vertx, Path file) {
    if (!Files.isRegularFile(file)) {
      return Future.failedFuture(new ConfigException("--config", "no such file '" + file + "'"));
    }
    Future<JsonObject> fileJson = retrieve(vertx, new ConfigStoreOptions().setType("file").setFormat("json")
            .setConfig(new JsonObject().put("path", file.toString())))
        .recover(e -> Future.failedFuture(new ConfigException("--config",
            "'" + file + "' is not valid JSON: " + rootMessage(e))));
    Future<JsonObject> envJson = retrieve(vertx, new ConfigStoreOptions().setType("env")
        .setConfig(new JsonObject().put("raw-data", true)));
    return Future.all(fileJson, envJson).compose(all -> {
      Map<String, String> env = new HashMap<>();
      envJson.result().forEach(e -> env.put(e.getKey(), String.valueOf(e.getValue())));
      try {
        return Future.succeededFuture(fromJson(fileJson.result(), env));
      } catch (ConfigException e) {
        return Future.failedFuture(e);
      }
    });
  }

  /** Validates a parsed file plus an environment; throws {@link ConfigException} naming the key. */
  public static PiriConfig fromJson(JsonObject file, Map<String, String> env) {
    Map<String, Object> values = new LinkedHashMap<>();
    for (ConfigKey k : ConfigKeys.ALL) values.put(k.path(), k.defaultValue());
    Map<String, JsonObject> maps = new HashMap<>();
    flatten("", file, values, maps);
    for (ConfigKey k : ConfigKeys.ALL) {
      String fromEnv = env.get(k.envName());
      if (fromEnv != null) values.put(k.path(), convert(k, fromEnv, k.envName()));
    }
    Map<String, Map<String, Map<String, Object>>> resolved = new HashMap<>();
    for (MapSection m : ConfigKeys.MAPS) resolved.put(m.path(), m.resolve(maps.get(m.path()), env));
    return PiriConfig.from(values, resolved);
  }

  private static void flatten(String prefix, JsonObject obj, Map<String, Object> values, Map<String, JsonObject> maps) {
    for (Map.Entry<String, Object> e : obj) {
      String path = prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey();
      ConfigKey key = ConfigKeys.get(path);
      if (key != null) {
        values.put(path, key.convert(e.getValue()));
      } else if (ConfigKeys.map(path) != null || ConfigKeys.isSection(path)) {
        if (!(e.getValue() instanceof JsonObject section)) {
          throw new ConfigException(path, "must be an object");
        }
        if (ConfigKeys.map(path) != null) maps.put(path, section);
        else flatten(path, section, values, maps);
      } else {
        throw new ConfigException(path, "unknown key (see docs/configuration.md)");
      }
    }
  }

  static Object convert(ConfigKey key, String text, String envName) {
    try {
      return key.convert(text, true);
    } catch (ConfigException e) {
      throw new ConfigException(key.path(), e.getMessage().substring(key.path().length() + 2) + " (from " + envName + ")");
    }
  }

  private static Future<JsonObject> retrieve(Vertx vertx, ConfigStoreOptions store) {
    ConfigRetriever retriever = ConfigRetriever.create(vertx,
        new ConfigRetrieverOptions().setScanPeriod(0).addStore(store));
    return retriever.getConfig().andThen(r -> retriever.close());
  }

  private static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) t = t.getCause();
    String m = t instanceof DecodeException ? t.getMessage() : t.toString();
    return m == null ? t.getClass().getSimpleName() : m.lines().findFirst().orElse(m);
  }
}
