package io.piri.db.cli;

import io.piri.db.core.StoreId;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code piri-db backup DIR}: asks each store to copy itself under DIR while serving. SQLite
 * stores write a consistent copy with the layout of {@code data_dir}; PostgreSQL stores refuse
 * (400) and name the pg_dump to use. Every store is asked even when one fails; the first failure
 * decides the exit code.
 */
@Command(name = "backup", description = "Back up the SQLite stores of a running server into DIR (on the server's machine).")
public final class BackupCommand extends BridgeCommand {
  @Option(names = "--json", description = "print JSON instead of a table, for scripts") boolean json;

  @Parameters(index = "0", description = "directory to write into; created if missing; relative paths are made absolute here") Path dir;

  @Override
  void run(StoreRequests client, PrintStream out) throws IOException, BridgeClient.Failure {
    String target = dir.toAbsolutePath().normalize().toString();
    JsonObject results = new JsonObject();
    Table t = new Table("STORE", "RESULT", "DETAIL");
    BridgeClient.Failure first = null;
    for (StoreId store : StoreId.values()) {
      try {
        JsonObject reply = client.request(store.address(), "backup", new JsonObject().put("dir", target));
        results.put(store.id(), reply);
        t.row(store.id(), "ok", reply.getString("file") + " (" + reply.getLong("bytes") + " bytes, " + reply.getLong("ms") + " ms)");
      } catch (BridgeClient.Failure f) {
        results.put(store.id(), f.toJson());
        t.row(store.id(), f.error, f.detail);
        if (first == null) first = f;
      }
    }
    if (json) out.println(new JsonObject().put("dir", target).put("stores", results).encode());
    else out.print(t.render());
    if (first != null) throw first;
  }
}
