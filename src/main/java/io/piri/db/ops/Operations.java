package io.piri.db.ops;

import static io.piri.db.ops.Operation.Hosts.EVERY_STORE;
import static io.piri.db.ops.Operation.Hosts.QUEUE_STORES;
import static io.piri.db.ops.Operation.Hosts.SCHEDULER;
import static io.piri.db.ops.Operation.change;
import static io.piri.db.ops.Operation.read;

import java.util.List;

/**
 * Every operator operation, once: the console registers its routes and the command line sends its
 * requests by these entries, and {@code ActionParityTest} checks that each has its bus action on
 * the stores named, its command and its route (with the operator role for a change). Adding an
 * operation is one line here plus its three front ends.
 */
public final class Operations {
  private Operations() {}

  public static final Operation STATS = read("stats", QUEUE_STORES, "queues", "/queues");
  public static final Operation JOBS = read("jobs-page", QUEUE_STORES, "jobs", "/queues/:queue/jobs");
  public static final Operation JOB_GET = read("job-get", QUEUE_STORES, "show", "/queues/:queue/jobs/:id");
  public static final Operation SEARCH = read("search", QUEUE_STORES, "search", "/queues/:queue/search");
  public static final Operation ROLLUPS = read("rollups", QUEUE_STORES, "rollups", "/queues/:queue/rollups");
  public static final Operation PAUSE = change("pause", QUEUE_STORES, "pause", "/queues/:queue/pause");
  public static final Operation RESUME = change("resume", QUEUE_STORES, "resume", "/queues/:queue/resume");
  public static final Operation BULK_START = change("bulk-start", QUEUE_STORES, "bulk start", "/queues/:queue/bulk");
  public static final Operation BULK_STATUS = read("bulk-status", QUEUE_STORES, "bulk status", "/queues/:queue/bulk/:id");
  public static final Operation BULK_CANCEL = change("bulk-cancel", QUEUE_STORES, "bulk cancel", "/queues/:queue/bulk/:id/cancel");
  public static final Operation BULK_LIST = read("bulk-list", QUEUE_STORES, "bulk list", "/queues/:queue/bulk");
  public static final Operation DEAD_LIST = read("dead-list", QUEUE_STORES, "dead list", "/queues/:queue/dead");
  public static final Operation DEAD_REQUEUE = change("dead-requeue", QUEUE_STORES, "dead requeue", "/queues/:queue/dead/requeue");
  public static final Operation DEAD_PURGE = change("dead-purge", QUEUE_STORES, "dead purge", "/queues/:queue/dead/purge");
  public static final Operation DEDUPE_LOOKUP = read("dedupe-lookup", QUEUE_STORES, "dedupe", "/queues/:queue/dedupe");
  public static final Operation AUDIT_LIST = read("audit-list", EVERY_STORE, "audit", "/audit");
  public static final Operation TASK_STATS = read("task-stats", SCHEDULER, "tasks", "/tasks");
  public static final Operation TASK_HISTORY = read("task-history", SCHEDULER, "task-history", "/tasks/history");
  public static final Operation SESSION_LIST = read("session-list", SCHEDULER, "sessions", "/sessions");
  public static final Operation PS_LIST = read("ps-list", SCHEDULER, "proofsets", "/proofsets");
  public static final Operation PS_STATE = read("ps-state", SCHEDULER, "proofset", "/proofsets/:id");
  public static final Operation PS_TIMELINE = read("ps-timeline", SCHEDULER, "proofset-timeline", "/proofsets/:id/timeline");

  public static final List<Operation> ALL = List.of(STATS, JOBS, JOB_GET, SEARCH, ROLLUPS, PAUSE, RESUME, BULK_START, BULK_STATUS, BULK_CANCEL, BULK_LIST, DEAD_LIST, DEAD_REQUEUE, DEAD_PURGE, DEDUPE_LOOKUP, AUDIT_LIST,
      TASK_STATS, TASK_HISTORY, SESSION_LIST, PS_LIST, PS_STATE, PS_TIMELINE);
}
