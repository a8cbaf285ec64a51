package io.piri.db.scheduler.pdp;

import io.vertx.core.json.JsonObject;

/**
 * The proving states of a proof set (piri-scheduler.md 3.6), read from its columns: T =
 * challenge_request_task_id (and its task's type), H = challenge_request_msg_hash, P =
 * prove_at_epoch, E = prev_challenge_request_epoch, I = init_ready, and its prove tasks.
 */
enum ProvingState {
  NEW("new"),                                  // S0
  INIT_READY("init_ready"),                    // S1
  INIT_SCHEDULED("init_scheduled"),            // S2
  CHALLENGE_REQUESTED("challenge_requested"),  // S3
  PROVING("proving"),                          // S4
  IDLE("idle"),                                // S4'
  NEXT_SCHEDULED("next_scheduled");            // S5

  final String wire;

  ProvingState(String wire) {
    this.wire = wire;
  }

  static ProvingState of(JsonObject ps) {
    boolean t = ps.getValue("challenge_request_task_id") != null;
    boolean h = ps.getValue("challenge_request_msg_hash") != null;
    boolean p = ps.getValue("prove_at_epoch") != null;
    boolean e = ps.getValue("prev_challenge_request_epoch") != null;
    boolean i = Boolean.TRUE.equals(ps.getBoolean("init_ready"));
    long proveTasks = ps.getLong("prove_tasks", 0L);
    if (t) return ProvingSchedule.INIT_TASK.equals(ps.getString("challenge_request_task_name")) ? INIT_SCHEDULED : NEXT_SCHEDULED;
    if (h && p) return CHALLENGE_REQUESTED;
    if (proveTasks > 0) return PROVING;
    if (!i && !h && !p && !e) return NEW;
    if (i && !p) return INIT_READY;
    return IDLE;
  }
}
