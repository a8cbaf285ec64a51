package io.piri.db;

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

  public static StoreId parse(String id) {
    for (StoreId s : values()) {
      if (s.id.equals(id)) return s;
    }
    throw new IllegalArgumentException("unknown store '" + id + "'");
  }
}
