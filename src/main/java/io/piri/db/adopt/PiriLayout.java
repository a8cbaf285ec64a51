package io.piri.db.adopt;

import io.piri.db.core.StoreId;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The tables Piri writes, as its releases from v0.1.0 to v0.2.4 create them: the job queues'
 * schema files (piri-jobqueue.md 2.1, 3.1) and the Scheduler store's GORM models
 * (piri-scheduler.md 1). A store's tables are compared with them by name and column names
 * before anything is read, so that adopt never guesses at a layout it does not know.
 */
final class PiriLayout {
  /** Tables that appear and disappear together. */
  enum Group {
    CLASSIC, DEDUP, SCHEDULER,
    /** Admin payments, added to the Scheduler store in v0.2.2. */
    PAYMENTS
  }

  enum State { ABSENT, PIRI, PIRI_DB, UNKNOWN }

  /** What a store holds: its state, the groups present, the release range, or the first difference. */
  record Inspection(State state, Set<Group> groups, String version, String difference) {}

  static final String FLYWAY_HISTORY = "flyway_schema_history";

  private static final Map<Group, Map<String, List<String>>> TABLES = new LinkedHashMap<>();

  static {
    Map<String, List<String>> classic = new LinkedHashMap<>();
    classic.put("jobqueue", List.of("id", "created", "updated", "queue", "body", "timeout", "received"));
    classic.put("jobqueue_dead", List.of("id", "created", "updated", "queue", "body", "timeout", "received",
        "job_name", "failure_reason", "error_message", "moved_at"));
    TABLES.put(Group.CLASSIC, classic);

    Map<String, List<String>> dedup = new LinkedHashMap<>();
    dedup.put("queues", List.of("queue", "dedupe_enabled"));
    dedup.put("job_ns", List.of("id", "queue", "name"));
    dedup.put("jobs", List.of("id", "ns_id", "key", "body", "created_s", "avail_s", "attempts"));
    dedup.put("job_done", List.of("ns_id", "key", "status", "done_s"));
    dedup.put("job_dead", List.of("id", "ns_id", "key", "body", "attempts", "reason", "error", "moved_s"));
    TABLES.put(Group.DEDUP, dedup);

    Map<String, List<String>> sched = new LinkedHashMap<>();
    sched.put("task", List.of("id", "initiated_by", "update_time", "posted_time", "session_id", "added_by",
        "previous_task", "name", "retries"));
    sched.put("task_history", List.of("id", "task_id", "name", "posted", "work_start", "work_end", "result", "err",
        "completed_by_session_id"));
    sched.put("parked_pieces", List.of("id", "created_at", "piece_cid", "piece_padded_size", "piece_raw_size",
        "complete", "task_id", "cleanup_task_id", "long_term"));
    sched.put("parked_piece_refs", List.of("ref_id", "piece_id", "data_url", "data_headers", "long_term"));
    sched.put("pdp_piece_uploads", List.of("id", "service", "check_hash_codec", "check_hash", "check_size",
        "piece_cid", "notify_url", "notify_task_id", "piece_ref", "created_at"));
    sched.put("pdp_piecerefs", List.of("id", "service", "piece_cid", "piece_ref", "created_at", "proofset_refcount"));
    sched.put("pdp_proof_sets", List.of("id", "prev_challenge_request_epoch", "challenge_request_task_id",
        "challenge_request_msg_hash", "proving_period", "challenge_window", "prove_at_epoch", "init_ready",
        "create_message_hash", "service"));
    sched.put("pdp_prove_tasks", List.of("proofset_id", "task_id"));
    sched.put("pdp_proofset_creates", List.of("create_message_hash", "ok", "proofset_created", "service", "created_at"));
    sched.put("pdp_proofset_roots", List.of("proofset_id", "root_id", "subroot_offset", "root", "add_message_hash",
        "add_message_index", "subroot", "subroot_offset_val", "subroot_size", "pdp_piece_ref_id"));
    sched.put("pdp_proofset_root_adds", List.of("proofset_id", "add_message_hash", "subroot_offset", "root",
        "add_message_ok", "add_message_index", "subroot", "subroot_size", "pdp_piece_ref_id"));
    sched.put("pdp_piece_mh_to_commp", List.of("mhash", "size", "commp"));
    sched.put("pdp_provider_registrations", List.of("register_message_hash", "ok", "provider_registered",
        "provider_id", "service", "created_at"));
    sched.put("message_sends_eth", List.of("from_address", "to_address", "send_reason", "send_task_id",
        "unsigned_tx", "unsigned_hash", "nonce", "signed_tx", "signed_hash", "send_time", "send_success", "send_error"));
    sched.put("message_send_eth_locks", List.of("from_address", "task_id", "claimed_at"));
    sched.put("message_waits_eth", List.of("waiter_machine_id", "signed_tx_hash", "confirmed_block_number",
        "confirmed_tx_hash", "confirmed_tx_data", "tx_status", "tx_receipt", "tx_success"));
    TABLES.put(Group.SCHEDULER, sched);

    Map<String, List<String>> payments = new LinkedHashMap<>();
    payments.put("rail_settlement_waits", List.of("rail_id", "signed_tx_hash", "created_at"));
    payments.put("withdrawal_waits", List.of("id", "signed_tx_hash", "created_at"));
    TABLES.put(Group.PAYMENTS, payments);
  }

  private PiriLayout() {}

  /** The groups a store of this kind may hold. */
  static Set<Group> allowed(StoreId store) {
    return store == StoreId.SCHEDULER ? EnumSet.of(Group.SCHEDULER, Group.PAYMENTS) : EnumSet.of(Group.CLASSIC, Group.DEDUP);
  }

  /** True when some table has a name only Piri gives it: enough for serve to point at adopt. */
  static boolean hasPiriTable(StoreId store, Map<String, List<String>> tables) {
    if (tables.containsKey(FLYWAY_HISTORY)) return false;
    for (Group g : allowed(store)) {
      for (String t : TABLES.get(g).keySet()) if (tables.containsKey(t)) return true;
    }
    return false;
  }

  /** @param tables the store's tables and their column names; empty when the store does not exist */
  static Inspection inspect(StoreId store, Map<String, List<String>> tables) {
    if (tables.isEmpty()) return new Inspection(State.ABSENT, Set.of(), null, null);
    if (tables.containsKey(FLYWAY_HISTORY)) return new Inspection(State.PIRI_DB, Set.of(), null, null);
    Set<Group> allowed = allowed(store);
    for (String t : tables.keySet()) {
      if (groupOf(t, allowed) == null) {
        return unknown("table '" + t + "' is not one that Piri creates in the " + store.id() + " store");
      }
    }
    Set<Group> present = EnumSet.noneOf(Group.class);
    for (Group g : allowed) {
      Map<String, List<String>> expected = TABLES.get(g);
      List<String> found = expected.keySet().stream().filter(tables::containsKey).toList();
      if (found.isEmpty()) continue;
      for (String t : expected.keySet()) {
        if (!tables.containsKey(t)) {
          return unknown("table '" + t + "' is missing (its companions " + String.join(", ", found) + " are there)");
        }
        String diff = columnDifference(t, expected.get(t), tables.get(t));
        if (diff != null) return unknown(diff);
      }
      present.add(g);
    }
    if (store == StoreId.SCHEDULER && !present.contains(Group.SCHEDULER)) {
      return unknown("table 'task' is missing");
    }
    return new Inspection(State.PIRI, present, version(store, present), null);
  }

  private static String version(StoreId store, Set<Group> present) {
    if (store != StoreId.SCHEDULER) return "Piri v0.1.0-v0.2.4";
    return present.contains(Group.PAYMENTS) ? "Piri v0.2.2-v0.2.4" : "Piri v0.1.0-v0.2.1";
  }

  private static Group groupOf(String table, Set<Group> allowed) {
    for (Group g : allowed) if (TABLES.get(g).containsKey(table)) return g;
    return null;
  }

  private static String columnDifference(String table, List<String> expected, List<String> actual) {
    for (String c : expected) {
      if (!actual.contains(c)) return "table '" + table + "' has no column '" + c + "'";
    }
    for (String c : actual) {
      if (!expected.contains(c)) return "table '" + table + "' has a column '" + c + "' that Piri does not create";
    }
    return null;
  }

  private static Inspection unknown(String difference) {
    return new Inspection(State.UNKNOWN, Set.of(), null, difference);
  }
}
