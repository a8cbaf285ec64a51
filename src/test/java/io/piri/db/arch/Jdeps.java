package io.piri.db.arch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.spi.ToolProvider;

/** The package dependencies of the compiled main classes, as jdeps reads them. */
final class Jdeps {
  static final String ROOT = "io.piri.db";
  private static final Pattern EDGE = Pattern.compile("^\\s+(\\S+)\\s+->\\s+(\\S+)\\s");

  private Jdeps() {}

  /** Each project package and every package it uses (the project's own and others). */
  static Map<String, Set<String>> packages() {
    Path classes = Path.of("target/classes");
    assertTrue(Files.isDirectory(classes), "compiled classes at " + classes.toAbsolutePath());
    ToolProvider jdeps = ToolProvider.findFirst("jdeps").orElseThrow(() -> new AssertionError("no jdeps in this JDK"));
    StringWriter out = new StringWriter();
    int rc = jdeps.run(new PrintWriter(out), new PrintWriter(new StringWriter()), "-verbose:package", classes.toString());
    assertEquals(0, rc, "jdeps exit code");
    Map<String, Set<String>> graph = new HashMap<>();
    for (String line : out.toString().split("\n")) {
      Matcher m = EDGE.matcher(line);
      if (m.find() && m.group(1).startsWith(ROOT) && !m.group(1).equals(m.group(2))) {
        graph.computeIfAbsent(m.group(1), k -> new HashSet<>()).add(m.group(2));
      }
    }
    return graph;
  }
}
