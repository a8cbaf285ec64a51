package io.piri.db.cli;

import io.piri.db.core.StoreId;
import io.piri.db.ops.Operation;
import io.piri.db.ops.Operations;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BiConsumer;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The base of the operator commands, one per operator operation ({@link Operations}): they talk
 * to a running server through its bridge (a read also to a data_dir offline) and print a table
 * (or JSON with {@code --json}).
 */
abstract class OpsCommand extends BridgeCommand {
  @Option(names = "--json", description = "print JSON instead of a table, for scripts") boolean json;

  @Spec CommandSpec spec;

  /** The operation this command is the command-line front end of: the one listed under its name. */
  final Operation operation() {
    String path = spec.qualifiedName(" ");
    String cli = path.substring(path.indexOf(' ') + 1);
    return Operations.ALL.stream().filter(op -> op.cli().equals(cli)).findFirst()
        .orElseThrow(() -> new IllegalStateException("'" + path + "' is no operation of the list"));
  }

  /** Prints {@code reply} as one line of JSON with {@code --json}, else as {@code table} shows it. */
  final void print(PrintStream out, JsonObject reply, BiConsumer<JsonObject, PrintStream> table) {
    if (json) out.println(reply.encode());
    else table.accept(reply, out);
  }

  /** Each queue store's {@code stats}; the stats action needs no configuration on this side. */
  static Map<StoreId, JsonObject> statsOfEveryStore(StoreRequests client) throws IOException, BridgeClient.Failure {
    Map<StoreId, JsonObject> out = new LinkedHashMap<>();
    for (StoreId store : StoreId.values()) {
      if (store.holdsQueues()) out.put(store, client.request(store.address(), Operations.STATS.action(), new JsonObject()).getJsonObject("queues"));
    }
    return out;
  }

  /** The stores answer at most 1000 rows a request. */
  static void checkLimit(int limit) {
    if (limit < 1 || limit > 1000) throw badFlag("--limit: must be between 1 and 1000, got " + limit);
  }

  /** The line that tells how to ask for the next page, when there is one. */
  static void more(PrintStream out, Object next) {
    if (next != null) out.println("more: --after " + next);
  }
}
