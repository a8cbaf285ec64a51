package io.piri.db.arch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.spi.ToolProvider;
import org.junit.jupiter.api.Test;

/**
 * The packages of the main code form no cycle, as jdeps sees them in the compiled classes
 * (docs/architecture.md draws the graph).
 */
class PackageCyclesTest {
  private static final String ROOT = "io.piri.db";
  private static final Pattern EDGE = Pattern.compile("^\\s+(\\S+)\\s+->\\s+(\\S+)\\s");

  @Test
  void noPackageCycles() {
    Map<String, Set<String>> graph = graph();
    assertTrue(graph.size() > 5, "jdeps found the project's packages: " + graph.keySet());
    Set<String> cycles = new TreeSet<>();
    for (String a : graph.keySet()) {
      for (String b : graph.get(a)) {
        if (reachable(graph, b).contains(a)) cycles.add(a + " <-> " + b);
      }
    }
    assertEquals(Set.of(), cycles, "packages that depend on each other");
  }

  private static Map<String, Set<String>> graph() {
    Path classes = Path.of("target/classes");
    assertTrue(Files.isDirectory(classes), "compiled classes at " + classes.toAbsolutePath());
    ToolProvider jdeps = ToolProvider.findFirst("jdeps").orElseThrow(() -> new AssertionError("no jdeps in this JDK"));
    StringWriter out = new StringWriter();
    int rc = jdeps.run(new PrintWriter(out), new PrintWriter(new StringWriter()), "-verbose:package", classes.toString());
    assertEquals(0, rc, "jdeps exit code");
    Map<String, Set<String>> graph = new HashMap<>();
    for (String line : out.toString().split("\n")) {
      Matcher m = EDGE.matcher(line);
      if (m.find() && m.group(1).startsWith(ROOT) && m.group(2).startsWith(ROOT) && !m.group(1).equals(m.group(2))) {
        graph.computeIfAbsent(m.group(1), k -> new HashSet<>()).add(m.group(2));
      }
    }
    return graph;
  }

  private static Set<String> reachable(Map<String, Set<String>> graph, String from) {
    Set<String> seen = new HashSet<>();
    Deque<String> todo = new ArrayDeque<>(Set.of(from));
    while (!todo.isEmpty()) {
      for (String next : graph.getOrDefault(todo.pop(), Set.of())) {
        if (seen.add(next)) todo.push(next);
      }
    }
    return seen;
  }
}
