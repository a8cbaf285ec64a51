package io.piri.db.cli;

import io.piri.db.bus.Request;
import io.vertx.core.json.JsonObject;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

/**
 * A small blocking client of the TCP event-bus bridge for the command line: frames are a 4-byte
 * big-endian length followed by that many bytes of JSON. Every request says who sent it (headers
 * {@code actor}: the OS user, {@code via}: cli), for the stores' audit rows.
 */
public final class BridgeClient implements StoreRequests {
  private static final JsonObject WHO = who(System.getProperty("user.name"));

  /** Its own reply address: an address another bridge connection registered is refused as one. */
  private final String replyAddress = "piri-db.cli." + java.util.UUID.randomUUID();

  private final Socket socket;
  private final DataInputStream in;
  private final DataOutputStream out;

  /** A request that the server answered with a failure. */
  public static final class Failure extends Exception {
    public final int code;
    public final String error;
    public final String detail;

    Failure(int code, String error, String detail) {
      super(error + ": " + detail);
      this.code = code;
      this.error = error;
      this.detail = detail;
    }

    public JsonObject toJson() {
      return new JsonObject().put("code", code).put("error", error).put("message", detail);
    }
  }

  public BridgeClient(String host, int port, int timeoutMs) throws IOException {
    socket = new Socket();
    socket.connect(new InetSocketAddress(host, port), timeoutMs);
    socket.setSoTimeout(timeoutMs);
    in = new DataInputStream(socket.getInputStream());
    out = new DataOutputStream(socket.getOutputStream());
  }

  @Override
  public JsonObject request(String address, String action, JsonObject body) throws IOException, Failure {
    JsonObject frame = new JsonObject()
        .put("type", "send")
        .put("address", address)
        .put("replyAddress", replyAddress)
        .put("headers", WHO.copy().put("action", action))
        .put("body", body);
    write(frame);
    JsonObject reply;
    try {
      reply = read();
    } catch (SocketTimeoutException e) {
      throw new Failure(503, "unavailable", "no reply from " + address + " in time");
    }
    if ("message".equals(reply.getString("type"))) {
      Object b = reply.getValue("body");
      return b instanceof JsonObject j ? j : new JsonObject().put("body", b);
    }
    throw failure(address, reply);
  }

  /** The actor headers of this process; a user name a store would refuse as one is left out. */
  static JsonObject who(String user) {
    JsonObject h = new JsonObject().put(Request.VIA_HEADER, "cli");
    if (user != null && !user.isEmpty() && user.length() <= Request.MAX_ACTOR_CHARS && user.chars().allMatch(c -> c >= 0x20)) {
      h.put(Request.ACTOR_HEADER, user);
    }
    return h;
  }

  public void write(JsonObject frame) throws IOException {
    byte[] bytes = frame.encode().getBytes(StandardCharsets.UTF_8);
    out.writeInt(bytes.length);
    out.write(bytes);
    out.flush();
  }

  public JsonObject read() throws IOException {
    int len;
    try {
      len = in.readInt();
    } catch (EOFException e) {
      throw new IOException("the bridge closed the connection");
    }
    byte[] bytes = new byte[len];
    in.readFully(bytes);
    return new JsonObject(new String(bytes, StandardCharsets.UTF_8));
  }

  private static Failure failure(String address, JsonObject reply) {
    String message = reply.getString("message", "");
    Integer code = reply.getInteger("failureCode");
    if (message.startsWith("access_denied")) {
      return new Failure(400, "invalid_argument", "address '" + address + "' is not permitted on the bridge"
          + (message.length() > "access_denied".length() ? " (" + message + ")" : ""));
    }
    if (code == null || code < 0) {
      // NO_HANDLERS or TIMEOUT on the server side: no store answered.
      return new Failure(503, "unavailable", "no store answered at '" + address + "'" + (message.isEmpty() ? "" : " (" + message + ")"));
    }
    int colon = message.indexOf(": ");
    String error = colon > 0 ? message.substring(0, colon) : "internal";
    String detail = colon > 0 ? message.substring(colon + 2) : message;
    return new Failure(code, error, detail);
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
