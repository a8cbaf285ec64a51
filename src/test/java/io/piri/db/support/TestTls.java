package io.piri.db.support;

import io.piri.db.config.PiriConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * Key material for clusters in tests, made once per test JVM in a temporary directory (nothing
 * private is committed): a cluster CA and a member key store signed by it, made by
 * {@code scripts/cluster-tls} as an operator would; and a stranger's key store, a self-signed
 * certificate the cluster CA never signed.
 */
public final class TestTls {
  private static TestTls instance;

  private final Path dir;
  private final String keyPassword = "k-" + UUID.randomUUID();
  private final String trustPassword = "t-" + UUID.randomUUID();

  private TestTls(Path dir) {
    this.dir = dir;
  }

  public static synchronized TestTls get() {
    if (instance == null) {
      try {
        instance = create();
      } catch (Exception e) {
        throw new IllegalStateException("cannot create test key material", e);
      }
    }
    return instance;
  }

  private static TestTls create() throws Exception {
    Path dir = Files.createTempDirectory("piri-tls");
    Runtime.getRuntime().addShutdownHook(new Thread(() -> delete(dir)));
    TestTls tls = new TestTls(dir);
    tls.run(List.of("bash", "scripts/cluster-tls", dir.toString(), "member"));
    tls.run(List.of(keytool(), "-genkeypair", "-alias", "stranger", "-keyalg", "EC", "-groupname", "secp256r1",
        "-dname", "CN=stranger", "-validity", "2", "-keystore", dir.resolve("stranger.p12").toString(),
        "-storetype", "PKCS12", "-storepass:env", "PIRI_CLUSTER_TLS_KEY_STORE_PASSWORD"));
    return tls;
  }

  /** The settings every member of a test cluster uses. */
  public PiriConfig.Tls member() {
    return new PiriConfig.Tls(dir.resolve("member.p12").toString(), keyPassword, trustStore(), trustPassword);
  }

  /** A key of its own, not signed by the cluster CA, while it trusts the cluster CA like a member. */
  public PiriConfig.Tls stranger() {
    return new PiriConfig.Tls(dir.resolve("stranger.p12").toString(), keyPassword, trustStore(), trustPassword);
  }

  /** {@link #member()} as {@code PIRI_CLUSTER_TLS_*} variables, for a child process. */
  public Map<String, String> env() {
    PiriConfig.Tls t = member();
    return Map.of(
        "PIRI_CLUSTER_TLS_KEY_STORE", t.keyStore(),
        "PIRI_CLUSTER_TLS_KEY_STORE_PASSWORD", t.keyStorePassword(),
        "PIRI_CLUSTER_TLS_TRUST_STORE", t.trustStore(),
        "PIRI_CLUSTER_TLS_TRUST_STORE_PASSWORD", t.trustStorePassword());
  }

  private String trustStore() {
    return dir.resolve("trust.p12").toString();
  }

  private void run(List<String> cmd) throws IOException, InterruptedException {
    ProcessBuilder pb = new ProcessBuilder(new ArrayList<>(cmd)).redirectErrorStream(true);
    pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
    pb.environment().put("CLUSTER_CA_PASSWORD", "c-" + UUID.randomUUID());
    pb.environment().put("PIRI_CLUSTER_TLS_KEY_STORE_PASSWORD", keyPassword);
    pb.environment().put("PIRI_CLUSTER_TLS_TRUST_STORE_PASSWORD", trustPassword);
    pb.environment().put("VALIDITY_DAYS", "2");
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes());
    if (p.waitFor() != 0) throw new IOException(String.join(" ", cmd) + " failed:\n" + out);
  }

  private static String keytool() {
    return Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
  }

  private static void delete(Path dir) {
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // A temporary directory; the OS cleans what is left.
    }
  }
}
