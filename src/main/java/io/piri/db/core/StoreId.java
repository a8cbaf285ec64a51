package io.piri.db.core;

/** The four stores of a Piri node and where each one lives (contract §3). */
public enum StoreId {
  SCHEDULER("scheduler", "pdp/state/state.db"),
  REPLICATOR("replicator", "replicator/replicator.db"),
  AGGREGATOR("aggregator", "aggregator/jobqueue/jobqueue.db"),
  EGRESS_TRACKER("egress_tracker", "egress_tracker/jobqueue/jobqueue.db");

  public static final String ADDRESS_PREFIX = "piri.db.";

  private final String id;
  private final String sqliteFile;

  StoreId(String id, String sqliteFile) {
    this.id = id;
    this.sqliteFile = sqliteFile;
  }

  /** The store's name, also its PostgreSQL schema and its migrations folder. */
  public String id() {
    return id;
  }

  public String address() {
    return ADDRESS_PREFIX + id;
  }

  /** The SQLite file, relative to {@code repo.data_dir}. */
  public String sqliteFile() {
    return sqliteFile;
  }

  /** True for the three stores that hold job queues. */
  public boolean holdsQueues() {
    return this != SCHEDULER;
  }

  /**
   * The migration folders under {@code db/<dialect>/}: the store's own (V1 on), for the queue
   * stores the queue engine's shared one (V100 on), and the one every store shares (V200 on: the
   * audit trail), so that versions of different folders never collide.
   */
  public java.util.List<String> migrationFolders() {
    return holdsQueues() ? java.util.List.of(id, "queue", "common") : java.util.List.of(id, "common");
  }

  public static StoreId parse(String id) {
    for (StoreId s : values()) {
      if (s.id.equals(id)) return s;
    }
    throw new IllegalArgumentException("unknown store '" + id + "'");
  }
}
