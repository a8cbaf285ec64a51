package io.piri.db.cli;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** Sends one request over the TCP bridge and prints the reply; exit 4 with the error JSON on failure. */
@Command(name = "call", description = "Send one request to a running server over its TCP event-bus bridge.")
public final class CallCommand extends BridgeCommand {
  @Parameters(index = "0", description = "event-bus address, e.g. piri.db.replicator") String address;

  @Parameters(index = "1", description = "action, e.g. ping") String action;

  @Parameters(index = "2", arity = "0..1", description = "request body as JSON, or - to read it from stdin") String body;

  private JsonObject request;

  @Override
  void validate() throws IOException {
    request = parseBody();
  }

  @Override
  void run(StoreRequests client, PrintStream out) throws IOException, BridgeClient.Failure {
    out.println(client.request(address, action, request).encode());
  }

  private JsonObject parseBody() throws IOException {
    if (body == null) return new JsonObject();
    String text = body.equals("-") ? new String(System.in.readAllBytes(), StandardCharsets.UTF_8) : body;
    try {
      return new JsonObject(text);
    } catch (DecodeException | ClassCastException e) {
      throw badFlag("JSON: the request body must be a JSON object: " + e.getMessage());
    }
  }
}
