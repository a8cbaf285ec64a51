package io.piri.db.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.piri.db.core.ExitException;
import io.piri.db.config.ConfigException;
import io.piri.db.config.ConfigKeys;
import io.piri.db.config.PiriConfig;
import io.piri.db.support.Cli;
import io.piri.db.support.TestBackend;
import io.piri.db.support.TestTls;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code cluster.tls} stores that cannot be used stop the start naming the key, never showing a password. */
class ClusterTlsStoresTest {
  @TempDir Path tmp;

  private static PiriConfig.Cluster member(PiriConfig.Tls tls) {
    int port = TestBackend.freePort();
    return new PiriConfig.Cluster(true, "127.0.0.1", port, 0, List.of("127.0.0.1:" + port), "piri-tls-test", true, tls, false);
  }

  private static ConfigException refused(PiriConfig.Tls tls) {
    return assertThrows(ConfigException.class, () -> Cluster.vertx(member(tls)).await(30, TimeUnit.SECONDS));
  }

  @Test
  void aWrongKeyStorePasswordNamesItsKeyAndShowsNoPassword() {
    PiriConfig.Tls good = TestTls.get().member();
    ConfigException e = refused(new PiriConfig.Tls(good.keyStore(), "wrong-password", good.trustStore(), good.trustStorePassword()));
    assertEquals(ConfigKeys.CLUSTER_TLS_KEY_STORE_PASSWORD, e.key());
    assertTrue(e.getMessage().contains(good.keyStore()), e.getMessage());
    assertFalse(e.getMessage().contains("wrong-password"), e.getMessage());
    assertFalse(e.getMessage().contains(good.trustStorePassword()), e.getMessage());
  }

  @Test
  void aWrongTrustStorePasswordNamesItsKey() {
    PiriConfig.Tls good = TestTls.get().member();
    ConfigException e = refused(new PiriConfig.Tls(good.keyStore(), good.keyStorePassword(), good.trustStore(), "nope-123"));
    assertEquals(ConfigKeys.CLUSTER_TLS_TRUST_STORE_PASSWORD, e.key());
    assertFalse(e.getMessage().contains("nope-123") || e.getMessage().contains(good.keyStorePassword()), e.getMessage());
  }

  @Test
  void missingOrUnreadableStoresNameTheirKey() throws Exception {
    PiriConfig.Tls good = TestTls.get().member();
    String missing = tmp.resolve("missing.p12").toString();
    assertEquals(ConfigKeys.CLUSTER_TLS_KEY_STORE,
        refused(new PiriConfig.Tls(missing, "x", good.trustStore(), good.trustStorePassword())).key());
    Path garbage = Files.writeString(tmp.resolve("garbage.p12"), "not a key store");
    ConfigException e = refused(new PiriConfig.Tls(good.keyStore(), good.keyStorePassword(), garbage.toString(), "x"));
    assertEquals(ConfigKeys.CLUSTER_TLS_TRUST_STORE, e.key());
  }

  @Test
  void aKeyStoreWithoutAPrivateKeyIsRefused() {
    PiriConfig.Tls good = TestTls.get().member();
    // The trust store is a valid PKCS#12 file, but holds only the CA's certificate.
    ConfigException e = refused(new PiriConfig.Tls(good.trustStore(), good.trustStorePassword(), good.trustStore(),
        good.trustStorePassword()));
    assertEquals(ConfigKeys.CLUSTER_TLS_KEY_STORE, e.key());
    assertTrue(e.getMessage().contains("no private key"), e.getMessage());
  }

  @Test
  void aJksKeyStoreWorksToo() throws Exception {
    PiriConfig.Tls good = TestTls.get().member();
    Path jks = tmp.resolve("member.jks");
    ProcessBuilder p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
        "-importkeystore", "-srckeystore", good.keyStore(), "-srcstoretype", "PKCS12", "-srcstorepass:env", "PW",
        "-destkeystore", jks.toString(), "-deststoretype", "JKS", "-deststorepass:env", "PW", "-noprompt")
        .redirectErrorStream(true);
    p.environment().put("PW", good.keyStorePassword());
    Process run = p.start();
    String out = new String(run.getInputStream().readAllBytes());
    assertEquals(0, run.waitFor(), out);
    Vertx v = Cluster.vertx(member(new PiriConfig.Tls(jks.toString(), good.keyStorePassword(), good.trustStore(),
        good.trustStorePassword()))).await(90, TimeUnit.SECONDS);
    v.close().await(30, TimeUnit.SECONDS);
  }

  @Test
  void serveExitsWith2() throws Exception {
    PiriConfig.Tls good = TestTls.get().member();
    int port = TestBackend.freePort();
    Path file = tmp.resolve("member.json");
    Files.writeString(file, new JsonObject().put("repo", new JsonObject().put("data_dir", tmp.resolve("data").toString()))
        .put("cluster", new JsonObject().put("enabled", true).put("port", port)
            .put("members", new JsonArray().add("127.0.0.1:" + port))
            .put("tls", new JsonObject().put("key_store", good.keyStore()).put("key_store_password", "wrong-password")
                .put("trust_store", good.trustStore()).put("trust_store_password", good.trustStorePassword())))
        .encode());
    Cli.Result r = Cli.run("serve", "--config", file.toString());
    assertEquals(ExitException.BAD_CONFIG, r.code(), r.toString());
    assertTrue(r.err().startsWith("piri-db: " + ConfigKeys.CLUSTER_TLS_KEY_STORE_PASSWORD + ": "), r.toString());
    assertFalse(r.err().contains("wrong-password") || r.out().contains("wrong-password"), r.toString());
  }
}
