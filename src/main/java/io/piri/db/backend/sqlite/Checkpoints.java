package io.piri.db.backend.sqlite;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Logger;

/**
 * WAL checkpoints beside the writer. With SQLite's own automatic checkpoint the writer copies the
 * WAL into the database file (and syncs it) inside a commit about every thousand pages, and every
 * request of that batch waits for it. Instead the writer asks for a passive checkpoint every
 * {@link #EVERY_COMMITS} commits and a read connection runs it while the writer goes on; one at a
 * time, a request while one runs is dropped (the next request catches up). The writer keeps an
 * automatic checkpoint at {@link #WRITER_PAGES} pages as a bound on the WAL should these fall
 * behind. An idle store commits nothing, so it runs no checkpoint either.
 */
final class Checkpoints {
  static final int EVERY_COMMITS = 32;
  static final String WRITER_PAGES = "10000";
  private static final Logger LOG = Logger.getLogger(Checkpoints.class.getName());

  private final SqliteReaders readers;
  private final String statement;
  private final AtomicBoolean running = new AtomicBoolean();
  /** Commits since the last request; only touched on the writer's thread. */
  private int commits;

  Checkpoints(SqliteReaders readers, String statement) {
    this.readers = readers;
    this.statement = statement;
  }

  /** A batch was committed; on the writer's thread. */
  void committed() {
    if (++commits < EVERY_COMMITS || !running.compareAndSet(false, true)) return;
    commits = 0;
    readers.read(tx -> tx.run(statement)).onComplete(ar -> {
      running.set(false);
      if (ar.failed()) LOG.fine(() -> "WAL checkpoint failed, the writer's own checkpoint bounds the WAL: " + ar.cause().getMessage());
    });
  }
}
