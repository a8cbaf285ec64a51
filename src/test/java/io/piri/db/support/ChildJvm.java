package io.piri.db.support;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A child JVM on the test class path (so that it can run the server or an example), its stdout
 * and stderr collected line by line; for tests that need a real process to signal.
 */
public final class ChildJvm implements AutoCloseable {
  private static final Duration READY = Duration.ofSeconds(90);
  private final Process process;
  private final List<String> out = new ArrayList<>();
  private final List<String> err = new ArrayList<>();
  private final Thread outReader;
  private final Thread errReader;
  private String readyLine;

  private ChildJvm(Process process) {
    this.process = process;
    outReader = pump(process.getInputStream(), out, "stdout-" + process.pid());
    errReader = pump(process.getErrorStream(), err, "stderr-" + process.pid());
  }

  /** Runs {@code piri-db serve --config config} and returns once it is ready (killed if it never is). */
  public static ChildJvm serve(Path workDir, Map<String, String> env, Path config) throws IOException, InterruptedException {
    ChildJvm node = start(workDir, env, "io.piri.db.cli.Main", "serve", "--config", config.toString());
    try {
      node.readyLine = node.awaitLine(ChildJvm::isReadyLine, READY);
    } catch (AssertionError | InterruptedException e) {
      node.kill();
      throw e;
    }
    return node;
  }

  public static boolean isReadyLine(String line) {
    return line.startsWith("piri-db ready ");
  }

  /** The ready line of a node started by {@link #serve}. */
  public String readyLine() {
    return readyLine;
  }

  /** Starts {@code mainClass} with {@code args}; the child sees only the PIRI_* variables in {@code env}. */
  public static ChildJvm start(Path workDir, Map<String, String> env, String mainClass, String... args) throws IOException {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-XX:TieredStopAtLevel=1"); // short-lived JVMs: start fast
    cmd.add("-cp");
    cmd.add(classPath());
    cmd.add(mainClass);
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(workDir.toFile());
    pb.environment().keySet().removeIf(k -> k.startsWith("PIRI_"));
    pb.environment().putAll(env);
    return new ChildJvm(pb.start());
  }

  /**
   * The test class path without slf4j-api: only test-scope dependencies bring it, and with no
   * provider it prints a warning on stderr that the packaged server never prints.
   */
  private static String classPath() {
    String sep = java.io.File.pathSeparator;
    return Arrays.stream(System.getProperty("java.class.path").split(Pattern.quote(sep)))
        .filter(e -> !Path.of(e).getFileName().toString().startsWith("slf4j-api"))
        .collect(Collectors.joining(sep));
  }

  private static Thread pump(InputStream in, List<String> sink, String name) {
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

  /**
   * Waits for a stdout line matching {@code p}; fails once the process has exited and its stdout
   * is read to the end without one, or when time is up.
   */
  public String awaitLine(Predicate<String> p, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (out) {
      while (true) {
        for (String l : out) if (p.test(l)) return l;
        if (!process.isAlive() && !outReader.isAlive()) {
          throw new AssertionError("process exited (" + process.exitValue() + ") without the expected line; " + describe());
        }
        long left = deadline - System.nanoTime();
        if (left <= 0) throw new AssertionError("no expected line within " + timeout + "; " + describe());
        out.wait(Math.max(1, Math.min(200, TimeUnit.NANOSECONDS.toMillis(left))));
      }
    }
  }

  public long count(Predicate<String> p) {
    synchronized (out) {
      return out.stream().filter(p).count();
    }
  }

  public String stdout() {
    synchronized (out) {
      return String.join("\n", out);
    }
  }

  public String stderr() {
    synchronized (err) {
      return String.join("\n", err);
    }
  }

  public List<String> stderrLines() {
    synchronized (err) {
      return List.copyOf(err);
    }
  }

  /** What the process printed (of stderr, the last 30 lines), for a failure message. */
  public String describe() {
    synchronized (err) {
      return "stdout=[" + stdout() + "] stderr=[" + String.join("\n", err.subList(Math.max(0, err.size() - 30), err.size())) + "]";
    }
  }

  public long pid() {
    return process.pid();
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  /** SIGTERM: the node stops gracefully. */
  public void terminate() {
    process.destroy();
  }

  /**
   * Waits for the process to end and its output to be read, and returns its exit code; fails after
   * {@code timeout}.
   */
  public int awaitExit(Duration timeout) throws InterruptedException {
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      throw new AssertionError("process " + pid() + " did not exit within " + timeout + "; " + describe());
    }
    outReader.join(5000);
    errReader.join(5000);
    return process.exitValue();
  }

  /** The exit code of a process that has ended. */
  public int exitValue() {
    return process.exitValue();
  }

  /** SIGKILL: no shutdown hook, no goodbye to the cluster. */
  public void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(10, TimeUnit.SECONDS);
  }

  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) kill();
  }

  /** What a client thread of a node under test runs. */
  public interface ClientBody {
    void run() throws Exception;
  }

  /**
   * A started thread calling a node this test will kill: the request in flight at the kill has no
   * reply, which is expected, so its failure is not one.
   */
  public static Thread clientThread(ClientBody body) {
    Thread t = new Thread(() -> {
      try {
        body.run();
      } catch (Exception e) {
        // the node was killed under this client
      }
    });
    t.start();
    return t;
  }
}
