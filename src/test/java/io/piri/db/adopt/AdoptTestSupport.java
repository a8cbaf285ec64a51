package io.piri.db.adopt;

import io.piri.db.core.StoreId;
import io.piri.db.config.BackendType;
import io.piri.db.config.ConfigLoader;
import io.piri.db.config.PiriConfig;
import io.piri.db.support.Cli;
import io.piri.db.support.ServerTestBase;
import io.piri.db.support.TestBackend;
import io.piri.db.support.TestPostgres;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;

/**
 * What the adopt suites share: a configuration file for the command line (with one queue,
 * "blocking", that blocks repeats after a dead letter, next to Piri's five), the matching
 * in-process configuration for {@code serve}, a Piri node built where they point, and a
 * snapshot of the stores to show that a refusal changed nothing.
 */
abstract class AdoptTestSupport extends ServerTestBase {
  protected Path configFile;
  protected long t0;

  @BeforeEach
  void setUpAdopt() throws IOException {
    JsonObject repo = new JsonObject().put("data_dir", config.dataDir().toString());
    JsonObject db = new JsonObject().put("type", config.backend().id());
    if (config.backend() == BackendType.POSTGRES) db.put("postgres", new JsonObject().put("url", config.postgres().url()));
    JsonObject file = new JsonObject()
        .put("repo", repo.put("database", db))
        .put("bridge", new JsonObject().put("port", config.bridgePort()))
        .put("http", new JsonObject().put("port", 0))
        .put("queues", new JsonObject().put("blocking", new JsonObject().put("store", "aggregator").put("max_attempts", 5)
            .put("dedupe", true).put("block_repeats_on_dead", true)));
    configFile = tmp.resolve("piri-db.json");
    Files.writeString(configFile, file.encodePrettily());
    config = ConfigLoader.fromJson(file, Map.of());
  }

  /** The scenario's Piri node, written now and closed (Piri stopped). */
  protected PiriScenario piriNode() throws SQLException {
    t0 = clock.now();
    PiriScenario scenario = new PiriScenario(t0);
    try (PiriNode node = PiriNode.create(config)) {
      scenario.build(node);
    }
    return scenario;
  }

  protected Cli.Result adopt(String... flags) {
    List<String> args = new ArrayList<>(List.of("adopt", "--config", configFile.toString()));
    args.addAll(List.of(flags));
    return Cli.run(clock::now, args.toArray(String[]::new));
  }

  protected static JsonObject store(JsonObject adoptJson, StoreId store) {
    for (Object o : adoptJson.getJsonArray("stores")) {
      JsonObject s = (JsonObject) o;
      if (s.getString("store").equals(store.id())) return s;
    }
    throw new AssertionError("no store " + store.id() + " in " + adoptJson.encodePrettily());
  }

  /**
   * Everything the stores hold, as text that changes when anything does: on SQLite a hash of
   * each store file and the names of all files under data_dir (the -wal and -shm files a
   * connection opens and removes aside); on PostgreSQL every schema, table, column and a hash
   * of every table's rows.
   */
  protected String snapshot() throws Exception {
    return config.backend() == BackendType.SQLITE ? fileSnapshot() : schemaSnapshot();
  }

  private String fileSnapshot() throws IOException {
    Map<String, String> out = new TreeMap<>();
    if (!Files.isDirectory(config.dataDir())) return "no data_dir";
    try (Stream<Path> files = Files.walk(config.dataDir())) {
      for (Path p : files.filter(Files::isRegularFile).toList()) {
        String name = config.dataDir().relativize(p).toString();
        if (name.endsWith("-wal") || name.endsWith("-shm")) continue;
        out.put(name, "");
      }
    }
    for (StoreId s : StoreId.values()) {
      Path f = config.dataDir().resolve(s.sqliteFile());
      if (Files.exists(f)) out.put(s.sqliteFile(), sha256(Files.readAllBytes(f)));
    }
    return out.toString();
  }

  private String schemaSnapshot() throws SQLException {
    StringBuilder out = new StringBuilder();
    try (Connection c = TestPostgres.connect(config.postgres().url()); Statement st = c.createStatement()) {
      List<String> tables = new ArrayList<>();
      try (ResultSet rs = st.executeQuery("SELECT nspname FROM pg_namespace WHERE nspname NOT LIKE 'pg\\_%'"
          + " AND nspname <> 'information_schema' ORDER BY 1")) {
        while (rs.next()) out.append("schema ").append(rs.getString(1)).append('\n');
      }
      try (ResultSet rs = st.executeQuery("SELECT table_schema, table_name, string_agg(column_name || ' ' || data_type, ', '"
          + " ORDER BY ordinal_position) FROM information_schema.columns WHERE table_schema IN ("
          + "'scheduler', 'replicator', 'aggregator', 'egress_tracker') GROUP BY 1, 2 ORDER BY 1, 2")) {
        while (rs.next()) {
          tables.add(rs.getString(1) + "." + rs.getString(2));
          out.append(rs.getString(1)).append('.').append(rs.getString(2)).append('(').append(rs.getString(3)).append(")\n");
        }
      }
      for (String t : tables) {
        try (ResultSet rs = st.executeQuery("SELECT count(*), md5(coalesce(string_agg(x::text, '|' ORDER BY x::text), ''))"
            + " FROM " + t + " x")) {
          rs.next();
          out.append(t).append(" rows ").append(rs.getLong(1)).append(' ').append(rs.getString(2)).append('\n');
        }
      }
    }
    return out.toString();
  }

  private static String sha256(byte[] b) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** This test's configuration with a bridge port no other node uses. */
  protected PiriConfig serveConfig() {
    return config.withBridgePort(TestBackend.freePort());
  }
}
