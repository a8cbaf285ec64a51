package io.piri.db.adopt;

import io.piri.db.core.StoreId;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.ZoneOffset;
import java.util.UUID;

/**
 * The rows of a Piri node that had been running for a while, written at {@code t0}: jobs in
 * every state of both queue implementations, dead letters, done keys of both statuses, held and
 * free tasks with history, and a proof set in each state of the proving state machine
 * (piri-scheduler.md 3.6), with the messages, pieces and roots around them. The expected
 * outcome of adopting it is spelled out next to each row.
 */
final class PiriScenario {
  static final ZoneOffset CEST = ZoneOffset.ofHours(2);

  // Replicator, classic queue "replication" (max 10 deliveries).
  static final byte[] R_READY = json("{\"blob\":\"b1\"}");      // visible, never delivered: ready
  static final byte[] R_RETRY = json("{\"blob\":\"b2\"}");      // visible after 3 deliveries: ready, claimed first (older)
  static final byte[] R_DELAYED = json("{\"blob\":\"b3\"}");    // sent with a delay: scheduled
  static final byte[] R_RUNNING = json("{\"blob\":\"b4\"}");    // in flight for an hour more
  static final byte[] R_SOON = json("{\"blob\":\"b5\"}");       // in flight, its timeout 4 s after t0
  static final byte[] R_STUCK = json("{\"blob\":\"b6\"}");      // delivered 10 times: dead, max_attempts
  static final byte[] R_GARBAGE = json("not an envelope");     // a body Piri's worker can never decode
  static final byte[] RD_RETRIES = json("{\"blob\":\"d1\"}");   // Piri dead letter, max_retries
  static final byte[] RD_PERMANENT = json("{\"blob\":\"d2\"}"); // Piri dead letter, permanent_error
  static final long RUNNING_FOR_MS = 3_600_000;
  static final long SOON_MS = 4_000;

  static final byte[] E_READY = json("{\"/\":\"bafkreigh2akiscaildc\"}");
  static final byte[] E_DEAD = json("{\"/\":\"bafkreigh2akiscaildd\"}");

  // Aggregator: classic compute_commp and manager, dedup aggregator (and the configured "blocking").
  static final byte[] C_READY = bytes(0x12, 0x20, 0xff, 0x00, 0x3c, 0x26, 0x3e, 0x0a);
  static final byte[] M_RUNNING = bytes(0x81, 0xd8, 0x2a, 0x58, 0x27, 0x00);
  static final byte[] A_READY = bytes(0xd8, 0x2a, 0x01);
  static final byte[] A_RUNNING = bytes(0xd8, 0x2a, 0x02);
  static final byte[] A_DONE = bytes(0xd8, 0x2a, 0x03);       // status 1: a repeat is a duplicate
  static final byte[] A_DEAD_KEY = bytes(0xd8, 0x2a, 0x04);   // status 2 on a queue that takes repeats: skipped
  static final byte[] A_DEAD = bytes(0xd8, 0x2a, 0x05);       // job_dead id 7
  static final byte[] B_DEAD_KEY = bytes(0xd8, 0x2a, 0x06);   // status 2 on "blocking": a repeat is a duplicate
  static final long A_DEAD_ID = 7;

  // Scheduler.
  static final long T_INIT = 11;      // PDPInitPP, held by Piri's session; proof set 2's task
  static final long T_NEXT = 12;      // PDPProvingPeriod, free; proof set 5's task
  static final long T_PROVE = 13;     // PDPProve, held, retried once; proof set 4 proves with it
  static final long T_SEND = 14;      // SendTransaction, 2 retries, retry wait long over
  static final long T_SEND_WAIT = 15; // SendTransaction, 1 retry a minute ago: waits for its 5 min
  static final long PIRI_TASK_SEQ = 100;
  static final long CHALLENGE_WINDOW = 20;

  /** Proof set id, its state before (and after) adoption, and its prove_at_epoch. */
  record ProofSet(long id, String state, Long proveAt) {}

  static final ProofSet[] PROOF_SETS = {
      new ProofSet(1, "new", null),
      new ProofSet(2, "init_scheduled", null),
      new ProofSet(3, "challenge_requested", 1000L),
      new ProofSet(4, "proving", 2000L),
      new ProofSet(5, "next_scheduled", 3000L),
      new ProofSet(6, "idle", 4000L),
      new ProofSet(7, "init_ready", null),
  };

  static final String PIECE = "baga6ea4seaqpiece1";
  static final String OTHER_PIECE = "baga6ea4seaqpiece3";

  final long t0;

  PiriScenario(long t0) {
    this.t0 = t0;
  }

  static String hash(String tag) {
    return "0x" + java.util.HexFormat.of().formatHex(PiriNode.sha256(tag.getBytes(StandardCharsets.UTF_8)));
  }

  void build(PiriNode node) throws SQLException {
    queues(node);
    scheduler(node);
  }

  private void queues(PiriNode n) throws SQLException {
    StoreId r = StoreId.REPLICATOR;
    n.classicJob(r, "replication", "transfer-task", R_READY, 0, t0 - 60_000, t0 - 60_000, ZoneOffset.UTC);
    n.classicJob(r, "replication", "transfer-task", R_RETRY, 3, t0 - 120_000, t0 - 10_000, CEST);
    n.classicJob(r, "replication", "transfer-task", R_DELAYED, 0, t0 - 1_000, t0 + RUNNING_FOR_MS, ZoneOffset.UTC);
    n.classicJob(r, "replication", "transfer-task", R_RUNNING, 2, t0 - 30_000, t0 + RUNNING_FOR_MS, CEST);
    n.classicJob(r, "replication", "transfer-task", R_SOON, 1, t0 - 20_000, t0 + SOON_MS, ZoneOffset.UTC);
    n.classicJob(r, "replication", "transfer-task", R_STUCK, 10, t0 - 500_000, t0 - 400_000, ZoneOffset.UTC);
    n.classicBody(r, "replication", R_GARBAGE, 0, t0 - 5_000, t0 - 5_000, ZoneOffset.UTC);
    n.classicDead(r, "replication", "transfer-task", RD_RETRIES, 10, t0 - 900_000, "max_retries", "upload failed: 503", t0 - 800_000);
    n.classicDead(r, "replication", "transfer-task", RD_PERMANENT, 1, t0 - 700_000, "permanent_error", "bad request", t0 - 600_000);

    StoreId e = StoreId.EGRESS_TRACKER;
    n.classicJob(e, "egress-tracker", "egress-track-task", E_READY, 0, t0 - 60_000, t0 - 60_000, ZoneOffset.UTC);
    n.classicDead(e, "egress-tracker", "egress-track-task", E_DEAD, 10, t0 - 90_000, "max_retries", "no route", t0 - 80_000);

    StoreId a = StoreId.AGGREGATOR;
    n.classicJob(a, "compute_commp", "compute_commp", C_READY, 0, t0 - 10_000, t0 - 10_000, ZoneOffset.UTC);
    n.classicJob(a, "manager", "add_roots", M_RUNNING, 1, t0 - 10_000, t0 + RUNNING_FOR_MS, ZoneOffset.UTC);
    long s0 = t0 / 1000;
    n.dedupJob("aggregator", "aggregate_piece", A_READY, 0, s0 - 100, s0 - 100);
    n.dedupJob("aggregator", "aggregate_piece", A_RUNNING, 1, s0 - 50, s0 + RUNNING_FOR_MS / 1000);
    n.dedupDone("aggregator", "aggregate_piece", A_DONE, 1, s0 - 3000);
    n.dedupDone("aggregator", "aggregate_piece", A_DEAD_KEY, 2, s0 - 2000);
    n.dedupDead(A_DEAD_ID, "aggregator", "aggregate_piece", A_DEAD, 50, "max_retries", "aggregation failed", s0 - 1000);
    n.dedupDone("blocking", "job-x", B_DEAD_KEY, 2, s0 - 1000);
  }

  private void scheduler(PiriNode n) throws SQLException {
    StoreId s = StoreId.SCHEDULER;
    task(n, T_INIT, "PDPInitPP", "piri-session-1", 0, t0 - 5_000);
    task(n, T_NEXT, "PDPProvingPeriod", null, 0, t0 - 5_000);
    task(n, T_PROVE, "PDPProve", "piri-session-1", 1, t0 - 4_000);
    task(n, T_SEND, "SendTransaction", null, 2, t0 - 600_000);
    task(n, T_SEND_WAIT, "SendTransaction", null, 1, t0 - 60_000);
    // Tasks up to 100 existed and were deleted: their ids are in history and must not come back.
    if (n.sqlite()) n.exec(s, "UPDATE sqlite_sequence SET seq = ? WHERE name = 'task'", PIRI_TASK_SEQ);
    else n.queryLong(s, "SELECT setval(pg_get_serial_sequence('task', 'id'), ?)", PIRI_TASK_SEQ);

    history(n, 90, "PDPProve", true, "");
    history(n, T_SEND, "SendTransaction", false, "error: rpc down");
    history(n, 91, "PDPProve", false, "error: no leaves");
    history(n, T_SEND, "SendTransaction", false, "deferred: gas fee exceeds configured maximum");

    for (ProofSet ps : PROOF_SETS) {
      wait(n, hash("create-" + ps.id()), "confirmed", true);
      n.exec(s, "INSERT INTO pdp_proofset_creates (create_message_hash, ok, proofset_created, service, created_at)"
          + " VALUES (?, ?, ?, 'storacha', ?)", hash("create-" + ps.id()), n.bool(true), n.bool(true), n.gormTime(t0 - 86_400_000, CEST));
    }
    wait(n, hash("challenge-3"), "confirmed", true);
    wait(n, hash("add-4"), "confirmed", true);
    wait(n, hash("pending"), "pending", null);
    wait(n, hash("register"), "pending", null);
    proofSet(n, 1, false, null, null, null, null);
    proofSet(n, 2, true, T_INIT, null, null, null);
    proofSet(n, 3, true, null, hash("challenge-3"), 1000L, 900L);
    proofSet(n, 4, true, null, null, 2000L, 1900L);
    proofSet(n, 5, true, T_NEXT, null, 3000L, 2900L);
    proofSet(n, 6, true, null, null, 4000L, 3900L);
    proofSet(n, 7, true, null, null, null, null);
    n.exec(s, "INSERT INTO pdp_prove_tasks (proofset_id, task_id) VALUES (4, ?)", T_PROVE);

    // The same piece parked twice (a retried commp job), and another piece.
    for (long id = 1; id <= 3; id++) {
      String cid = id == 3 ? OTHER_PIECE : PIECE;
      n.exec(s, "INSERT INTO parked_pieces (id, created_at, piece_cid, piece_padded_size, piece_raw_size, complete, long_term)"
          + " VALUES (?, ?, ?, 2048, 2000, ?, ?)", id, n.gormTime(t0 - 100_000 + id, ZoneOffset.UTC), cid, n.bool(true), n.bool(true));
      n.exec(s, "INSERT INTO parked_piece_refs (ref_id, piece_id, data_url, data_headers, long_term) VALUES (?, ?, ?, '{}', ?)",
          id, id, "pdpstore://blob" + id, n.bool(true));
      n.exec(s, "INSERT INTO pdp_piecerefs (id, service, piece_cid, piece_ref, created_at) VALUES (?, 'storacha', ?, ?, ?)",
          id, cid, id, n.gormTime(t0 - 100_000 + id, ZoneOffset.UTC));
    }
    root(n, 0, 1);
    root(n, 1, 2);
    n.exec(s, "INSERT INTO pdp_proofset_root_adds (proofset_id, add_message_hash, subroot_offset, root, add_message_index,"
        + " subroot, subroot_size, pdp_piece_ref_id) VALUES (4, ?, 0, ?, 0, ?, 2048, 3)", hash("pending"), OTHER_PIECE, OTHER_PIECE);
    n.exec(s, "INSERT INTO pdp_piece_uploads (id, service, check_hash_codec, check_hash, check_size, notify_url, created_at)"
            + " VALUES (?, 'storacha', 'sha2-256', ?, 2000, '', ?)",
        n.sqlite() ? (Object) "0b6f3c1e-8f5e-4c1a-9a55-2d0f0c9e4a11" : UUID.fromString("0b6f3c1e-8f5e-4c1a-9a55-2d0f0c9e4a11"),
        bytes(0x12, 0x20, 0x01), n.gormTime(t0 - 1000, CEST));
    n.exec(s, "INSERT INTO pdp_piece_mh_to_commp (mhash, size, commp) VALUES (?, 2000, ?)", bytes(0x12, 0x20, 0x09), PIECE);
    n.exec(s, "INSERT INTO message_sends_eth (from_address, to_address, send_reason, send_task_id, unsigned_tx, unsigned_hash)"
        + " VALUES (?, ?, 'pdp-addroots', ?, ?, ?)", "0x" + "Ab".repeat(20), "0x" + "cD".repeat(20), T_SEND, bytes(1, 2, 3), hash("unsigned"));
    n.exec(s, "INSERT INTO message_send_eth_locks (from_address, task_id, claimed_at) VALUES (?, ?, ?)",
        "0x" + "Ab".repeat(20), T_SEND, n.gormTime(t0 - 1000, CEST));
    n.exec(s, "INSERT INTO pdp_provider_registrations (register_message_hash, provider_registered, service, created_at)"
        + " VALUES (?, ?, 'storacha', ?)", hash("register"), n.bool(false), n.gormTime(t0 - 1000, CEST));
    n.exec(s, "INSERT INTO rail_settlement_waits (rail_id, signed_tx_hash, created_at) VALUES ('7', ?, ?)", hash("rail"),
        n.gormTime(t0 - 1000, CEST));
    n.exec(s, "INSERT INTO withdrawal_waits (id, signed_tx_hash, created_at) VALUES (5, ?, ?)", hash("withdraw"),
        n.gormTime(t0 - 1000, CEST));
  }

  private void task(PiriNode n, long id, String name, String session, long retries, long updated) throws SQLException {
    n.exec(StoreId.SCHEDULER, "INSERT INTO task (id, update_time, posted_time, session_id, added_by, name, retries)"
        + " VALUES (?, ?, ?, ?, 'piri-session-0', ?, ?)", id, n.gormTime(updated, CEST), n.gormTime(updated - 1000, CEST),
        session, name, retries);
  }

  private void history(PiriNode n, long task, String name, boolean result, String err) throws SQLException {
    n.exec(StoreId.SCHEDULER, "INSERT INTO task_history (task_id, name, posted, work_start, work_end, result, err,"
        + " completed_by_session_id) VALUES (?, ?, ?, ?, ?, ?, ?, 'piri-session-0')", task, name,
        n.gormTime(t0 - 9_000, CEST), n.gormTime(t0 - 8_000, CEST), n.gormTime(t0 - 7_000, CEST), n.bool(result), err);
  }

  private void wait(PiriNode n, String hash, String status, Boolean success) throws SQLException {
    n.exec(StoreId.SCHEDULER, "INSERT INTO message_waits_eth (waiter_machine_id, signed_tx_hash, confirmed_block_number,"
            + " confirmed_tx_hash, tx_status, tx_receipt, tx_success) VALUES (1, ?, ?, ?, ?, " + (n.sqlite() ? "?" : "?::jsonb") + ", ?)",
        hash, success == null ? null : 500L, success == null ? "" : hash, status,
        success == null ? null : "{\"status\":1}", n.bool(success));
  }

  private void proofSet(PiriNode n, long id, boolean initReady, Long task, String challenge, Long proveAt, Long prev)
      throws SQLException {
    n.exec(StoreId.SCHEDULER, "INSERT INTO pdp_proof_sets (id, prev_challenge_request_epoch, challenge_request_task_id,"
            + " challenge_request_msg_hash, proving_period, challenge_window, prove_at_epoch, init_ready, create_message_hash,"
            + " service) VALUES (?, ?, ?, ?, 2880, ?, ?, ?, ?, 'storacha')",
        id, prev, task, challenge, CHALLENGE_WINDOW, proveAt, n.bool(initReady), hash("create-" + id));
  }

  private void root(PiriNode n, long rootId, long pieceRef) throws SQLException {
    n.exec(StoreId.SCHEDULER, "INSERT INTO pdp_proofset_roots (proofset_id, root_id, subroot_offset, root, add_message_hash,"
        + " add_message_index, subroot, subroot_offset_val, subroot_size, pdp_piece_ref_id) VALUES (4, ?, 0, ?, ?, ?, ?, 0, 2048, ?)",
        rootId, PIECE, hash("add-4"), rootId, PIECE, pieceRef);
  }

  static byte[] json(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  static byte[] bytes(int... b) {
    byte[] out = new byte[b.length];
    for (int i = 0; i < b.length; i++) out[i] = (byte) b[i];
    return out;
  }
}
