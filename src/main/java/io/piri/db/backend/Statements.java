package io.piri.db.backend;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Named SQL statements read from {@code sql/<dialect>/<area>.sql}. Each statement follows a line
 * {@code -- name: <name>}; SQL stays in those files so each dialect can be read on its own.
 */
public final class Statements {
  private static final Map<String, Statements> CACHE = new ConcurrentHashMap<>();

  private final String source;
  private final Map<String, String> byName;

  private Statements(String source, Map<String, String> byName) {
    this.source = source;
    this.byName = byName;
  }

  public static Statements load(String dialect, String area) {
    return CACHE.computeIfAbsent(dialect + "/" + area, key -> parse("sql/" + key + ".sql"));
  }

  public String get(String name) {
    String sql = byName.get(name);
    if (sql == null) throw new IllegalArgumentException("no statement '" + name + "' in " + source);
    return sql;
  }

  private static Statements parse(String resource) {
    String text;
    try (InputStream in = Statements.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) throw new IllegalArgumentException("missing SQL resource " + resource);
      text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Map<String, String> out = new HashMap<>();
    String name = null;
    StringBuilder sql = new StringBuilder();
    for (String line : text.split("\n")) {
      if (line.startsWith("-- name:")) {
        put(out, name, sql);
        name = line.substring("-- name:".length()).trim();
        sql.setLength(0);
      } else if (name != null && !line.startsWith("--")) {
        sql.append(line).append('\n');
      }
    }
    put(out, name, sql);
    return new Statements(resource, Map.copyOf(out));
  }

  private static void put(Map<String, String> out, String name, StringBuilder sql) {
    if (name == null) return;
    String s = sql.toString().strip();
    if (s.endsWith(";")) s = s.substring(0, s.length() - 1);
    out.put(name, s);
  }
}
