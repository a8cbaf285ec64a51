package io.piri.db.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.piri.db.core.StoreId;
import io.piri.db.ops.Operation;
import io.piri.db.ops.Operations;
import io.piri.db.support.ServerTestBase;
import io.piri.db.support.TestBackend;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * One action list, three front ends: every operation of {@link Operations} is answered by the
 * stores it names (and by no other), has its {@code piri-db} command ({@code --json}; a read also
 * {@code --data-dir}, a change not) and its console route (a change for operators). Every operator
 * command is in the list. The front ends are asked as an operator would meet them: the running
 * node's bus and {@code GET /api/routes}, and the command line's own tree.
 */
class ActionParityTest extends ServerTestBase {
  @Override
  protected TestBackend backend() {
    return TestBackend.sqlite();
  }

  @Test
  void everyOperationHasItsBusActionItsCommandAndItsRoute() throws Exception {
    startServer();
    Map<String, JsonObject> routes = routes();
    CommandLine cli = Main.commandLine(System::currentTimeMillis);
    List<String> lacking = new ArrayList<>();
    for (Operation op : Operations.ALL) {
      for (StoreId store : StoreId.values()) {
        boolean answers = answers(store, op, lacking);
        if (op.hosts().hosts(store) && !answers) lacking.add("bus: store " + store.id() + " does not answer " + op.action());
        if (!op.hosts().hosts(store) && answers) lacking.add("bus: store " + store.id() + " answers " + op.action() + ", the list says "
            + op.hosts());
      }
      lacking.addAll(command(cli, op));
      JsonObject route = routes.get(op.method() + " /api" + op.route());
      if (route == null) {
        lacking.add("console: no route " + op.method() + " /api" + op.route() + " for " + op.action());
      } else {
        String role = route.getString("role");
        boolean roleFits = op.changes() ? role.equals("operator") || role.equals("admin") : role.equals("viewer");
        if (!roleFits) lacking.add("console: " + op.route() + " needs role " + role + " for " + (op.changes() ? "a change" : "a read"));
        if (!op.action().equals(route.getString("action"))) lacking.add("console: " + op.route() + " sends " + route.getString("action"));
      }
    }
    lacking.addAll(commandsOutsideTheList(cli, ""));
    assertEquals(List.of(), lacking, "front ends lacking an operation of the list");
    assertTrue(Operations.ALL.size() >= 6, "the list holds today's operations");
  }

  /**
   * Whether {@code store} knows the action: anything but "unknown action". The body is empty, which
   * every change refuses (400, naming what is missing), so nothing is changed here.
   */
  private boolean answers(StoreId store, Operation op, List<String> lacking) throws Exception {
    try {
      call(store, op.action(), new JsonObject());
      if (op.changes()) lacking.add("bus: " + op.action() + " on " + store.id() + " accepted an empty body");
      return true;
    } catch (ReplyException e) {
      return !(e.failureCode() == 400 && e.getMessage().startsWith("invalid_argument: unknown action"));
    }
  }

  private static List<String> command(CommandLine root, Operation op) {
    CommandLine c = root;
    for (String word : op.cli().split(" ")) {
      c = c.getSubcommands().get(word);
      if (c == null) return List.of("cli: no command 'piri-db " + op.cli() + "' for " + op.action());
    }
    List<String> out = new ArrayList<>();
    if (!(c.getCommand() instanceof OpsCommand cmd) || cmd.operation() != op) {
      out.add("cli: 'piri-db " + op.cli() + "' is not the command of " + op.action());
    }
    if (c.getCommandSpec().findOption("--json") == null) out.add("cli: 'piri-db " + op.cli() + "' has no --json");
    boolean offline = c.getCommandSpec().findOption("--data-dir") != null;
    if (!op.changes() && !offline) out.add("cli: the read 'piri-db " + op.cli() + "' has no --data-dir");
    if (op.changes() && offline) out.add("cli: the change 'piri-db " + op.cli() + "' offers --data-dir");
    return out;
  }

  private static List<String> commandsOutsideTheList(CommandLine c, String path) {
    List<String> out = new ArrayList<>();
    if (c.getCommand() instanceof OpsCommand && Operations.ALL.stream().noneMatch(op -> op.cli().equals(path))) {
      out.add("cli: 'piri-db " + path + "' is an operator command outside the list");
    }
    c.getSubcommands().forEach((name, sub) -> out.addAll(commandsOutsideTheList(sub, path.isEmpty() ? name : path + " " + name)));
    return out;
  }

  private Map<String, JsonObject> routes() throws Exception {
    HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
        URI.create("http://127.0.0.1:" + config.http().port() + config.console().prefix() + "api/routes")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals(200, r.statusCode(), r.body());
    Map<String, JsonObject> out = new HashMap<>();
    for (Object o : new JsonObject(r.body()).getJsonArray("routes", new JsonArray())) {
      JsonObject route = (JsonObject) o;
      out.put(route.getString("method") + " " + route.getString("path"), route);
    }
    return out;
  }
}
