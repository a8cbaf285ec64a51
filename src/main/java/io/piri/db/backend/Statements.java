package io.piri.db.backend;

import io.piri.db.config.BackendType;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * The named SQL statements of one area in one dialect. Each statement follows a line
 * {@code -- name: <name>}. A statement that reads the same in both dialects apart from its
 * placeholders is written once, in {@code sql/<area>.sql} with {@code ?1..?N}, and rendered per
 * dialect ({@code $1..$N} for PostgreSQL); {@code sql/<dialect>/<area>.sql} holds only what
 * differs, in that dialect's own form. Loading fails when a name is in both the shared file and a
 * dialect file, or when one dialect lacks a statement the other has, unless the dialect file marks
 * it {@code -- name: <name> (<dialect> only)}.
 */
public final class Statements {
  private static final Map<String, Statements> CACHE = new ConcurrentHashMap<>();
  private static final String NAME = "-- name:";
  private static final Pattern IDS = Pattern.compile("ids\\(\\?(\\d+)\\)");

  private final String area;
  private final Map<String, String> byName;

  private Statements(String area, Map<String, String> byName) {
    this.area = area;
    this.byName = byName;
  }

  public static Statements load(String dialect, String area) {
    return CACHE.computeIfAbsent(dialect + "/" + area, key -> assemble(BackendType.parse(dialect), area));
  }

  public String get(String name) {
    String sql = byName.get(name);
    if (sql == null) throw new IllegalArgumentException("no statement '" + name + "' in " + area);
    return sql;
  }

  /** Every name, the shared file's first, each file in its own order. */
  public List<String> names() {
    return List.copyOf(byName.keySet());
  }

  private record Named(String sql, String onlyFor) {}

  private static Statements assemble(BackendType dialect, String area) {
    String where = "sql/" + area + ".sql and sql/" + dialect.id() + "/" + area + ".sql";
    Map<String, Named> shared = parse("sql/" + area + ".sql", null);
    Map<String, Named> own = parse("sql/" + dialect.id() + "/" + area + ".sql", dialect);
    if (shared == null && own == null) throw new IllegalArgumentException("missing SQL resource for area " + area);
    Map<String, String> out = new LinkedHashMap<>();
    if (shared != null) shared.forEach((name, s) -> out.put(name, render(s.sql(), dialect)));
    if (own != null) {
      for (var e : own.entrySet()) {
        if (out.containsKey(e.getKey())) {
          throw new IllegalStateException("statement '" + e.getKey() + "' is defined in both " + where);
        }
        out.put(e.getKey(), e.getValue().sql());
      }
    }
    for (BackendType other : BackendType.values()) {
      if (other == dialect) continue;
      Map<String, Named> theirs = parse("sql/" + other.id() + "/" + area + ".sql", other);
      requireBoth(area, dialect, own, other, theirs);
      requireBoth(area, other, theirs, dialect, own);
    }
    return new Statements(dialect.id() + "/" + area, out);
  }

  /** Each statement of {@code a}'s file that is not marked as {@code a}'s alone is in {@code b}'s too. */
  private static void requireBoth(String area, BackendType a, Map<String, Named> inA, BackendType b, Map<String, Named> inB) {
    if (inA == null) return;
    Set<String> have = inB == null ? Set.of() : inB.keySet();
    for (var e : inA.entrySet()) {
      if (e.getValue().onlyFor() == null && !have.contains(e.getKey())) {
        throw new IllegalStateException("statement '" + e.getKey() + "' of sql/" + a.id() + "/" + area
            + ".sql is missing from sql/" + b.id() + "/" + area + ".sql (or mark it '(" + a.id() + " only)')");
      }
    }
  }

  /** The statements of {@code resource} by name, in file order; null when there is no such file. */
  private static Map<String, Named> parse(String resource, BackendType dialect) {
    String text;
    try (InputStream in = Statements.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) return null;
      text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Map<String, Named> out = new LinkedHashMap<>();
    String name = null;
    String only = null;
    StringBuilder sql = new StringBuilder();
    for (String line : text.split("\n")) {
      if (line.startsWith(NAME)) {
        put(out, resource, name, only, sql);
        String[] parts = line.substring(NAME.length()).trim().split("\\s+", 2);
        name = parts[0];
        only = parts.length > 1 ? parts[1] : null;
        if (only != null && (dialect == null || !only.equals("(" + dialect.id() + " only)"))) {
          throw new IllegalStateException(resource + ": unexpected '" + only + "' after statement name '" + name + "'");
        }
        sql.setLength(0);
      } else if (name != null && !line.startsWith("--")) {
        sql.append(line).append('\n');
      }
    }
    put(out, resource, name, only, sql);
    return out;
  }

  private static void put(Map<String, Named> out, String resource, String name, String only, StringBuilder sql) {
    if (name == null) return;
    String s = sql.toString().strip();
    if (s.endsWith(";")) s = s.substring(0, s.length() - 1);
    if (out.put(name, new Named(s, only)) != null) throw new IllegalStateException(resource + ": statement '" + name + "' twice");
  }

  /**
   * A shared statement in {@code dialect}'s form: PostgreSQL numbers its parameters {@code $N}
   * where the shared text has {@code ?N}; quoted text is left as it is. A bare {@code ?} (plain
   * JDBC, which both drivers take) stays. {@code ids(?N)} stands for the rows of a parameter that
   * holds a JSON array of integers, the one form in which both dialects take a list.
   */
  static String render(String sql, BackendType dialect) {
    sql = IDS.matcher(sql).replaceAll(dialect == BackendType.POSTGRES
        ? "SELECT jsonb_array_elements_text(?$1::text::jsonb)::bigint" : "SELECT value FROM json_each(?$1)");
    if (dialect != BackendType.POSTGRES) return sql;
    StringBuilder out = new StringBuilder(sql.length());
    char quote = 0;
    for (int i = 0; i < sql.length(); i++) {
      char c = sql.charAt(i);
      if (quote != 0) {
        if (c == quote) quote = 0;
      } else if (c == '\'' || c == '"') {
        quote = c;
      } else if (c == '?' && i + 1 < sql.length() && Character.isDigit(sql.charAt(i + 1))) {
        c = '$';
      }
      out.append(c);
    }
    return out.toString();
  }
}
