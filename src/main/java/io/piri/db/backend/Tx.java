package io.piri.db.backend;

import io.vertx.core.Future;

/**
 * What a store's work runs its statements through, in a {@link Database#write} transaction or a
 * {@link Database#read}. Parameters are {@code Long}, {@code Integer}, {@code String},
 * {@code Boolean}, {@code byte[]} or null, in the order of the statement's {@code ?1..?N}; each
 * backend hands them to its driver as the driver needs. A failed statement fails its future with a
 * {@link io.piri.db.core.DbException}. On SQLite's writer the futures are already complete when
 * returned.
 */
public interface Tx {
  Future<Rows> run(String sql, Object... params);

  /**
   * Holds the lock {@code key} until the transaction ends, so that transactions of every instance
   * on the same database that take it run one after the other (PostgreSQL: a transaction advisory
   * lock). SQLite's single writer serializes every transaction already: there it does nothing.
   * Only inside {@link Database#write}.
   */
  Future<Void> lock(long key);

  /**
   * Holds {@code key} shared until the transaction ends: any number of transactions hold it
   * together, and {@link #lock} of the same key waits for all of them (and they for it). A
   * statement run after it completes sees what the exclusive holder committed (PostgreSQL: a
   * shared transaction advisory lock). Nothing on SQLite. Only inside {@link Database#write}.
   */
  Future<Void> lockShared(long key);

  /**
   * Asks for a wake-up on {@code channel} once this transaction commits: every listener of the
   * channel, in this process and (PostgreSQL) in every instance on the same database, is then
   * called with {@code payload}. Only inside {@link Database#write}.
   */
  Future<Void> notifyAfterCommit(String channel, String payload);

  /** Throws unless every parameter is of a type both backends take. */
  static void checkParameters(Object[] params) {
    for (int i = 0; i < params.length; i++) {
      Object p = params[i];
      if (!(p == null || p instanceof Long || p instanceof Integer || p instanceof String || p instanceof Boolean
          || p instanceof byte[])) {
        throw new IllegalArgumentException("parameter " + (i + 1) + " is a " + p.getClass().getName()
            + "; a statement takes Long, Integer, String, Boolean, byte[] or null");
      }
    }
  }
}
