package io.piri.db.cli;

import io.piri.db.core.StoreId;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.PrintStream;

/**
 * A read of the Scheduler store (tasks, history, sessions, proof sets), as the console's Scheduler
 * and PDP screens show them: one request, JSON or a table, over the bridge or offline.
 */
abstract class SchedulerReadCommand extends ReadCommand {

  /** The request's body. */
  abstract JsonObject body();

  /** Prints the reply as a table. */
  abstract void table(JsonObject reply, PrintStream out);

  @Override
  final void run(StoreRequests client, PrintStream out) throws IOException, BridgeClient.Failure {
    print(out, client.request(StoreId.SCHEDULER.address(), operation().action(), body()), this::table);
  }
}
