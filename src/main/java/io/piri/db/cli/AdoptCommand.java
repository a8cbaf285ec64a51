package io.piri.db.cli;

import io.piri.db.adopt.Adopter;
import io.piri.db.adopt.StoreResult;
import io.piri.db.config.ConfigLoader;
import io.piri.db.config.PiriConfig;
import io.piri.db.datadir.BackendMarker;
import io.piri.db.datadir.DataDirLock;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code piri-db adopt}: converts a stopped Piri node's own databases, where the configuration
 * points, into piri-db's stores (docs/adopting.md). Offline: run it while neither Piri nor
 * piri-db runs on them.
 */
@Command(name = "adopt",
    description = "Convert a stopped Piri node's databases (data_dir or PostgreSQL schemas) into piri-db stores, in place.")
public final class AdoptCommand implements java.util.concurrent.Callable<Integer> {
  @Option(names = "--config", description = "configuration file (default: ${DEFAULT-VALUE})", defaultValue = "conf/piri-db.json") Path config;

  @Option(names = "--dry-run", description = "change nothing; print what would be carried over") boolean dryRun;

  @Option(names = "--json",
      description = "print JSON: one object per store (status, backup, and per kind found, carried, skipped and why)")
  boolean json;

  @Option(names = "--verbose", description = "print stack traces of failures") boolean verbose;

  private final LongSupplier clock;

  AdoptCommand(LongSupplier clock) {
    this.clock = clock;
  }

  @Override
  public Integer call() throws Exception {
    PiriConfig cfg = load();
    BackendMarker.check(cfg.dataDir(), cfg.backend());
    PrintStream out = System.out;
    Adopter.Result result = new Adopter(cfg, json ? System.err : out, clock.getAsLong()).run(dryRun, () -> {
      DataDirLock lock = DataDirLock.acquire(cfg.dataDir());
      return lock::close;
    });
    if (!dryRun && !result.nothingToDo()) BackendMarker.record(cfg.dataDir(), cfg.backend());
    if (json) {
      out.println(result.toJson().encode());
    } else {
      out.print(render(result));
    }
    out.flush();
    return 0;
  }

  private PiriConfig load() throws Exception {
    Vertx vertx = Vertx.vertx();
    try {
      return ConfigLoader.load(vertx, config).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (java.util.concurrent.ExecutionException e) {
      if (e.getCause() instanceof Exception cause) throw cause;
      throw e;
    } finally {
      vertx.close().await(10, TimeUnit.SECONDS);
    }
  }

  static String render(Adopter.Result result) {
    StringBuilder out = new StringBuilder();
    out.append("piri-db adopt: ").append(result.backend()).append(", data_dir ").append(result.dataDir())
        .append(result.dryRun() ? " (dry run: nothing was changed)" : "").append('\n');
    Table t = new Table("STORE", "STATUS", "KIND", "FOUND", "CARRIED", "SKIPPED", "DETAIL");
    for (StoreResult s : result.stores()) {
      String status = statusText(s);
      if (s.kinds().isEmpty()) {
        t.row(s.store().id(), status);
        continue;
      }
      boolean first = true;
      for (Map.Entry<String, JsonObject> k : s.kinds().entrySet()) {
        JsonObject c = k.getValue();
        t.row(first ? s.store().id() : "", first ? status : "", k.getKey(), c.getLong("found"), c.getLong("carried"),
            c.getLong("skipped"), detail(c));
        first = false;
      }
    }
    out.append(t.render());
    for (StoreResult s : result.stores()) {
      if (s.backup() != null) out.append("Piri's ").append(s.where()).append(" is kept as ").append(s.backup()).append('\n');
    }
    if (result.nothingToDo()) {
      out.append("Nothing to do: every store there is already a piri-db store.\n");
    } else if (result.dryRun()) {
      out.append("Run without --dry-run to convert; stop Piri first (docs/adopting.md).\n");
    } else {
      out.append("Counts checked against Piri's tables. Start piri-db on them: piri-db serve\n");
    }
    return out.toString();
  }

  private static String statusText(StoreResult s) {
    String text = switch (s.status()) {
      case ADOPTED -> "adopted";
      case WOULD_ADOPT -> "would adopt";
      case PIRI_DB -> "already piri-db";
      case ABSENT -> "nothing there";
    };
    return s.layout() == null ? text : text + " (" + s.layout() + ")";
  }

  /** "ready 5, in flight 2; skipped 1: why" */
  private static String detail(JsonObject c) {
    List<String> parts = new ArrayList<>();
    JsonObject as = c.getJsonObject("as");
    if (as != null) as.forEach(e -> parts.add(e.getKey() + " " + e.getValue()));
    JsonObject why = c.getJsonObject("why");
    if (why != null) why.forEach(e -> parts.add("skipped " + e.getValue() + ": " + e.getKey()));
    return parts.isEmpty() ? "" : String.join("; ", parts);
  }
}
