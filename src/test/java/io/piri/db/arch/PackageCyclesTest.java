package io.piri.db.arch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The packages of the main code form no cycle, as jdeps sees them in the compiled classes
 * (docs/architecture.md draws the graph).
 */
class PackageCyclesTest {
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
    Map<String, Set<String>> graph = new HashMap<>();
    Jdeps.packages().forEach((from, to) -> graph.put(from,
        to.stream().filter(p -> p.startsWith(Jdeps.ROOT)).collect(java.util.stream.Collectors.toSet())));
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
