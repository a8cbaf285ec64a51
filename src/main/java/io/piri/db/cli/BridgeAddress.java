package io.piri.db.cli;

import io.piri.db.core.ExitException;
import io.piri.db.config.ConfigException;
import io.piri.db.config.ConfigLoader;
import io.piri.db.config.PiriConfig;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Where the CLI finds the bridge: {@code --bridge HOST:PORT}, else the configuration file (and env). */
record BridgeAddress(String host, int port) {

  static BridgeAddress resolve(String bridge, Path config) throws IOException {
    if (bridge != null) {
      int colon = bridge.lastIndexOf(':');
      if (colon <= 0 || !bridge.substring(colon + 1).matches("\\d{1,5}")
          || Integer.parseInt(bridge.substring(colon + 1)) > 65535) {
        throw new ExitException(ExitException.BAD_CONFIG, "--bridge: expected HOST:PORT, got '" + bridge + "'");
      }
      return new BridgeAddress(bridge.substring(0, colon), Integer.parseInt(bridge.substring(colon + 1)));
    }
    PiriConfig cfg = config(config);
    return new BridgeAddress(cfg.bridgeHost(), cfg.bridgePort());
  }

  /** The configuration file (and the environment's overrides); a missing file is the defaults. */
  static PiriConfig config(Path config) throws IOException {
    JsonObject file;
    try {
      file = Files.isRegularFile(config) ? new JsonObject(Files.readString(config)) : new JsonObject();
    } catch (DecodeException e) {
      throw new ConfigException("--config", "'" + config + "' is not valid JSON: " + e.getMessage().lines().findFirst().orElse(""));
    }
    return ConfigLoader.fromJson(file, System.getenv());
  }

  @Override
  public String toString() {
    return host + ":" + port;
  }
}
