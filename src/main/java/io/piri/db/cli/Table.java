package io.piri.db.cli;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/** A plain text table with left-aligned columns, as operators read in a terminal. */
final class Table {
  private final List<String[]> rows = new ArrayList<>();
  private final int columns;

  Table(String... header) {
    columns = header.length;
    rows.add(header);
  }

  Table row(Object... cells) {
    String[] r = new String[columns];
    for (int i = 0; i < columns; i++) r[i] = i < cells.length && cells[i] != null ? String.valueOf(cells[i]) : "-";
    rows.add(r);
    return this;
  }

  /** A row per object of {@code items}, with the cells that {@code cells} picks from it. */
  Table rows(JsonArray items, Function<JsonObject, Object[]> cells) {
    for (Object o : items) row(cells.apply((JsonObject) o));
    return this;
  }

  boolean isEmpty() {
    return rows.size() == 1;
  }

  String render() {
    int[] width = new int[columns];
    for (String[] r : rows) for (int i = 0; i < columns; i++) width[i] = Math.max(width[i], r[i].length());
    StringBuilder out = new StringBuilder();
    for (String[] r : rows) {
      StringBuilder line = new StringBuilder();
      for (int i = 0; i < columns; i++) {
        line.append(r[i]);
        if (i < columns - 1) line.append(" ".repeat(width[i] - r[i].length() + 2));
      }
      out.append(line.toString().stripTrailing()).append('\n');
    }
    return out.toString();
  }

  /** Epoch milliseconds as UTC time to the second; null stays "-". */
  static String time(Long epochMs) {
    return epochMs == null ? null : Instant.ofEpochMilli(epochMs).truncatedTo(ChronoUnit.SECONDS).toString();
  }

  /** Long texts (errors) cut to one short line so that the table stays readable. */
  static String clip(String s, int max) {
    if (s == null) return null;
    String line = s.lines().findFirst().orElse("");
    return line.length() > max ? line.substring(0, max - 3) + "..." : line;
  }
}
