package io.piri.db.adopt;

import io.piri.db.core.ExitException;
import io.piri.db.core.StoreId;
import io.piri.db.backend.Statements;
import io.piri.db.config.BackendType;
import io.piri.db.config.PiriConfig;
import io.piri.db.config.QueueConfig;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.PrintStream;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * {@code piri-db adopt}: converts, in place, the databases a Piri node wrote where the
 * configuration points into piri-db's stores. Everything is checked before anything changes: the
 * layouts (a Piri release adopt knows), that no Piri still uses them, that every queue with jobs
 * is configured. Then each store is converted in one transaction, its SQLite file first copied
 * next to it, and the rows counted against Piri's before the transaction commits.
 */
public final class Adopter {
  /** What one run did, or on a dry run would do. */
  public record Result(boolean dryRun, String dataDir, String backend, List<StoreResult> stores) {
    public boolean nothingToDo() {
      return stores.stream().noneMatch(s -> s.status == StoreResult.Status.ADOPTED || s.status == StoreResult.Status.WOULD_ADOPT);
    }

    public JsonObject toJson() {
      JsonArray s = new JsonArray();
      stores.forEach(r -> s.add(r.toJson()));
      return new JsonObject().put("dry_run", dryRun).put("data_dir", dataDir).put("backend", backend).put("stores", s);
    }
  }

  /** Held from the first change to the end: the server's data_dir lock, so that no serve starts meanwhile. */
  public interface Lock extends AutoCloseable {
    @Override
    void close();
  }

  private final PiriConfig config;
  private final PrintStream progress;
  private final StoreFiles files;
  private final long now;

  /** {@code now}: the time adoption runs at, against which Piri's times are read (due, in flight). */
  public Adopter(PiriConfig config, PrintStream progress, long now) {
    this.config = config;
    this.progress = progress;
    this.now = now;
    this.files = files(config);
  }

  static StoreFiles files(PiriConfig config) {
    return config.backend() == BackendType.SQLITE ? new SqliteStores(config.dataDir()) : new PostgresStores(config.postgres());
  }

  /** @param lock taken before the first change (never on a dry run or a refusal) */
  public Result run(boolean dryRun, Supplier<Lock> lock) {
    Map<StoreId, PiriLayout.Inspection> found = inspect();
    List<StoreResult> results = new ArrayList<>();
    List<StoreId> piri = new ArrayList<>();
    for (StoreId s : StoreId.values()) {
      PiriLayout.Inspection in = found.get(s);
      StoreResult.Status status = switch (in.state()) {
        case PIRI -> dryRun ? StoreResult.Status.WOULD_ADOPT : StoreResult.Status.ADOPTED;
        case PIRI_DB -> StoreResult.Status.PIRI_DB;
        default -> StoreResult.Status.ABSENT;
      };
      StoreResult r = new StoreResult(s, files.where(s), status);
      r.layout = in.version();
      results.add(r);
      if (in.state() == PiriLayout.State.PIRI) piri.add(s);
    }
    Result result = new Result(dryRun, config.dataDir().toString(), config.backend().id(), results);
    if (piri.isEmpty()) {
      if (found.values().stream().anyMatch(i -> i.state() == PiriLayout.State.PIRI_DB)) return result;
      throw new ExitException(ExitException.FAILED, "nothing to adopt: no Piri database in " + places());
    }
    refuseWhileInUse(piri);
    refuseForeignQueues(piri, found);
    if (dryRun) {
      for (StoreResult r : results) {
        if (r.status == StoreResult.Status.WOULD_ADOPT) plan(r, found.get(r.store));
      }
      return result;
    }
    try (Lock held = lock.get()) {
      // Another adopt may have converted a store between the checks and the lock.
      Map<StoreId, PiriLayout.Inspection> now = inspect();
      for (StoreId s : piri) {
        if (now.get(s).state() != PiriLayout.State.PIRI) {
          throw new ExitException(ExitException.FAILED, "store " + s.id() + " (" + files.where(s)
              + ") changed while adopt checked it; nothing was changed, run adopt again");
        }
      }
      for (StoreResult r : results) {
        if (r.status != StoreResult.Status.ADOPTED) continue;
        r.backup = guard(r.store, "cannot be copied", () -> files.backup(r.store));
        if (r.backup != null) progress.println("piri-db adopt: kept a copy of " + r.where + " as " + r.backup);
      }
      List<String> done = new ArrayList<>();
      for (StoreResult r : results) {
        if (r.status != StoreResult.Status.ADOPTED) continue;
        try {
          convert(r, found.get(r.store));
        } catch (SQLException | RuntimeException e) {
          String before = done.isEmpty() ? "" : "; adopted before it: " + String.join(", ", done);
          throw new ExitException(ExitException.FAILED, "store " + r.store.id() + " (" + r.where
              + "): adoption failed and was rolled back, the store is as Piri left it" + before + ": " + firstLine(e), e);
        }
        done.add(r.store.id());
        progress.println("piri-db adopt: " + r.store.id() + " adopted (" + r.where + ")");
      }
    }
    return result;
  }

  /** Where the stores would be, for messages. */
  private String places() {
    if (config.backend() == BackendType.POSTGRES) {
      return "the schemas scheduler, replicator, aggregator, egress_tracker at " + config.postgres().maskedUrl();
    }
    List<String> paths = new ArrayList<>();
    for (StoreId s : StoreId.values()) paths.add(s.sqliteFile());
    return "repo.data_dir " + config.dataDir() + " (" + String.join(", ", paths) + ")";
  }

  private Map<StoreId, PiriLayout.Inspection> inspect() {
    Map<StoreId, PiriLayout.Inspection> out = new EnumMap<>(StoreId.class);
    for (StoreId s : StoreId.values()) {
      PiriLayout.Inspection in = PiriLayout.inspect(s, guard(s, "cannot be read", () -> files.tables(s)));
      if (in.state() == PiriLayout.State.UNKNOWN) {
        throw new ExitException(ExitException.FAILED, "store " + s.id() + " (" + files.where(s)
            + ") does not match a Piri release adopt knows (v0.1.0 to v0.2.4): " + in.difference() + "; nothing was changed");
      }
      out.put(s, in);
    }
    return out;
  }

  private void refuseWhileInUse(List<StoreId> piri) {
    List<String> reasons = guard(piri.get(0), "cannot be checked", () -> files.inUse(piri));
    if (!reasons.isEmpty()) {
      throw new ExitException(ExitException.FAILED, "Piri still uses its databases: " + String.join("; ", reasons)
          + ". Stop Piri first; nothing was changed");
    }
  }

  private void refuseForeignQueues(List<StoreId> piri, Map<StoreId, PiriLayout.Inspection> found) {
    for (StoreId s : piri) {
      if (!s.holdsQueues()) continue;
      QueueCopy copy = queueCopy(s);
      List<String> foreign = guard(s, "cannot be read", () -> files.read(s, c -> copy.foreignQueues(c, found.get(s).groups())));
      if (!foreign.isEmpty()) {
        throw new ExitException(ExitException.FAILED, "store " + s.id() + " holds jobs of queues that are not queues of "
            + s.id() + " in this configuration: " + String.join(", ", foreign) + "; add them under queues.<name> with store "
            + s.id() + " (docs/configuration.md); nothing was changed");
      }
    }
  }

  private void plan(StoreResult r, PiriLayout.Inspection in) {
    if (r.store.holdsQueues()) {
      QueueCopy copy = queueCopy(r.store);
      guard(r.store, "cannot be read", () -> files.read(r.store, c -> {
        copy.copy(c, in.groups(), QueueCopy.NOWHERE);
        return null;
      }));
      report(r, copy);
    } else {
      SchedulerCopy copy = new SchedulerCopy(sql("adopt-scheduler"), now);
      guard(r.store, "cannot be read", () -> files.read(r.store, c -> {
        copy.plan(c, in.groups().contains(PiriLayout.Group.PAYMENTS));
        return null;
      }));
      r.kinds.putAll(copy.tables);
    }
  }

  private void convert(StoreResult r, PiriLayout.Inspection in) throws SQLException {
    if (r.store.holdsQueues()) {
      QueueCopy copy = queueCopy(r.store);
      files.convert(r.store, c -> {
        try (JobTables tables = new JobTables(c, sql("adopt-queue"))) {
          copy.copy(c, in.groups(), tables);
        }
        DerivedData.rebuild(c, files.dialect(), "adopt-queue");
        checkQueueCounts(c, copy);
        return null;
      });
      report(r, copy);
    } else {
      SchedulerCopy copy = new SchedulerCopy(sql("adopt-scheduler"), now);
      files.convert(r.store, c -> {
        copy.copy(c, in.groups().contains(PiriLayout.Group.PAYMENTS), config.taskTypes());
        DerivedData.rebuild(c, files.dialect(), "adopt-scheduler");
        Map<String, Long> expected = copy.expected();
        Map<String, Long> actual = copy.carriedCounts(c);
        if (!expected.equals(actual)) {
          throw new SQLException("the rows in piri-db's tables do not add up: expected " + expected + ", found " + actual);
        }
        return null;
      });
      r.kinds.putAll(copy.tables);
    }
  }

  private void checkQueueCounts(Connection c, QueueCopy copy) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql("adopt-queue").get("counts")); ResultSet rs = ps.executeQuery()) {
      rs.next();
      long live = rs.getLong(1);
      long dead = rs.getLong(2);
      long done = rs.getLong(3);
      if (live != copy.liveRows || dead != copy.deadRows || done < copy.doneRows || done > copy.doneRows + copy.doneExtra) {
        throw new SQLException("the rows in piri-db's tables do not add up: jobs " + live + " (expected " + copy.liveRows
            + "), dead letters " + dead + " (expected " + copy.deadRows + "), done keys " + done + " (expected "
            + copy.doneRows + (copy.doneExtra > 0 ? " to " + (copy.doneRows + copy.doneExtra) : "") + ")");
      }
    }
  }

  private static void report(StoreResult r, QueueCopy copy) {
    r.kinds.put("jobs", copy.jobs);
    r.kinds.put("dead letters", copy.dead);
    r.kinds.put("done keys", copy.done);
  }

  private QueueCopy queueCopy(StoreId store) {
    Map<String, QueueConfig> queues = config.queues().values().stream().filter(q -> q.store().equals(store.id()))
        .collect(Collectors.toMap(QueueConfig::name, q -> q));
    return new QueueCopy(sql("adopt-queue"), queues, now);
  }

  private Statements sql(String area) {
    return Statements.load(files.dialect(), area);
  }

  private interface Blocking<T> {
    T get() throws SQLException;
  }

  /** A database error before anything changed: the store named, nothing changed. */
  private <T> T guard(StoreId store, String what, Blocking<T> action) {
    try {
      return action.get();
    } catch (SQLException e) {
      throw new ExitException(ExitException.FAILED, "store " + store.id() + " (" + files.where(store) + ") " + what
          + ": " + firstLine(e) + "; nothing was changed", e);
    }
  }

  private static String firstLine(Throwable e) {
    String m = e.getMessage() == null ? e.toString() : e.getMessage();
    return m.lines().findFirst().orElse(m).trim();
  }
}
