package io.piri.db.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** ConfigLoader.fromJson / load and Durations: defaults, file, environment, and every refusal naming its key. */
class ConfigLoaderTest {
  private static final String PG_URL = "postgres://piri:pw@db.example:5432/piri";

  // ---------------------------------------------------------------- helpers

  private static PiriConfig load(JsonObject file) {
    return ConfigLoader.fromJson(file, Map.of());
  }

  private static PiriConfig load(JsonObject file, Map<String, String> env) {
    return ConfigLoader.fromJson(file, env);
  }

  /** Builds nested JSON from a dotted path, e.g. put(obj, "repo.database.type", "sqlite"). */
  private static JsonObject withTls(JsonObject root) {
    put(root, ConfigKeys.CLUSTER_TLS_KEY_STORE, "file-key.p12");
    put(root, ConfigKeys.CLUSTER_TLS_KEY_STORE_PASSWORD, "file-key-password");
    put(root, ConfigKeys.CLUSTER_TLS_TRUST_STORE, "file-trust.p12");
    return put(root, ConfigKeys.CLUSTER_TLS_TRUST_STORE_PASSWORD, "file-trust-password");
  }

  private static JsonObject put(JsonObject root, String path, Object value) {
    String[] parts = path.split("\\.");
    JsonObject o = root;
    for (int i = 0; i < parts.length - 1; i++) {
      JsonObject next = o.getJsonObject(parts[i]);
      if (next == null) {
        next = new JsonObject();
        o.put(parts[i], next);
      }
      o = next;
    }
    o.put(parts[parts.length - 1], value);
    return root;
  }

  private static JsonObject json(Object... pathValuePairs) {
    JsonObject o = new JsonObject();
    for (int i = 0; i < pathValuePairs.length; i += 2) put(o, (String) pathValuePairs[i], pathValuePairs[i + 1]);
    return o;
  }

  private static ConfigException refused(JsonObject file, String expectedKey) {
    return refused(file, Map.of(), expectedKey);
  }

  private static ConfigException refused(JsonObject file, Map<String, String> env, String expectedKey) {
    ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.fromJson(file, env),
        () -> "expected a ConfigException for " + expectedKey + " with file " + file.encode() + " env " + env);
    assertEquals(expectedKey, e.key(), () -> "wrong key in: " + e.getMessage());
    assertTrue(e.getMessage().startsWith(expectedKey + ": "), () -> "message must start with the key: " + e.getMessage());
    return e;
  }

  // ---------------------------------------------------------------- defaults and file values

  @Test
  void searchFieldsAreJsonPathsCheckedAtLoad() {
    JsonObject ok = new JsonObject().put("queues", new JsonObject().put("manager",
        new JsonObject().put("search_fields", new io.vertx.core.json.JsonArray().add("$").add("$.a.b").add("$.roots[0]"))));
    assertEquals(java.util.List.of("$", "$.a.b", "$.roots[0]"), load(ok).queues().get("manager").searchFields());
    assertEquals(java.util.List.of(), load(new JsonObject()).queues().get("manager").searchFields());
    assertEquals(java.util.List.of("$.piece", "$.x"),
        load(new JsonObject(), Map.of("PIRI_QUEUES_AGGREGATOR_SEARCH_FIELDS", "$.piece,$.x")).queues().get("aggregator").searchFields());
    for (String bad : java.util.List.of("piece", "$.", "$..a", "$[x]", "$.a b")) {
      JsonObject file = new JsonObject().put("queues", new JsonObject().put("manager",
          new JsonObject().put("search_fields", new io.vertx.core.json.JsonArray().add(bad))));
      refused(file, "queues.manager.search_fields");
    }
  }

  @Test
  void emptyFileGivesTheDefaults() {
    PiriConfig c = load(new JsonObject());
    assertEquals(Path.of("data"), c.dataDir());
    assertEquals(BackendType.SQLITE, c.backend());
    assertNull(c.postgres().url());
    assertEquals(5, c.postgres().maxOpenConns());
    assertEquals(5, c.postgres().maxIdleConns());
    assertEquals(Duration.ofMinutes(30), c.postgres().connMaxLifetime());
    assertEquals(Duration.ofSeconds(10), c.postgres().connectTimeout());
    assertEquals("127.0.0.1", c.bridgeHost());
    assertEquals(7300, c.bridgePort());
    assertEquals(1 << 20, c.maxBodyBytes());
    assertEquals(Duration.ofSeconds(8), c.shutdownTimeout());
    assertEquals(Duration.ofHours(720), c.historyRetention());
  }

  @Test
  void defaultsMatchTheKeyTable() {
    PiriConfig c = load(new JsonObject());
    int checked = 0;
    for (ConfigKey k : ConfigKeys.ALL) {
      if (k.type() == ConfigKey.Type.LIST || accessor(k.path()) == null) continue;
      checked++;
      Object actual = accessor(k.path()).apply(c);
      Object expected = k.path().equals(ConfigKeys.DATA_DIR) ? Path.of((String) k.defaultValue()) : k.defaultValue();
      assertEquals(expected, actual, "default of " + k.path());
    }
    assertTrue(checked >= 12, "checked " + checked);
  }

  @Test
  void fileValuesAreUsed() {
    JsonObject file = new JsonObject("""
        {
          "repo": {
            "data_dir": "/var/lib/piri",
            "database": {
              "type": "postgres",
              "postgres": {
                "url": "postgresql://piri:pw@db.example:6543/piri?sslmode=disable",
                "max_open_conns": 12,
                "max_idle_conns": 4,
                "conn_max_lifetime": "1h30m",
                "connect_timeout": "2500ms"
              }
            }
          },
          "bridge": { "host": "0.0.0.0", "port": 7444 },
          "limits": { "max_body_bytes": 4096 },
          "shutdown": { "timeout": "20s" },
          "scheduler": { "history_retention": "48h" }
        }
        """);
    PiriConfig c = load(file);
    assertEquals(Path.of("/var/lib/piri"), c.dataDir());
    assertEquals(BackendType.POSTGRES, c.backend());
    assertEquals("postgresql://piri:pw@db.example:6543/piri?sslmode=disable", c.postgres().url());
    assertEquals(12, c.postgres().maxOpenConns());
    assertEquals(4, c.postgres().maxIdleConns());
    assertEquals(Duration.ofMinutes(90), c.postgres().connMaxLifetime());
    assertEquals(Duration.ofMillis(2500), c.postgres().connectTimeout());
    assertEquals("0.0.0.0", c.bridgeHost());
    assertEquals(7444, c.bridgePort());
    assertEquals(4096, c.maxBodyBytes());
    assertEquals(Duration.ofSeconds(20), c.shutdownTimeout());
    assertEquals(Duration.ofHours(48), c.historyRetention());
    assertEquals("postgresql://piri:***@db.example:6543/piri?sslmode=disable", c.postgres().maskedUrl());
  }

  @Test
  void postgresUrlIsIgnoredForSqlite() {
    PiriConfig c = load(json("repo.database.postgres.url", PG_URL));
    assertEquals(BackendType.SQLITE, c.backend());
    assertNull(c.postgres().url(), "the url is only kept for the postgres backend");
  }

  @Test
  void jsonNullForAKeyWithoutDefaultIsAccepted_andForOthersRefused() {
    assertNull(load(json("repo.database.postgres.url", null)).postgres().url());
    ConfigException e = refused(json("bridge.port", null), ConfigKeys.BRIDGE_PORT);
    assertTrue(e.getMessage().contains("must not be null"), e.getMessage());
  }

  // ---------------------------------------------------------------- environment

  @Test
  void environmentBeatsFile() {
    JsonObject file = json("repo.data_dir", "/from/file", "bridge.port", 7001, "shutdown.timeout", "3s");
    PiriConfig c = load(file, Map.of(
        "PIRI_REPO_DATA_DIR", "/from/env",
        "PIRI_BRIDGE_PORT", "7002"));
    assertEquals(Path.of("/from/env"), c.dataDir());
    assertEquals(7002, c.bridgePort());
    assertEquals(Duration.ofSeconds(3), c.shutdownTimeout(), "keys not set in the environment keep the file value");
  }

  @Test
  void unrelatedEnvironmentVariablesAreIgnored() {
    PiriConfig c = load(new JsonObject(), Map.of(
        "PIRI_NOT_A_KEY", "x", "PATH", "/usr/bin", "piri_bridge_port", "1"));
    assertEquals(7300, c.bridgePort(), "env names are upper case only");
  }

  @Test
  void envNameIsPiriPlusUpperCasedPath() {
    assertEquals("PIRI_REPO_DATA_DIR", ConfigKeys.get(ConfigKeys.DATA_DIR).envName());
    assertEquals("PIRI_BRIDGE_PORT", ConfigKeys.get(ConfigKeys.BRIDGE_PORT).envName());
    assertEquals("PIRI_REPO_DATABASE_POSTGRES_MAX_OPEN_CONNS", ConfigKeys.get(ConfigKeys.PG_MAX_OPEN).envName());
    Set<String> names = new HashSet<>();
    for (ConfigKey k : ConfigKeys.ALL) {
      assertTrue(names.add(k.envName()), "two keys share the environment variable " + k.envName());
    }
  }

  /** Reads the value of one key back from a PiriConfig, or null for a key this test does not know yet. */
  private static Function<PiriConfig, Object> accessor(String path) {
    switch (path) {
      case ConfigKeys.DATA_DIR: return PiriConfig::dataDir;
      case ConfigKeys.DB_TYPE: return PiriConfig::backend;
      case ConfigKeys.PG_URL: return c -> c.postgres().url();
      case ConfigKeys.PG_MAX_OPEN: return c -> c.postgres().maxOpenConns();
      case ConfigKeys.PG_MAX_IDLE: return c -> c.postgres().maxIdleConns();
      case ConfigKeys.PG_MAX_LIFETIME: return c -> c.postgres().connMaxLifetime();
      case ConfigKeys.PG_CONNECT_TIMEOUT: return c -> c.postgres().connectTimeout();
      case ConfigKeys.SQLITE_READ_CONNECTIONS: return c -> c.sqlite().readConnections();
      case ConfigKeys.BRIDGE_HOST: return PiriConfig::bridgeHost;
      case ConfigKeys.BRIDGE_PORT: return PiriConfig::bridgePort;
      case ConfigKeys.BRIDGE_FRAME_TIMEOUT: return PiriConfig::bridgeFrameTimeout;
      case ConfigKeys.MAX_BODY_BYTES: return PiriConfig::maxBodyBytes;
      case ConfigKeys.SHUTDOWN_TIMEOUT: return PiriConfig::shutdownTimeout;
      case ConfigKeys.HISTORY_RETENTION: return PiriConfig::historyRetention;
      case ConfigKeys.CONSOLE_ENABLED: return c -> c.console().enabled();
      case ConfigKeys.CONSOLE_PREFIX: return c -> c.console().prefix();
      case ConfigKeys.CONSOLE_ANONYMOUS_READ: return c -> c.console().anonymousRead();
      case ConfigKeys.CONSOLE_SESSION_TTL: return c -> c.console().sessionTtl();
      default:
        return null; // a key added later: checked generically through PiriConfig equality
    }
  }

  /**
   * A valid environment text for a key (different from its default), the value it must produce,
   * and the same value as typed JSON for the file.
   */
  private record EnvCase(String text, Object expected, Object asJson) {
    EnvCase(String text, Object expected) {
      this(text, expected, text);
    }
  }

  private static EnvCase validEnvValue(ConfigKey k) {
    switch (k.path()) {
      case ConfigKeys.DATA_DIR: return new EnvCase("/env/data dir", Path.of("/env/data dir"), "/env/data dir");
      case ConfigKeys.PG_URL: return new EnvCase("postgres://envuser:envpw@envhost:5999/envdb", "postgres://envuser:envpw@envhost:5999/envdb");
      case ConfigKeys.PG_MAX_IDLE: return new EnvCase("2", 2, 2);
      case ConfigKeys.SQLITE_READ_CONNECTIONS: return new EnvCase("6", 6, 6);
      case ConfigKeys.CONSOLE_PREFIX: return new EnvCase("/env-console", "/env-console/", "/env-console");
      default: break;
    }
    switch (k.type()) {
      case STRING: return new EnvCase("env-" + k.path(), "env-" + k.path());
      case INT: {
        int v = ((Integer) k.defaultValue()) + 1234;
        return new EnvCase(" " + v + " ", v, v);
      }
      case DURATION: return new EnvCase("1h2m3s", Duration.ofSeconds(3723));
      case BACKEND: return new EnvCase("postgres", BackendType.POSTGRES);
      case BOOL: {
        boolean v = !((Boolean) k.defaultValue());
        return new EnvCase(String.valueOf(v), v, v);
      }
      default: return fail("no valid value for type " + k.type());
    }
  }

  /** A text the key must refuse, or null when any string is acceptable for it. */
  private static String invalidEnvValue(ConfigKey k) {
    if (k.path().equals(ConfigKeys.DATA_DIR)) return "   ";
    if (k.path().equals(ConfigKeys.PG_URL)) return "mysql://envuser:envsecret@envhost/envdb";
    if (k.path().equals(ConfigKeys.CONSOLE_PREFIX)) return "console";
    switch (k.type()) {
      case INT: return "twelve";
      case DURATION: return "5 minutes";
      case BACKEND: return "mysql";
      case BOOL: return "maybe";
      default: return null;
    }
  }

  @Test
  void consoleSettingsAreCheckedAndNamed() {
    assertEquals("/", load(new JsonObject()).console().prefix());
    assertEquals("/ops/console/", load(json("console.prefix", "/ops/console")).console().prefix());
    refused(json("console.prefix", "console"), "console.prefix");
    refused(json("console.prefix", "/a b"), "console.prefix");
    refused(json("console.prefix", "/health"), "console.prefix");
    refused(json("console.session_ttl", "30s"), "console.session_ttl");
    refused(put(new JsonObject(), "console.origins", new io.vertx.core.json.JsonArray().add("https://ops.example/path")), "console.origins");
    PiriConfig c = load(put(new JsonObject(), "console.reveal_payloads", new io.vertx.core.json.JsonArray().add("replication")));
    assertTrue(c.console().reveals("replication"));
    assertFalse(c.console().reveals("manager"));
    assertTrue(load(new JsonObject(), Map.of("PIRI_CONSOLE_REVEAL_PAYLOADS", "*")).console().reveals("manager"));
  }

  @Test
  void everyKeyCanBeOverriddenFromTheEnvironment() {
    // The postgres type with a URL in the file, so that the url key (kept only for postgres) and
    // the type key both have something to show; every other key is independent of it.
    JsonObject file = json("repo.database.type", "postgres", "repo.database.postgres.url", PG_URL);
    int checked = 0;
    for (ConfigKey k : ConfigKeys.ALL) {
      if (k.type() == ConfigKey.Type.LIST) continue; // LIST keys are not used yet
      EnvCase ok = validEnvValue(k);
      assertTrue(k.envName().startsWith("PIRI_"));
      JsonObject base = k.path().equals(ConfigKeys.DB_TYPE) ? json("repo.database.postgres.url", PG_URL)
          // cluster.stores false is valid only on a cluster member
          : k.path().equals(ConfigKeys.CLUSTER_STORES) ? put(file.copy(), ConfigKeys.CLUSTER_ENABLED, true)
          // a TLS key counts only with the others: both stores or neither
          : k.path().startsWith("cluster.tls.") ? withTls(file.copy()) : file;
      PiriConfig without = load(base);
      PiriConfig c = load(base, Map.of(k.envName(), ok.text()));
      // Generic check, for every key: the environment value gives exactly the configuration that
      // the same value written in the file gives, and not the one without it.
      PiriConfig viaFile = load(put(base.copy(), k.path(), ok.asJson()));
      assertEquals(viaFile, c, "env " + k.envName() + "=" + ok.text() + " differs from the same value in the file");
      assertFalse(without.equals(c), "env " + k.envName() + "=" + ok.text() + " did not change the configuration");
      Function<PiriConfig, Object> get = accessor(k.path());
      if (get != null) {
        assertEquals(ok.expected(), get.apply(c), "env " + k.envName() + "=" + ok.text() + " did not take effect");
        assertFalse(ok.expected().equals(get.apply(without)), "test value for " + k.path() + " must differ");
      }

      String bad = invalidEnvValue(k);
      if (bad != null) {
        ConfigException e = refused(base, Map.of(k.envName(), bad), k.path());
        if (k.type() != ConfigKey.Type.STRING) {
          assertTrue(e.getMessage().contains(k.envName()), "the message should name the variable: " + e.getMessage());
        }
        assertFalse(e.getMessage().contains("envsecret"), "password leaked: " + e.getMessage());
      }
      checked++;
    }
    assertEquals(ConfigKeys.ALL.stream().filter(k -> k.type() != ConfigKey.Type.LIST).count(), checked, "every key is checked");
  }

  @Test
  void wrongEnvironmentValueNamesKeyAndVariable() {
    ConfigException e = refused(new JsonObject(), Map.of("PIRI_BRIDGE_PORT", "abc"), ConfigKeys.BRIDGE_PORT);
    assertTrue(e.getMessage().contains("PIRI_BRIDGE_PORT"), e.getMessage());
    assertTrue(e.getMessage().contains("\"abc\""), e.getMessage());
  }

  @Test
  void environmentIsValidatedLikeTheFile() {
    refused(new JsonObject(), Map.of("PIRI_REPO_DATABASE_POSTGRES_MAX_OPEN_CONNS", "-3"), ConfigKeys.PG_MAX_OPEN);
    refused(new JsonObject(), Map.of("PIRI_REPO_DATABASE_POSTGRES_MAX_OPEN_CONNS", "2"), ConfigKeys.PG_MAX_IDLE);
    refused(new JsonObject(), Map.of("PIRI_REPO_DATABASE_TYPE", "postgres"), ConfigKeys.PG_URL);
    refused(new JsonObject(), Map.of("PIRI_BRIDGE_PORT", "70000"), ConfigKeys.BRIDGE_PORT);
  }

  // ---------------------------------------------------------------- refusals

  @ParameterizedTest
  @ValueSource(strings = {"foo", "repo.database.foo", "repo.database.postgres.foo", "bridge.hostname", "repo.datadir"})
  void unknownKeyIsRefusedWithItsPath(String path) {
    ConfigException e = refused(json(path, "x"), path);
    assertTrue(e.getMessage().contains("unknown key"), e.getMessage());
  }

  @Test
  void sectionThatIsNotAnObjectIsRefused() {
    refused(new JsonObject().put("repo", "data"), "repo");
    refused(json("repo.database", "sqlite"), "repo.database");
  }

  @Test
  void unknownDatabaseType() {
    ConfigException e = refused(json("repo.database.type", "mysql"), ConfigKeys.DB_TYPE);
    assertTrue(e.getMessage().contains("mysql"), e.getMessage());
    refused(json("repo.database.type", "SQLite"), ConfigKeys.DB_TYPE);
  }

  @Test
  void postgresWithoutUrl() {
    ConfigException e = refused(json("repo.database.type", "postgres"), ConfigKeys.PG_URL);
    assertTrue(e.getMessage().contains("required"), e.getMessage());
    refused(json("repo.database.type", "postgres", "repo.database.postgres.url", "  "), ConfigKeys.PG_URL);
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "mysql://piri:pw@db.example/piri",
      "jdbc:postgresql://db.example:5432/piri",
      "db.example:5432/piri",
      "postgres://db.example:5432",
      "postgres:///piri"})
  void urlThatIsNotAUsablePostgresUrl(String url) {
    refused(json("repo.database.type", "postgres", "repo.database.postgres.url", url), ConfigKeys.PG_URL);
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "postgres://u:supersecret@/db",               // no host
      "postgres://u:supersecret@db.example",        // no database
      "postgres://u:supersecret@db.example/",       // no database
      "mysql://u:supersecret@db.example/db",        // wrong scheme
      "postgresql://u:super secret@db.example/db"}) // not a URL (space); the password part is "super secret"
  void postgresPasswordNeverAppearsInAConfigException(String url) {
    ConfigException e = refused(json("repo.database.type", "postgres", "repo.database.postgres.url", url), ConfigKeys.PG_URL);
    assertFalse(e.getMessage().contains("supersecret"), "password leaked: " + e.getMessage());
    assertFalse(e.getMessage().contains("super secret"), "password leaked: " + e.getMessage());
    assertFalse(e.getMessage().contains("secret"), "password leaked: " + e.getMessage());
    assertTrue(e.getMessage().contains("***"), "the URL is shown masked: " + e.getMessage());
  }

  /**
   * Same rule for URLs whose scheme PostgresUrl.mask does not recognise ([a-z]+ only) and for a
   * password given as a query parameter: today the message echoes them unmasked.
   */
  @ParameterizedTest
  @ValueSource(strings = {
      "POSTGRES://u:supersecret@db.example/db",
      "postgres+ssl://u:supersecret@db.example/db",
      "postgres://db.example?user=u&password=supersecret"})
  void postgresPasswordNeverAppears_unusualSchemesAndQuery(String url) {
    ConfigException e = refused(json("repo.database.type", "postgres", "repo.database.postgres.url", url), ConfigKeys.PG_URL);
    assertFalse(e.getMessage().contains("supersecret"), "password leaked: " + e.getMessage());
  }

  @Test
  void postgresPasswordFromTheEnvironmentNeverAppears() {
    ConfigException e = refused(json("repo.database.type", "postgres"),
        Map.of("PIRI_REPO_DATABASE_POSTGRES_URL", "postgres://u:supersecret@/db"), ConfigKeys.PG_URL);
    assertFalse(e.getMessage().contains("supersecret"), "password leaked: " + e.getMessage());
  }

  @Test
  void negativeMaxOpenConns() {
    ConfigException e = refused(json("repo.database.postgres.max_open_conns", -1), ConfigKeys.PG_MAX_OPEN);
    assertTrue(e.getMessage().contains("-1"), e.getMessage());
    refused(json("repo.database.postgres.max_open_conns", 0), ConfigKeys.PG_MAX_OPEN);
  }

  @Test
  void sqliteReadConnectionsAreBounded() {
    assertEquals(1, load(json(ConfigKeys.SQLITE_READ_CONNECTIONS, 1)).sqlite().readConnections());
    ConfigException e = refused(json(ConfigKeys.SQLITE_READ_CONNECTIONS, 0), ConfigKeys.SQLITE_READ_CONNECTIONS);
    assertTrue(e.getMessage().contains("got 0"), e.getMessage());
    refused(json(ConfigKeys.SQLITE_READ_CONNECTIONS, 65), ConfigKeys.SQLITE_READ_CONNECTIONS);
  }

  @Test
  void maxIdleAboveMaxOpen() {
    ConfigException e = refused(json("repo.database.postgres.max_open_conns", 3,
        "repo.database.postgres.max_idle_conns", 4), ConfigKeys.PG_MAX_IDLE);
    assertTrue(e.getMessage().contains("4"), e.getMessage());
    // equal is fine
    PiriConfig c = load(json("repo.database.postgres.max_open_conns", 4, "repo.database.postgres.max_idle_conns", 4));
    assertEquals(4, c.postgres().maxIdleConns());
  }

  @ParameterizedTest
  @ValueSource(strings = {
      ConfigKeys.PG_MAX_LIFETIME, ConfigKeys.PG_CONNECT_TIMEOUT, ConfigKeys.SHUTDOWN_TIMEOUT, ConfigKeys.BRIDGE_FRAME_TIMEOUT})
  void badDurationNamesTheKey(String path) {
    ConfigException e = refused(json(path, "5 minutes"), path);
    assertTrue(e.getMessage().contains("5 minutes"), e.getMessage());
    refused(json(path, "-5s"), path);
    refused(json(path, 300), path); // a number is not a duration
  }

  @Test
  void zeroConnectTimeoutIsRefused_zeroLifetimeMeansNever() {
    refused(json(ConfigKeys.PG_CONNECT_TIMEOUT, "0"), ConfigKeys.PG_CONNECT_TIMEOUT);
    assertEquals(Duration.ZERO, load(json(ConfigKeys.PG_MAX_LIFETIME, "0")).postgres().connMaxLifetime());
  }

  @Test
  void frameTimeoutDefaultsTo30sAndMustBePositive() {
    assertEquals(Duration.ofSeconds(30), load(new JsonObject()).bridgeFrameTimeout());
    assertEquals(Duration.ofMillis(250), load(json(ConfigKeys.BRIDGE_FRAME_TIMEOUT, "250ms")).bridgeFrameTimeout());
    refused(json(ConfigKeys.BRIDGE_FRAME_TIMEOUT, "0"), ConfigKeys.BRIDGE_FRAME_TIMEOUT);
  }

  @Test
  void portOutOfRangeAndBodyLimitTooSmall() {
    refused(json("bridge.port", 65536), ConfigKeys.BRIDGE_PORT);
    refused(json("bridge.port", -1), ConfigKeys.BRIDGE_PORT);
    refused(json("bridge.port", 1L << 40), ConfigKeys.BRIDGE_PORT);
    refused(json("bridge.port", 0), ConfigKeys.BRIDGE_PORT);
    refused(json("limits.max_body_bytes", 1023), ConfigKeys.MAX_BODY_BYTES);
    refused(json("repo.data_dir", ""), ConfigKeys.DATA_DIR);
  }

  @Test
  void wrongJsonTypes() {
    ConfigException e = refused(json("repo.data_dir", 5), ConfigKeys.DATA_DIR);
    assertTrue(e.getMessage().contains("string"), e.getMessage());
    refused(json("bridge.port", true), ConfigKeys.BRIDGE_PORT);
    refused(json("bridge.port", 7300.5), ConfigKeys.BRIDGE_PORT);
    refused(json("bridge.port", new JsonObject()), ConfigKeys.BRIDGE_PORT);
    refused(json("bridge.port", new JsonArray().add(7300)), ConfigKeys.BRIDGE_PORT);
    refused(json("bridge.host", 127), ConfigKeys.BRIDGE_HOST);
    refused(json("repo.database.type", 1), ConfigKeys.DB_TYPE);
    refused(json("repo.database.postgres.url", new JsonArray()), ConfigKeys.PG_URL);
  }

  /**
   * A JSON string for an integer key is a wrong JSON type (the file is typed JSON; only the
   * environment carries integers as text). Today ConfigKey.convert accepts "7300" from the file
   * because it shares the text path with the environment.
   */
  @Test
  void stringForPortInTheFileIsAWrongType() {
    ConfigException e = refused(json("bridge.port", "7300"), ConfigKeys.BRIDGE_PORT);
    assertTrue(e.getMessage().contains("integer"), e.getMessage());
    refused(json("bridge.port", "abc"), ConfigKeys.BRIDGE_PORT);
  }

  // ---------------------------------------------------------------- ConfigLoader.load (through vertx-config)

  private Vertx vertx;
  @TempDir Path tmp;

  @BeforeEach
  void startVertx() {
    vertx = Vertx.vertx();
  }

  @AfterEach
  void closeVertx() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private Throwable loadFailure(Path file) throws Exception {
    try {
      PiriConfig c = ConfigLoader.load(vertx, file).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      return fail("expected a failure, got " + c);
    } catch (ExecutionException e) {
      return e.getCause();
    }
  }

  @Test
  void loadMalformedJsonFile() throws Exception {
    Path file = tmp.resolve("bad.json");
    Files.writeString(file, "{ \"repo\": { \"data_dir\": ", StandardCharsets.UTF_8);
    ConfigException e = assertInstanceOf(ConfigException.class, loadFailure(file));
    assertEquals("--config", e.key());
    assertTrue(e.getMessage().contains("not valid JSON"), e.getMessage());
    assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
    assertEquals(1, e.getMessage().lines().count(), "one line: " + e.getMessage());
  }

  @Test
  void loadMissingFile() throws Exception {
    Path file = tmp.resolve("nope.json");
    ConfigException e = assertInstanceOf(ConfigException.class, loadFailure(file));
    assertEquals("--config", e.key());
    assertTrue(e.getMessage().contains("no such file"), e.getMessage());
    assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
  }

  @Test
  void loadDirectoryInsteadOfFile() throws Exception {
    ConfigException e = assertInstanceOf(ConfigException.class, loadFailure(tmp));
    assertEquals("--config", e.key());
  }

  @Test
  void loadValidFile() throws Exception {
    Path file = tmp.resolve("ok.json");
    Files.writeString(file, json("repo.data_dir", "/srv/piri", "bridge.port", 7555).encodePrettily());
    PiriConfig c = ConfigLoader.load(vertx, file).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    // the real environment of the test JVM may only differ if it sets PIRI_* variables itself
    if (System.getenv("PIRI_REPO_DATA_DIR") == null) assertEquals(Path.of("/srv/piri"), c.dataDir());
    if (System.getenv("PIRI_BRIDGE_PORT") == null) assertEquals(7555, c.bridgePort());
  }

  @Test
  void loadFileWithAnUnknownKeyFailsWithThatKey() throws Exception {
    Path file = tmp.resolve("unknown.json");
    Files.writeString(file, json("repo.database.foo", 1).encode());
    ConfigException e = assertInstanceOf(ConfigException.class, loadFailure(file));
    assertEquals("repo.database.foo", e.key());
  }

  @Test
  void loadEmptyObjectFileGivesDefaults() throws Exception {
    Path file = tmp.resolve("empty.json");
    Files.writeString(file, "{}");
    PiriConfig c = ConfigLoader.load(vertx, file).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    if (System.getenv("PIRI_REPO_DATABASE_TYPE") == null) assertEquals(BackendType.SQLITE, c.backend());
    if (System.getenv("PIRI_SHUTDOWN_TIMEOUT") == null) assertEquals(Duration.ofSeconds(8), c.shutdownTimeout());
  }

  // ---------------------------------------------------------------- Durations

  @ParameterizedTest
  @CsvSource({
      "0, 0",
      "300ms, 300000000",
      "5s, 5000000000",
      "30m, 1800000000000",
      "1h30m, 5400000000000",
      "1.5h, 5400000000000",
      "2h45m30s, 9930000000000",
      "1m0.5s, 60500000000",
      ".5s, 500000000",
      "+5s, 5000000000",
      "1500us, 1500000",
      "1500µs, 1500000",
      "10ns, 10",
      "0s, 0"})
  void durationParses(String text, long nanos) {
    assertEquals(Duration.ofNanos(nanos), Durations.parse(text));
  }

  @ParameterizedTest
  @ValueSource(strings = {"-5s", "5", "abc", "", "5 s", "5 minutes", "1h 30m", "5S", "h", "1d", "-0", "5s ", " 5s", "1.h2"})
  void durationRejects(String text) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Durations.parse(text));
    assertTrue(e.getMessage() != null && !e.getMessage().isBlank());
  }

  @Test
  void durationRejectsNull() {
    assertThrows(IllegalArgumentException.class, () -> Durations.parse(null));
  }

  @Test
  void durationFormatRoundTrips() {
    for (String s : List.of("0", "300ms", "5s", "30m", "1h30m", "2h45m30s", "1h0m1s")) {
      Duration d = Durations.parse(s);
      assertEquals(d, Durations.parse(Durations.format(d)), "round trip of " + s);
    }
    assertEquals("1h30m", Durations.format(Duration.ofMinutes(90)));
    assertEquals("0", Durations.format(Duration.ZERO));
  }

  @Test
  void durationEnvironmentValueIsGoSyntax() {
    Map<String, String> env = new HashMap<>();
    env.put("PIRI_SHUTDOWN_TIMEOUT", "1m30s");
    assertEquals(Duration.ofSeconds(90), load(new JsonObject(), env).shutdownTimeout());
    env.put("PIRI_SHUTDOWN_TIMEOUT", "90");
    ConfigException e = refused(new JsonObject(), env, ConfigKeys.SHUTDOWN_TIMEOUT);
    assertTrue(e.getMessage().contains("PIRI_SHUTDOWN_TIMEOUT"), e.getMessage());
  }
}
