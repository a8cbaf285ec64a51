package io.piri.db.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.piri.db.support.ChildJvm;
import io.piri.db.support.TestBackend;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The process contract of {@code piri-db serve} and {@code call}, checked on real JVMs: the ready
 * line, the store files, exit codes 0/1/2/4, the data_dir lock, SIGTERM, and env overrides.
 * One SQLite server (started in {@link #startSharedServer}) serves the checks that need a running
 * node; the SIGTERM check stops it last.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ServeProcessTest {
  private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);
  private static final Duration EXIT_TIMEOUT = Duration.ofSeconds(30);
  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(10);

  @TempDir static Path tmp; // shared by all tests (each uses its own subdirectory)

  private final List<ChildJvm> perTest = new ArrayList<>();
  private ChildJvm shared;
  private Path sharedDataDir;
  private int sharedPort;

  // ---------------------------------------------------------------- process helpers

  private ChildJvm spawnPerTest(Path workDir, Map<String, String> env, String... args) throws IOException {
    ChildJvm p = ChildJvm.start(workDir, env, "io.piri.db.cli.Main", args);
    perTest.add(p);
    return p;
  }

  /** Runs a command to its end (bounded) and returns the finished process. */
  private ChildJvm run(Path workDir, String... args) throws Exception {
    ChildJvm p = spawnPerTest(workDir, Map.of(), args);
    p.awaitExit(EXIT_TIMEOUT);
    return p;
  }

  private static Path writeConfig(Path dir, String name, String json) throws IOException {
    Files.createDirectories(dir);
    Path f = dir.resolve(name);
    Files.writeString(f, json, StandardCharsets.UTF_8);
    return f;
  }

  private static String sqliteConfig(Path dataDir, int port) {
    return new JsonObject()
        .put("repo", new JsonObject().put("data_dir", dataDir.toString())
            .put("database", new JsonObject().put("type", "sqlite")))
        .put("bridge", new JsonObject().put("host", "127.0.0.1").put("port", port))
        .encodePrettily();
  }

  @AfterEach
  void killPerTestProcesses() throws InterruptedException {
    for (ChildJvm p : perTest) p.close();
    perTest.clear();
  }

  @AfterAll
  void killSharedServer() throws InterruptedException {
    if (shared != null) shared.close();
  }

  // ---------------------------------------------------------------- one running SQLite server

  @BeforeAll
  void startSharedServer() throws Exception {
    Path work = tmp.resolve("shared");
    sharedDataDir = work.resolve("data");
    sharedPort = TestBackend.freePort();
    Path config = writeConfig(work, "piri-db.json", sqliteConfig(sharedDataDir, sharedPort));
    shared = ChildJvm.serve(work, Map.of(), config);
  }

  @Test
  @Order(1)
  void sqliteServerPrintsReadyLineAndCreatesTheFourStoreFiles() {
    assertEquals("piri-db ready backend=sqlite data_dir=" + sharedDataDir + " bridge=127.0.0.1:" + sharedPort,
        shared.readyLine());
    assertEquals(1, shared.stdout().lines().filter(ChildJvm::isReadyLine).count(), "one ready line");
    for (String rel : List.of("pdp/state/state.db", "replicator/replicator.db",
        "aggregator/jobqueue/jobqueue.db", "egress_tracker/jobqueue/jobqueue.db")) {
      Path f = sharedDataDir.resolve(rel);
      assertTrue(Files.isRegularFile(f), "missing store file " + f);
    }
    assertTrue(Files.isRegularFile(sharedDataDir.resolve("piri-db.lock")), "lock file");
  }

  @Test
  @Order(2)
  void secondServeOnTheSameDataDirExits2AndNamesTheHolder() throws Exception {
    Path work = tmp.resolve("second");
    Path config = writeConfig(work, "piri-db.json", sqliteConfig(sharedDataDir, TestBackend.freePort()));
    ChildJvm second = spawnPerTest(work, Map.of(), "serve", "--config", config.toString());
    int code = second.awaitExit(EXIT_TIMEOUT);
    assertEquals(2, code, second.describe());
    assertTrue(second.stderr().contains("pid " + shared.pid()), "stderr should name the holder: " + second.describe());
    assertTrue(second.stderr().contains("repo.data_dir"), second.describe());
    assertFalse(second.stdout().lines().anyMatch(ChildJvm::isReadyLine), second.describe());
    assertTrue(shared.isAlive(), "the first server keeps running");
  }

  /** Runs {@code call address action} against the shared server and checks its exit code. */
  private ChildJvm callShared(String address, String action, int exitCode) throws Exception {
    ChildJvm call = run(tmp, "call", address, action, "--bridge", "127.0.0.1:" + sharedPort);
    assertEquals(exitCode, call.exitValue(), call.describe());
    return call;
  }

  /** The first line of {@code output} (the stdout or stderr of {@code p}) that is a JSON object. */
  private static String jsonLine(ChildJvm p, String output) {
    return output.lines().filter(l -> l.startsWith("{")).findFirst()
        .orElseGet(() -> fail("no JSON line: " + p.describe()));
  }

  @Test
  @Order(3)
  void callPingAnswersFromTheSchedulerStore() throws Exception {
    ChildJvm call = callShared("piri.db.scheduler", "ping", 0);
    String line = jsonLine(call, call.stdout());
    assertTrue(line.contains("\"store\":\"scheduler\""), line);
    JsonObject reply = new JsonObject(line);
    assertEquals("scheduler", reply.getString("store"));
    assertEquals("sqlite", reply.getString("backend"));
    assertNotNull(reply.getValue("schema_version"), line);
  }

  @Test
  @Order(4)
  void callForAnUnknownActionExits4WithTheErrorJsonOnStderr() throws Exception {
    ChildJvm call = callShared("piri.db.replicator", "no_such_action", 4);
    String line = jsonLine(call, call.stderr());
    JsonObject error = new JsonObject(line);
    assertEquals(400, error.getInteger("code"), line);
    assertEquals("invalid_argument", error.getString("error"), line);
    assertTrue(error.getString("message", "").contains("no_such_action"), line);
    assertEquals("", call.stdout().strip(), "nothing on stdout for a failed request");
  }

  @Test
  @Order(5)
  void sigtermStopsTheServerWithExit0Within10Seconds() throws Exception {
    assertTrue(shared.isAlive(), "server still running before SIGTERM: " + shared.describe());
    shared.terminate();
    assertEquals(0, shared.awaitExit(STOP_TIMEOUT), shared.describe());
  }

  // ---------------------------------------------------------------- failures before ready

  @Test
  @Order(10)
  void callWithAGarbageBridgeAddressExits2() throws Exception {
    for (String bridge : List.of("garbage", "127.0.0.1", "127.0.0.1:port", ":7300")) {
      ChildJvm call = run(tmp, "call", "piri.db.scheduler", "ping", "--bridge", bridge);
      assertEquals(2, call.exitValue(), "--bridge " + bridge + ": " + call.describe());
      assertTrue(call.stderr().contains("--bridge"), "stderr should name the flag: " + call.describe());
    }
  }

  @Test
  @Order(11)
  void badConfigurationFilesExit2AndNameTheKey() throws Exception {
    Path work = tmp.resolve("badconf");
    int port = TestBackend.freePort();
    Path malformed = writeConfig(work, "malformed.json", "{ \"repo\": { \"data_dir\": \"x\" ");
    Path mysql = writeConfig(work, "mysql.json", new JsonObject()
        .put("repo", new JsonObject().put("data_dir", work.resolve("d1").toString())
            .put("database", new JsonObject().put("type", "mysql")))
        .put("bridge", new JsonObject().put("port", port)).encode());
    Path noUrl = writeConfig(work, "nourl.json", new JsonObject()
        .put("repo", new JsonObject().put("data_dir", work.resolve("d2").toString())
            .put("database", new JsonObject().put("type", "postgres")))
        .put("bridge", new JsonObject().put("port", port)).encode());
    Path missing = work.resolve("missing.json");
    // the four JVMs run side by side to keep the test short
    ChildJvm pMalformed = spawnPerTest(work, Map.of(), "serve", "--config", malformed.toString());
    ChildJvm pMysql = spawnPerTest(work, Map.of(), "serve", "--config", mysql.toString());
    ChildJvm pNoUrl = spawnPerTest(work, Map.of(), "serve", "--config", noUrl.toString());
    ChildJvm pMissing = spawnPerTest(work, Map.of(), "serve", "--config", missing.toString());

    assertEquals(2, pMalformed.awaitExit(EXIT_TIMEOUT), pMalformed.describe());
    assertTrue(pMalformed.stderr().contains("--config"), pMalformed.describe());
    assertTrue(pMalformed.stderr().contains("malformed.json"), pMalformed.describe());

    assertEquals(2, pMysql.awaitExit(EXIT_TIMEOUT), pMysql.describe());
    assertTrue(pMysql.stderr().contains("repo.database.type"), pMysql.describe());

    assertEquals(2, pNoUrl.awaitExit(EXIT_TIMEOUT), pNoUrl.describe());
    assertTrue(pNoUrl.stderr().contains("repo.database.postgres.url"), pNoUrl.describe());

    assertEquals(2, pMissing.awaitExit(EXIT_TIMEOUT), pMissing.describe());
    assertTrue(pMissing.stderr().contains("--config"), pMissing.describe());

    for (ChildJvm p : List.of(pMalformed, pMysql, pNoUrl, pMissing)) {
      assertFalse(p.stdout().lines().anyMatch(ChildJvm::isReadyLine), p.describe());
    }
    assertFalse(Files.exists(work.resolve("d1")), "a refused config creates no data_dir");
    assertFalse(Files.exists(work.resolve("d2")), "a refused config creates no data_dir");
  }

  @Test
  @Order(12)
  void dataDirThatCannotBeCreatedExits2NamingRepoDataDir() throws Exception {
    Path work = tmp.resolve("filedir");
    Files.createDirectories(work);
    Path aFile = Files.writeString(work.resolve("afile"), "not a directory");
    Path config = writeConfig(work, "piri-db.json", sqliteConfig(aFile.resolve("data"), TestBackend.freePort()));
    ChildJvm p = spawnPerTest(work, Map.of(), "serve", "--config", config.toString());
    assertEquals(2, p.awaitExit(EXIT_TIMEOUT), p.describe());
    assertTrue(p.stderr().contains("repo.data_dir"), p.describe());
    assertTrue(Files.isRegularFile(aFile), "the file is left alone");
  }

  @Test
  @Order(13)
  void unreachablePostgresExits1WithOneLineThatHidesThePassword() throws Exception {
    Path work = tmp.resolve("pg");
    Path config = writeConfig(work, "piri-db.json", new JsonObject()
        .put("repo", new JsonObject().put("data_dir", work.resolve("data").toString())
            .put("database", new JsonObject().put("type", "postgres")
                .put("postgres", new JsonObject().put("url", "postgres://piri:secret@127.0.0.1:1/piri"))))
        .put("bridge", new JsonObject().put("host", "127.0.0.1").put("port", TestBackend.freePort()))
        .encodePrettily());
    ChildJvm p = spawnPerTest(work, Map.of(), "serve", "--config", config.toString());
    assertEquals(1, p.awaitExit(EXIT_TIMEOUT), p.describe());
    List<String> lines = p.stderrLines().stream().filter(l -> !l.isBlank()).toList();
    assertEquals(1, lines.size(), "stderr must be one line: " + p.describe());
    assertTrue(lines.get(0).startsWith("piri-db: "), p.describe());
    assertFalse(p.stderr().contains("secret"), "password leaked: " + p.describe());
    assertFalse(p.stdout().contains("secret"), "password leaked: " + p.describe());
    assertFalse(p.stdout().lines().anyMatch(ChildJvm::isReadyLine), p.describe());
  }

  @Test
  @Order(14)
  void environmentOverridesMoveTheDataDirAndTheBridgePort() throws Exception {
    Path work = tmp.resolve("envoverride");
    int filePort = TestBackend.freePort();
    int envPort = TestBackend.freePort();
    Path config = writeConfig(work, "piri-db.json", sqliteConfig(work.resolve("filedata"), filePort));
    ChildJvm p = spawnPerTest(work, Map.of("PIRI_REPO_DATA_DIR", "envdata", "PIRI_BRIDGE_PORT", String.valueOf(envPort)),
        "serve", "--config", config.toString());
    String ready = p.awaitLine(ChildJvm::isReadyLine, READY_TIMEOUT);
    assertEquals("piri-db ready backend=sqlite data_dir=envdata bridge=127.0.0.1:" + envPort, ready);
    assertTrue(Files.isRegularFile(work.resolve("envdata/pdp/state/state.db")), "data_dir is relative to the working dir");
    assertFalse(Files.exists(work.resolve("filedata")), "the file's data_dir is not used");

    p.terminate();
    assertEquals(0, p.awaitExit(STOP_TIMEOUT), p.describe());
  }
}
