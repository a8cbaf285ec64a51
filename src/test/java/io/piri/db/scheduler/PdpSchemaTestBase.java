package io.piri.db.scheduler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.piri.db.config.BackendType;
import io.piri.db.core.StoreId;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.Test;

/**
 * The V3 schema itself, by plain SQL on the migrated database (the store's actions never delete a
 * task row directly or a parked piece): the foreign keys' delete rules (items 5, 6), the refcount
 * triggers (item 7) and the status triggers (items 8, 9), the same on both dialects.
 */
public abstract class PdpSchemaTestBase extends PdpTestBase {
  private Connection connect() throws SQLException {
    Connection c = backend().connect(config, StoreId.SCHEDULER);
    if (config.backend() == BackendType.SQLITE) {
      try (Statement s = c.createStatement()) {
        s.execute("PRAGMA foreign_keys = ON");
        s.execute("PRAGMA busy_timeout = 5000");
      }
    }
    return c;
  }

  private static long insertId(Statement s, String sql, String idColumn) throws SQLException {
    try (ResultSet rs = s.executeQuery(sql + " RETURNING " + idColumn)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private static Object value(Statement s, String sql) throws SQLException {
    try (ResultSet rs = s.executeQuery(sql)) {
      return rs.next() ? rs.getObject(1) : "no row";
    }
  }

  private static long count(Statement s, String sql) throws SQLException {
    return ((Number) value(s, sql)).longValue();
  }

  /** The boolean in the first row's first column; fails if there is no row or it is NULL. */
  private static boolean flag(Statement s, String sql) throws SQLException {
    try (ResultSet rs = s.executeQuery(sql)) {
      assertTrue(rs.next(), "no row: " + sql);
      boolean b = rs.getBoolean(1);
      assertFalse(rs.wasNull(), "NULL: " + sql);
      return b;
    }
  }

  @Test
  void deleteRulesAndTriggers() throws Exception {
    // the server migrates the schema; it is stopped because it owns the SQLite file exclusively
    stopServer(startEngine());
    try (Connection c = connect(); Statement s = c.createStatement()) {
      long t1 = insertId(s, "INSERT INTO task (update_time, posted_time, name, runnable_at) VALUES (0, 0, 'PDPInitPP', 0)", "id");
      long t2 = insertId(s, "INSERT INTO task (update_time, posted_time, name, runnable_at) VALUES (0, 0, 'PDPProve', 0)", "id");
      long piece = insertId(s, "INSERT INTO parked_pieces (created_at, piece_cid, piece_padded_size, piece_raw_size, task_id, cleanup_task_id)"
          + " VALUES (0, 'bx', 128, 100, " + t1 + ", " + t1 + ")", "id");
      s.execute("INSERT INTO pdp_proof_sets (id, challenge_request_task_id, create_message_hash, service) VALUES (1, " + t1 + ", 'h', 's')");
      s.execute("INSERT INTO pdp_prove_tasks (proofset_id, task_id) VALUES (1, " + t2 + ")");

      // item 5: deleting a task clears what points to it, and removes its prove-task rows
      s.execute("DELETE FROM task WHERE id = " + t1);
      assertNull(value(s, "SELECT challenge_request_task_id FROM pdp_proof_sets WHERE id = 1"));
      assertNull(value(s, "SELECT task_id FROM parked_pieces WHERE id = " + piece));
      assertNull(value(s, "SELECT cleanup_task_id FROM parked_pieces WHERE id = " + piece));
      s.execute("DELETE FROM task WHERE id = " + t2);
      assertEquals(0, count(s, "SELECT COUNT(*) FROM pdp_prove_tasks"));

      // item 7: roots count their piece refs; re-pointing moves the count
      long ref1 = insertId(s, "INSERT INTO parked_piece_refs (piece_id, data_url) VALUES (" + piece + ", 'u1')", "ref_id");
      long ref2 = insertId(s, "INSERT INTO parked_piece_refs (piece_id, data_url) VALUES (" + piece + ", 'u2')", "ref_id");
      long p1 = insertId(s, "INSERT INTO pdp_piecerefs (service, piece_cid, piece_ref, created_at) VALUES ('s', 'bx', " + ref1 + ", 0)", "id");
      long p2 = insertId(s, "INSERT INTO pdp_piecerefs (service, piece_cid, piece_ref, created_at) VALUES ('s', 'bx', " + ref2 + ", 0)", "id");
      s.execute("INSERT INTO message_waits_eth (signed_tx_hash, tx_status, created_at) VALUES ('m1', 'pending', 0)");
      s.execute("INSERT INTO pdp_proofset_roots (proofset_id, root_id, subroot_offset, root, add_message_hash, subroot, pdp_piece_ref_id)"
          + " VALUES (1, 1, 0, 'r', 'm1', 'r', " + p1 + ")");
      assertEquals(1, count(s, "SELECT proofset_refcount FROM pdp_piecerefs WHERE id = " + p1));
      s.execute("UPDATE pdp_proofset_roots SET pdp_piece_ref_id = " + p2 + " WHERE root_id = 1");
      assertEquals(0, count(s, "SELECT proofset_refcount FROM pdp_piecerefs WHERE id = " + p1));
      assertEquals(1, count(s, "SELECT proofset_refcount FROM pdp_piecerefs WHERE id = " + p2));
      s.execute("UPDATE pdp_proofset_roots SET subroot_size = 5 WHERE root_id = 1");
      assertEquals(1, count(s, "SELECT proofset_refcount FROM pdp_piecerefs WHERE id = " + p2), "other columns do not count");

      // item 6: deleting a parked piece removes its refs, their pdp refs, and unlinks roots
      s.execute("DELETE FROM parked_pieces WHERE id = " + piece);
      assertEquals(0, count(s, "SELECT COUNT(*) FROM parked_piece_refs"));
      assertEquals(0, count(s, "SELECT COUNT(*) FROM pdp_piecerefs"));
      assertNull(value(s, "SELECT pdp_piece_ref_id FROM pdp_proofset_roots WHERE root_id = 1"));
      s.execute("DELETE FROM pdp_proofset_roots WHERE root_id = 1");

      // items 8, 9: pending -> confirmed sets ok on creates (not yet created) and root adds
      s.execute("INSERT INTO message_waits_eth (signed_tx_hash, tx_status, created_at) VALUES ('m2', 'pending', 0)");
      s.execute("INSERT INTO pdp_proofset_creates (create_message_hash, service, created_at) VALUES ('m2', 's', 0)");
      s.execute("INSERT INTO pdp_proofset_root_adds (proofset_id, add_message_hash, subroot_offset, root, subroot) VALUES (1, 'm2', 0, 'r', 'r')");
      s.execute("UPDATE message_waits_eth SET tx_status = 'confirmed', tx_success = TRUE WHERE signed_tx_hash = 'm2'");
      assertTrue(flag(s, "SELECT ok FROM pdp_proofset_creates"));
      assertTrue(flag(s, "SELECT add_message_ok FROM pdp_proofset_root_adds"));
      s.execute("UPDATE message_waits_eth SET tx_status = 'failed', tx_success = FALSE WHERE signed_tx_hash = 'm2'");
      assertTrue(flag(s, "SELECT ok FROM pdp_proofset_creates"), "item 9: only a pending message's change counts");
      s.execute("INSERT INTO message_waits_eth (signed_tx_hash, tx_status, created_at) VALUES ('m3', 'pending', 0)");
      s.execute("INSERT INTO pdp_proofset_root_adds (proofset_id, add_message_hash, subroot_offset, root, subroot) VALUES (1, 'm3', 0, 'q', 'q')");
      s.execute("UPDATE message_waits_eth SET tx_status = 'confirmed', tx_success = FALSE WHERE signed_tx_hash = 'm3'");
      assertFalse(flag(s, "SELECT add_message_ok FROM pdp_proofset_root_adds WHERE root = 'q'"));
      // deleting a message wait cascades to what waits on it
      s.execute("DELETE FROM message_waits_eth WHERE signed_tx_hash = 'm2'");
      assertEquals(0, count(s, "SELECT COUNT(*) FROM pdp_proofset_creates"));
      assertEquals(1, count(s, "SELECT COUNT(*) FROM pdp_proofset_root_adds"));
    }
  }
}
