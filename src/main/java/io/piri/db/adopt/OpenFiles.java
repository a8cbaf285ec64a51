package io.piri.db.adopt;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Other processes that have a file open, read from Linux's /proc (what fuser does). An idle Piri
 * keeps its SQLite connection open without holding a lock, so a lock probe alone would miss it;
 * its open file does not. Processes of other users are not visible and are not reported; on a
 * system without /proc nothing is.
 */
final class OpenFiles {
  private static final Path PROC = Path.of("/proc");

  private OpenFiles() {}

  /** "pid 4242 (piri serve)" for each other process with one of {@code files} open. */
  static List<String> holders(List<Path> files) {
    Set<Path> wanted = new HashSet<>();
    for (Path f : files) {
      try {
        if (Files.exists(f)) wanted.add(f.toRealPath());
      } catch (IOException e) {
        // gone meanwhile: nobody holds it
      }
    }
    List<String> out = new ArrayList<>();
    if (wanted.isEmpty() || !Files.isDirectory(PROC.resolve("self/fd"))) return out;
    long self = ProcessHandle.current().pid();
    try (DirectoryStream<Path> procs = Files.newDirectoryStream(PROC, p -> p.getFileName().toString().matches("\\d+"))) {
      for (Path proc : procs) {
        if (Long.parseLong(proc.getFileName().toString()) == self) continue;
        if (holds(proc, wanted)) out.add("pid " + proc.getFileName() + " (" + command(proc) + ")");
      }
    } catch (IOException e) {
      return out;
    }
    return out;
  }

  private static boolean holds(Path proc, Set<Path> wanted) {
    try (DirectoryStream<Path> fds = Files.newDirectoryStream(proc.resolve("fd"))) {
      for (Path fd : fds) {
        try {
          if (wanted.contains(Files.readSymbolicLink(fd))) return true;
        } catch (IOException | UnsupportedOperationException e) {
          // closed meanwhile
        }
      }
    } catch (IOException | SecurityException e) {
      // another user's process, or it exited
    }
    return false;
  }

  private static String command(Path proc) {
    try {
      String cmd = new String(Files.readAllBytes(proc.resolve("cmdline")), StandardCharsets.UTF_8).replace('\0', ' ').trim();
      return cmd.length() > 80 ? cmd.substring(0, 80) + "..." : cmd;
    } catch (IOException e) {
      return "command unknown";
    }
  }
}
