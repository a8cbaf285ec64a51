package io.piri.db.backend;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/** What a statement gave back: its rows, and how many rows it changed. */
public final class Rows implements Iterable<Row> {
  private final List<Row> rows;
  private final int updated;

  private Rows(List<Row> rows, int updated) {
    this.rows = rows;
    this.updated = updated;
  }

  /**
   * Rows with the named {@code columns}, each value already one of the types {@link Row} reads
   * (numbers, String, Boolean, byte[], or null). {@code updated}: see {@link #updated()}.
   */
  public static Rows of(List<String> columns, List<Object[]> values, int updated) {
    Map<String, Integer> index = new HashMap<>();
    for (int i = 0; i < columns.size(); i++) index.putIfAbsent(columns.get(i), i);
    List<Row> rows = new ArrayList<>(values.size());
    for (Object[] v : values) rows.add(new Row(index, v));
    return new Rows(Collections.unmodifiableList(rows), updated);
  }

  public int size() {
    return rows.size();
  }

  /**
   * The rows the statement inserted, updated or deleted; for a statement that returns rows (a
   * SELECT, or a change with RETURNING), the rows it returned.
   */
  public int updated() {
    return updated;
  }

  /** The first row, or null when there is none. */
  public Row first() {
    return rows.isEmpty() ? null : rows.get(0);
  }

  @Override
  public Iterator<Row> iterator() {
    return rows.iterator();
  }
}
