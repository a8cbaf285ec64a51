package io.piri.db.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.piri.db.core.ExitException;
import io.piri.db.support.Cli;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code cluster.*}: defaults, file and environment values, and every refusal naming its key. */
class ClusterConfigTest {

  private static JsonObject cluster(JsonObject section) {
    return new JsonObject().put("cluster", section);
  }

  private static ConfigException refused(JsonObject file, Map<String, String> env) {
    return assertThrows(ConfigException.class, () -> ConfigLoader.fromJson(file, env));
  }

  @Test
  void defaultsFollowTheContract() {
    PiriConfig.Cluster c = ConfigLoader.fromJson(new JsonObject(), Map.of()).cluster();
    assertEquals(new PiriConfig.Cluster(false, "127.0.0.1", 5701, 0, List.of(), "piri-db", true, null, false), c);
    assertEquals(PiriConfig.Cluster.LOCAL, c);
  }

  @Test
  void fileValues() {
    PiriConfig.Cluster c = ConfigLoader.fromJson(cluster(new JsonObject()
        .put("enabled", true).put("host", "10.0.0.5").put("port", 5801).put("bus_port", 17001)
        .put("members", new JsonArray().add("10.0.0.5:5801").add("10.0.0.6:5801").add("[::1]:5701"))
        .put("name", "node-a").put("stores", false)
        .put("tls", new JsonObject().put("key_store", "/etc/piri/node-a.p12").put("key_store_password", "k-secret")
            .put("trust_store", "/etc/piri/trust.p12").put("trust_store_password", "t-secret"))), Map.of()).cluster();
    assertTrue(c.enabled());
    assertEquals(new PiriConfig.Tls("/etc/piri/node-a.p12", "k-secret", "/etc/piri/trust.p12", "t-secret"), c.tls());
    assertFalse(c.insecure());
    assertEquals("10.0.0.5", c.host());
    assertEquals(5801, c.port());
    assertEquals(17001, c.busPort());
    assertEquals(List.of("10.0.0.5:5801", "10.0.0.6:5801", "[::1]:5701"), c.members());
    assertEquals("node-a", c.name());
    assertFalse(c.stores());
  }

  @Test
  void environmentListIsCommaSeparatedAndBeatsTheFile() {
    PiriConfig.Cluster c = ConfigLoader.fromJson(
        cluster(new JsonObject().put("members", new JsonArray().add("h:1"))),
        Map.of("PIRI_CLUSTER_MEMBERS", "127.0.0.1:5701, 127.0.0.1:5702", "PIRI_CLUSTER_ENABLED", "true",
            "PIRI_CLUSTER_BUS_PORT", "7400", "PIRI_CLUSTER_STORES", "false")).cluster();
    assertEquals(List.of("127.0.0.1:5701", "127.0.0.1:5702"), c.members());
    assertTrue(c.enabled());
    assertEquals(7400, c.busPort());
    assertFalse(c.stores());
  }

  @ParameterizedTest
  @ValueSource(strings = {"nohost", "h:", ":5701", "h:0", "h:65536", "h:x", "::1:5701", "", "a b:1"})
  void badMemberIsRefusedNamingTheKey(String member) {
    ConfigException e = refused(cluster(new JsonObject().put("members", new JsonArray().add(member))), Map.of());
    assertEquals(ConfigKeys.CLUSTER_MEMBERS, e.key());
    assertTrue(e.getMessage().contains("host:port"), e.getMessage());
  }

  @Test
  void badMemberFromTheEnvironment() {
    ConfigException e = refused(new JsonObject(), Map.of("PIRI_CLUSTER_MEMBERS", "127.0.0.1:5701,,h:2"));
    assertEquals(ConfigKeys.CLUSTER_MEMBERS, e.key());
  }

  @Test
  void membersMustBeAList() {
    assertEquals(ConfigKeys.CLUSTER_MEMBERS,
        refused(cluster(new JsonObject().put("members", "h:1")), Map.of()).key());
  }

  @Test
  void portsAreChecked() {
    assertEquals(ConfigKeys.CLUSTER_PORT, refused(cluster(new JsonObject().put("port", 0)), Map.of()).key());
    assertEquals(ConfigKeys.CLUSTER_PORT, refused(cluster(new JsonObject().put("port", 70000)), Map.of()).key());
    assertEquals(ConfigKeys.CLUSTER_BUS_PORT, refused(cluster(new JsonObject().put("bus_port", 65536)), Map.of()).key());
    assertEquals(ConfigKeys.CLUSTER_BUS_PORT, refused(cluster(new JsonObject().put("bus_port", -1)), Map.of()).key());
  }

  @Test
  void emptyHostOrNameAndUnknownKeysAreRefused() {
    assertEquals(ConfigKeys.CLUSTER_HOST, refused(cluster(new JsonObject().put("host", " ")), Map.of()).key());
    assertEquals(ConfigKeys.CLUSTER_NAME, refused(cluster(new JsonObject().put("name", "")), Map.of()).key());
    assertEquals("cluster.multicast", refused(cluster(new JsonObject().put("multicast", true)), Map.of()).key());
    assertEquals(ConfigKeys.CLUSTER_ENABLED, refused(cluster(new JsonObject().put("enabled", "yes")), Map.of()).key());
  }

  @Test
  void storesFalseNeedsACluster() {
    assertEquals(ConfigKeys.CLUSTER_STORES, refused(cluster(new JsonObject().put("stores", false)), Map.of()).key());
  }

  @Test
  void memberWithoutStoresNeedsNoPostgresUrl() {
    JsonObject file = cluster(new JsonObject().put("enabled", true).put("stores", false))
        .put("repo", new JsonObject().put("database", new JsonObject().put("type", "postgres")));
    PiriConfig cfg = ConfigLoader.fromJson(file, Map.of());
    assertNull(cfg.postgres().url());
    assertFalse(cfg.cluster().stores());
    // ...while a member with stores still needs one.
    file.getJsonObject("cluster").put("stores", true);
    assertEquals(ConfigKeys.PG_URL, refused(file, Map.of()).key());
  }

  @ParameterizedTest
  @ValueSource(strings = {"10.0.0.5", "0.0.0.0", "192.168.1.20", "node1.example", "::", "[2001:db8::1]"})
  void aNetworkHostWithoutTlsIsRefusedNamingTheKey(String host) {
    ConfigException e = refused(cluster(new JsonObject().put("enabled", true).put("host", host)), Map.of());
    assertEquals(ConfigKeys.CLUSTER_HOST, e.key());
    assertTrue(e.getMessage().contains(ConfigKeys.CLUSTER_TLS_KEY_STORE), e.getMessage());
    assertTrue(e.getMessage().contains(ConfigKeys.CLUSTER_INSECURE), e.getMessage());
    // The same from the environment alone.
    assertEquals(ConfigKeys.CLUSTER_HOST,
        refused(new JsonObject(), Map.of("PIRI_CLUSTER_ENABLED", "true", "PIRI_CLUSTER_HOST", host)).key());
  }

  @ParameterizedTest
  @ValueSource(strings = {"127.0.0.1", "127.0.1.1", "localhost", "LOCALHOST", "::1", "[::1]"})
  void aLoopbackHostNeedsNoTls(String host) {
    PiriConfig.Cluster c = ConfigLoader.fromJson(cluster(new JsonObject().put("enabled", true).put("host", host)), Map.of())
        .cluster();
    assertNull(c.tls());
  }

  @Test
  void aNetworkHostStartsWithTlsOrWhenDeclaredInsecure() {
    JsonObject tls = new JsonObject().put("key_store", "k.p12").put("trust_store", "t.p12");
    assertEquals("k.p12", ConfigLoader.fromJson(cluster(new JsonObject().put("enabled", true).put("host", "10.0.0.5")
        .put("tls", tls)), Map.of()).cluster().tls().keyStore());
    PiriConfig.Cluster insecure = ConfigLoader.fromJson(cluster(new JsonObject().put("enabled", true)
        .put("host", "10.0.0.5")), Map.of("PIRI_CLUSTER_INSECURE", "true")).cluster();
    assertTrue(insecure.insecure());
    assertNull(insecure.tls());
    // Not clustered: the host is never bound, so nothing to refuse.
    assertFalse(ConfigLoader.fromJson(cluster(new JsonObject().put("host", "10.0.0.5")), Map.of()).cluster().enabled());
  }

  @Test
  void halfATlsConfigurationIsRefused() {
    assertEquals(ConfigKeys.CLUSTER_TLS_TRUST_STORE,
        refused(cluster(new JsonObject().put("tls", new JsonObject().put("key_store", "k.p12"))), Map.of()).key());
    assertEquals(ConfigKeys.CLUSTER_TLS_KEY_STORE,
        refused(new JsonObject(), Map.of("PIRI_CLUSTER_TLS_TRUST_STORE", "t.p12")).key());
    assertNull(ConfigLoader.fromJson(new JsonObject(), Map.of("PIRI_CLUSTER_TLS_KEY_STORE_PASSWORD", "secret"))
        .cluster().tls(), "passwords alone turn nothing on");
    assertEquals("cluster.tls.keystore",
        refused(cluster(new JsonObject().put("tls", new JsonObject().put("keystore", "k.p12"))), Map.of()).key());
  }

  @Test
  void tlsPasswordsNeverShowInText() {
    PiriConfig.Cluster c = ConfigLoader.fromJson(new JsonObject(), Map.of("PIRI_CLUSTER_TLS_KEY_STORE", "k.p12",
        "PIRI_CLUSTER_TLS_KEY_STORE_PASSWORD", "k-secret", "PIRI_CLUSTER_TLS_TRUST_STORE", "t.p12",
        "PIRI_CLUSTER_TLS_TRUST_STORE_PASSWORD", "t-secret")).cluster();
    assertEquals("k-secret", c.tls().keyStorePassword());
    assertFalse(c.toString().contains("k-secret") || c.toString().contains("t-secret"), c.toString());
    assertTrue(c.toString().contains("k.p12"), c.toString());
  }

  @Test
  void serveRefusesANetworkHostWithoutTlsWithExitCode2(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("cluster.json");
    Files.writeString(file, cluster(new JsonObject().put("enabled", true).put("host", "10.0.0.5")).encode());
    Cli.Result r = Cli.run("serve", "--config", file.toString());
    assertEquals(ExitException.BAD_CONFIG, r.code(), r.toString());
    assertTrue(r.err().startsWith("piri-db: " + ConfigKeys.CLUSTER_HOST + ": is 10.0.0.5, not a loopback address"), r.toString());
  }

  @Test
  void exampleClusterFilesAreValid() throws Exception {
    Path conf = Path.of("conf");
    try (var files = Files.list(conf)) {
      List<Path> cluster = files.filter(p -> p.getFileName().toString().startsWith("cluster-")).toList();
      assertFalse(cluster.isEmpty(), "conf/cluster-*.json");
      for (Path p : cluster) {
        PiriConfig cfg = ConfigLoader.fromJson(new JsonObject(Files.readString(p)), Map.of());
        assertTrue(cfg.cluster().enabled(), p.toString());
        assertTrue(cfg.cluster().tls() != null, p + " shows the TLS settings a real cluster needs");
      }
    }
  }
}
