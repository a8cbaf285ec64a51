package io.piri.db.cli;

import io.piri.db.core.ExitException;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Sends one request over the TCP bridge and prints the reply; exit 4 with the error JSON on failure. */
@Command(name = "call", description = "Send one request to a running server over its TCP event-bus bridge.")
public final class CallCommand implements Callable<Integer> {
  @Parameters(index = "0", description = "event-bus address, e.g. piri.db.replicator")
  String address;

  @Parameters(index = "1", description = "action, e.g. ping")
  String action;

  @Parameters(index = "2", arity = "0..1", description = "request body as JSON, or - to read it from stdin")
  String body;

  @Option(names = "--bridge", description = "HOST:PORT of the bridge (default: from --config)")
  String bridge;

  @Option(names = "--config", description = "configuration file to take the bridge address from (default: ${DEFAULT-VALUE})",
      defaultValue = "conf/piri-db.json")
  Path config;

  @Option(names = "--timeout", description = "seconds to wait for the reply (default: ${DEFAULT-VALUE})", defaultValue = "35")
  int timeoutSeconds;

  @Option(names = "--verbose", description = "print stack traces of failures")
  boolean verbose;

  @Override
  public Integer call() throws Exception {
    if (timeoutSeconds < 1) throw new ExitException(ExitException.BAD_CONFIG, "--timeout: must be at least 1 second");
    JsonObject request = parseBody();
    String[] hostPort = bridgeAddress();
    try (BridgeClient client = new BridgeClient(hostPort[0], Integer.parseInt(hostPort[1]), timeoutSeconds * 1000)) {
      System.out.println(client.request(address, action, request).encode());
      return 0;
    } catch (BridgeClient.Failure f) {
      System.err.println(f.toJson().encode());
      return ExitException.REQUEST_FAILED;
    } catch (IOException e) {
      throw new ExitException(ExitException.FAILED,
          "cannot reach the bridge at " + hostPort[0] + ":" + hostPort[1] + ": " + e.getMessage());
    }
  }

  private JsonObject parseBody() throws IOException {
    if (body == null) return new JsonObject();
    String text = body.equals("-") ? new String(System.in.readAllBytes(), StandardCharsets.UTF_8) : body;
    try {
      return new JsonObject(text);
    } catch (DecodeException | ClassCastException e) {
      throw new ExitException(ExitException.BAD_CONFIG, "JSON: the request body must be a JSON object: " + e.getMessage());
    }
  }

  private String[] bridgeAddress() throws IOException {
    BridgeAddress at = BridgeAddress.resolve(bridge, config);
    return new String[] {at.host(), String.valueOf(at.port())};
  }
}
