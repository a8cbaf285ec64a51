package io.piri.db.cli;

import io.piri.db.core.StoreId;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import picocli.CommandLine.Mixin;

/**
 * A read of the Scheduler store (tasks, history, sessions, proof sets), as the console's Scheduler
 * and PDP screens show them: one request, JSON or a table, over the bridge or offline.
 */
abstract class SchedulerReadCommand extends OpsCommand {
  @Mixin OfflineOption offline;

  @Override
  Path offlineDir() {
    return offline.dataDir;
  }

  /** The request's body. */
  abstract JsonObject body();

  /** Prints the reply as a table. */
  abstract void table(JsonObject reply, PrintStream out);

  @Override
  final void run(StoreRequests client, PrintStream out) throws IOException, BridgeClient.Failure {
    JsonObject reply = client.request(StoreId.SCHEDULER.address(), operation().action(), body());
    if (json) out.println(reply.encode());
    else table(reply, out);
  }

  /** The line that tells how to ask for the next page, when there is one. */
  static void more(PrintStream out, Object next) {
    if (next != null) out.println("more: --after " + next);
  }
}
