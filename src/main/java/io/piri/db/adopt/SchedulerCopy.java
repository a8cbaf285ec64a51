package io.piri.db.adopt;

import io.piri.db.backend.Statements;
import io.piri.db.config.TaskTypeConfig;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Carries the Scheduler store: Piri's task engine tables and its 16 PDP tables (piri-scheduler.md
 * 1) into piri-db's tables of the same names, one INSERT ... SELECT per table in foreign-key order.
 * Every column keeps its value, so every proof set keeps its place in the proving state machine
 * (3.6) and its next challenge epoch; times become epoch milliseconds, held tasks are released
 * with their retries. Piri's duplicate parked pieces (one per retry of its commp job) become one,
 * their refs pointing to it, because piri-db keeps a parked piece unique.
 */
final class SchedulerCopy {
  /** Table and the statement that copies it, in the order foreign keys need. */
  private static final Map<String, String> STEPS = new LinkedHashMap<>();

  static {
    STEPS.put("task", "copy-task");
    STEPS.put("task_history", "copy-task-history");
    STEPS.put("message_waits_eth", "copy-message-waits");
    STEPS.put("message_sends_eth", "copy-message-sends");
    STEPS.put("message_send_eth_locks", "copy-send-locks");
    STEPS.put("parked_pieces", "copy-parked-pieces");
    STEPS.put("parked_piece_refs", "copy-parked-piece-refs");
    STEPS.put("pdp_piece_uploads", "copy-piece-uploads");
    STEPS.put("pdp_piecerefs", "copy-piecerefs");
    STEPS.put("pdp_proof_sets", "copy-proof-sets");
    STEPS.put("pdp_prove_tasks", "copy-prove-tasks");
    STEPS.put("pdp_proofset_creates", "copy-proofset-creates");
    STEPS.put("pdp_proofset_roots", "copy-proofset-roots");
    STEPS.put("pdp_proofset_root_adds", "copy-root-adds");
    STEPS.put("pdp_piece_mh_to_commp", "copy-mh-to-commp");
    STEPS.put("pdp_provider_registrations", "copy-provider-registrations");
    STEPS.put("rail_settlement_waits", "copy-rail-waits");
    STEPS.put("withdrawal_waits", "copy-withdrawal-waits");
  }

  static final String DUPLICATE_PIECE =
      "a duplicate of an older parked piece with the same CID and padded size; its refs point to that one";

  private final Statements sql;
  private final long now;
  final Map<String, Count> tables = new LinkedHashMap<>();

  SchedulerCopy(Statements sql, long now) {
    this.sql = sql;
    this.now = now;
  }

  /** What a copy would carry: each table's rows, less the duplicate parked pieces. */
  void plan(Connection c, boolean payments) throws SQLException {
    found(c, payments);
    for (Map.Entry<String, Count> e : tables.entrySet()) {
      Count t = e.getValue();
      long carried = e.getKey().equals("parked_pieces") ? single(c, "parked-pieces-kept") : t.found;
      carry(e.getKey(), t, carried);
    }
  }

  /** Copies every table; then the derived data step and the count check are the caller's. */
  void copy(Connection c, boolean payments, Map<String, TaskTypeConfig> types) throws SQLException {
    found(c, payments);
    for (Map.Entry<String, Count> e : tables.entrySet()) {
      long carried;
      try (PreparedStatement ps = c.prepareStatement(sql.get(STEPS.get(e.getKey())))) {
        if (e.getKey().equals("message_waits_eth")) {
          ps.setLong(1, now);
          ps.setLong(2, now);
        }
        carried = ps.executeUpdate();
      } catch (SQLException ex) {
        throw new SQLException("cannot carry table " + e.getKey() + ": " + ex.getMessage(), ex.getSQLState(), ex);
      }
      if (e.getKey().equals("task")) retryWaits(c, types);
      carry(e.getKey(), e.getValue(), carried);
    }
  }

  /** The rows each of piri-db's tables must hold after the copy. */
  Map<String, Long> expected() {
    Map<String, Long> out = new LinkedHashMap<>();
    STEPS.keySet().forEach(t -> out.put(t, tables.containsKey(t) ? tables.get(t).carried : 0L));
    return out;
  }

  /** The rows each of piri-db's tables holds. */
  Map<String, Long> carriedCounts(Connection c) throws SQLException {
    return counts(c, "carried-counts");
  }

  private void found(Connection c, boolean payments) throws SQLException {
    Map<String, Long> found = counts(c, "found-counts");
    if (payments) found.putAll(counts(c, "found-counts-payments"));
    long held = single(c, "tasks-held");
    for (String t : STEPS.keySet()) {
      if (!found.containsKey(t)) continue;
      Count count = new Count();
      count.found = found.get(t);
      tables.put(t, count);
    }
    if (held > 0) tables.get("task").as.put("held by a Piri session: released", held);
  }

  private void carry(String table, Count t, long carried) {
    t.carried = carried;
    if (carried < t.found) {
      t.skipped.put(table.equals("parked_pieces") ? DUPLICATE_PIECE : "not carried", t.found - carried);
    }
  }

  private void retryWaits(Connection c, Map<String, TaskTypeConfig> types) throws SQLException {
    for (TaskTypeConfig type : types.values()) {
      long wait = type.retryWait().toMillis();
      if (wait <= 0) continue;
      try (PreparedStatement ps = c.prepareStatement(sql.get("task-retry-wait"))) {
        ps.setLong(1, wait);
        ps.setString(2, type.name());
        ps.executeUpdate();
      }
    }
  }

  private Map<String, Long> counts(Connection c, String name) throws SQLException {
    Map<String, Long> out = new LinkedHashMap<>();
    try (PreparedStatement ps = c.prepareStatement(sql.get(name)); ResultSet rs = ps.executeQuery()) {
      while (rs.next()) out.put(rs.getString(1), rs.getLong(2));
    }
    return out;
  }

  private long single(Connection c, String name) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql.get(name)); ResultSet rs = ps.executeQuery()) {
      rs.next();
      return rs.getLong(1);
    }
  }
}
