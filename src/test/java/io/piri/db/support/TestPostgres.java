package io.piri.db.support;

import io.piri.db.config.PostgresUrl;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.postgresql.PostgreSQLContainer;

/**
 * The real PostgreSQL server the tests use, in order: the server named by
 * {@code PIRI_TEST_POSTGRES_URL}; else a Testcontainers container when a Docker engine answers;
 * else an embedded PostgreSQL (io.zonky.test) started once per JVM. Each test gets a fresh
 * database of its own from {@link #newDatabase()}.
 */
public final class TestPostgres {
  private static final AtomicInteger COUNTER = new AtomicInteger();
  private static String adminUrl;
  private static String source;

  private TestPostgres() {}

  /** Creates an empty database and returns its postgres:// URL. */
  public static synchronized String newDatabase() {
    String admin = adminUrl();
    String name = "piri_test_" + ProcessHandle.current().pid() + "_" + COUNTER.incrementAndGet();
    try (Connection c = connect(admin); Statement s = c.createStatement()) {
      s.execute("CREATE DATABASE " + name);
    } catch (SQLException e) {
      throw new IllegalStateException("cannot create test database on " + PostgresUrl.mask(admin) + ": " + e.getMessage(), e);
    }
    return admin.replaceFirst("/[^/?]*(\\?.*)?$", "/" + name + "$1");
  }

  /** Runs SQL against the database at {@code url}, for checks the store's API does not offer. */
  public static Connection connect(String url) throws SQLException {
    Properties p = PostgresUrl.credentials(url);
    return DriverManager.getConnection(PostgresUrl.jdbcUrl(url), p);
  }

  public static synchronized String source() {
    adminUrl();
    return source;
  }

  private static synchronized String adminUrl() {
    if (adminUrl != null) return adminUrl;
    String fromEnv = System.getenv("PIRI_TEST_POSTGRES_URL");
    if (fromEnv != null && !fromEnv.isBlank()) {
      source = "PIRI_TEST_POSTGRES_URL";
      adminUrl = fromEnv;
    } else if (dockerAvailable()) {
      PostgreSQLContainer pg = new PostgreSQLContainer("postgres:16-alpine");
      pg.start();
      source = "testcontainers";
      adminUrl = "postgres://" + pg.getUsername() + ":" + pg.getPassword() + "@" + pg.getHost() + ":"
          + pg.getMappedPort(5432) + "/" + pg.getDatabaseName();
    } else {
      try {
        // Every test leaves its database behind, so by the end the data directory holds hundreds
        // of them: deleting it takes longer than a test JVM is given to exit. The server stops
        // when this JVM exits, and a process of its own deletes the directory afterwards.
        Path dataDir = Files.createTempDirectory("piri-test-pg");
        EmbeddedPostgres pg = EmbeddedPostgres.builder().setDataDirectory(dataDir).setCleanDataDirectory(false)
            .setRegisterShutdownHook(false).start();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
          try {
            pg.close();
          } catch (Exception ignored) {
            // the JVM is going away
          }
          deleteLater(dataDir);
        }));
        source = "embedded";
        adminUrl = "postgres://postgres:postgres@127.0.0.1:" + pg.getPort() + "/postgres";
      } catch (Exception e) {
        throw new IllegalStateException("cannot start an embedded PostgreSQL: " + e.getMessage(), e);
      }
    }
    return adminUrl;
  }

  private static void deleteLater(Path dir) {
    try {
      new ProcessBuilder("rm", "-rf", dir.toString()).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
          .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    } catch (IOException ignored) {
      // a temporary directory left behind
    }
  }

  private static boolean dockerAvailable() {
    try {
      return DockerClientFactory.instance().isDockerAvailable();
    } catch (Throwable e) {
      return false;
    }
  }
}
