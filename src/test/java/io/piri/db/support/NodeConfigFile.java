package io.piri.db.support;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The configuration file of a node run as a process ({@link ChildJvm#serve}). */
public final class NodeConfigFile {
  private NodeConfigFile() {}

  /**
   * A node whose data_dir is {@code dir}/data on {@code database} (a repo.database section), with
   * its bridge on {@code bridgePort} and its HTTP endpoint on any free port.
   */
  public static JsonObject of(Path dir, JsonObject database, int bridgePort) {
    return new JsonObject()
        .put("repo", new JsonObject().put("data_dir", dir.resolve("data").toString()).put("database", database))
        .put("bridge", new JsonObject().put("port", bridgePort))
        .put("http", new JsonObject().put("port", 0));
  }

  /** Writes {@code cfg} to {@code dir}/piri-db.json and returns that path. */
  public static Path write(Path dir, JsonObject cfg) throws IOException {
    Path file = dir.resolve("piri-db.json");
    Files.writeString(file, cfg.encode());
    return file;
  }
}
