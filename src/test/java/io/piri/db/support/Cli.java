package io.piri.db.support;

import io.piri.db.cli.Main;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.function.LongSupplier;

/** Runs the piri-db command line in this JVM and captures its exit code, stdout and stderr. */
public final class Cli {
  public record Result(int code, String out, String err) {
    @Override
    public String toString() {
      return "exit " + code + "\nstdout:\n" + out + "\nstderr:\n" + err;
    }
  }

  private Cli() {}

  public static Result run(String... args) {
    return run(System::currentTimeMillis, args);
  }

  /** The same, with {@code clock} as the commands' time (see {@link Main#run(LongSupplier, String...)}). */
  public static synchronized Result run(LongSupplier clock, String... args) {
    PrintStream oldOut = System.out, oldErr = System.err;
    ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
    try {
      System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
      System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
      int code = Main.run(clock, args);
      return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(oldOut);
      System.setErr(oldErr);
    }
  }
}
