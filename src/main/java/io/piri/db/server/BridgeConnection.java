package io.piri.db.server;

import io.piri.db.StoreId;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetSocket;
import io.vertx.core.parsetools.RecordParser;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Logger;

/**
 * One bridge client. Frames are read with a fixed-size parser: first the 4-byte length, checked
 * against the limit before a byte of the frame is kept, then exactly that many bytes. Reading
 * pauses while {@link #MAX_IN_FLIGHT_PER_CONNECTION} requests wait for replies or the socket's
 * write queue is full, so one client cannot queue unbounded work or replies in memory.
 */
final class BridgeConnection {
  private static final Logger LOG = Logger.getLogger(BridgeConnection.class.getName());
  static final int MAX_IN_FLIGHT_PER_CONNECTION = 256;
  /** Claims wait up to 30 s in the store; the bus must wait longer than that for their replies. */
  private static final long SEND_TIMEOUT_MS = 40_000;

  private final Vertx vertx;
  private final NetSocket socket;
  private final int maxFrame;
  private final AtomicInteger globalInFlight;
  private final int maxGlobalInFlight;
  private final RecordParser parser;
  private boolean expectLength = true;
  private boolean closed;
  private boolean paused;
  private int inFlight;

  BridgeConnection(Vertx vertx, NetSocket socket, int maxFrame, AtomicInteger globalInFlight, int maxGlobalInFlight) {
    this.vertx = vertx;
    this.socket = socket;
    this.maxFrame = maxFrame;
    this.globalInFlight = globalInFlight;
    this.maxGlobalInFlight = maxGlobalInFlight;
    this.parser = RecordParser.newFixed(4, socket);
  }

  void start() {
    parser.handler(this::record);
    parser.exceptionHandler(e -> socket.close());
    socket.closeHandler(v -> closed = true);
    socket.drainHandler(v -> flow());
  }

  private void record(Buffer buf) {
    if (closed) return;
    if (expectLength) {
      int length = buf.getInt(0);
      if (length <= 0 || length > maxFrame) {
        // Refused on the announcement alone: nothing of the frame is read or kept.
        refuse("frame_too_large: a frame of " + Integer.toUnsignedString(length) + " bytes exceeds the limit of " + maxFrame
            + " bytes (limits.max_body_bytes plus " + Bridge.ENVELOPE_ALLOWANCE + " for the envelope)");
        return;
      }
      expectLength = false;
      parser.fixedSizeMode(length);
      return;
    }
    expectLength = true;
    parser.fixedSizeMode(4);
    JsonObject frame;
    try {
      frame = new JsonObject(buf);
    } catch (RuntimeException | StackOverflowError e) {
      refuse("invalid_frame: the frame is not a JSON object");
      return;
    }
    handle(frame);
  }

  /** Tells the client why, then closes this connection only. */
  private void refuse(String message) {
    closed = true;
    parser.pause();
    LOG.fine(() -> "bridge: closing " + socket.remoteAddress() + ": " + message);
    write(new JsonObject().put("type", "err").put("message", message)).onComplete(ar -> socket.close());
  }

  private void handle(JsonObject frame) {
    Object type = frame.getValue("type");
    if ("ping".equals(type)) {
      write(new JsonObject().put("type", "pong"));
      return;
    }
    if (!"send".equals(type) && !"publish".equals(type)) {
      boolean listen = "register".equals(type) || "unregister".equals(type);
      // A bridge client may never receive store traffic: registering is refused outright.
      write(err(listen ? "access_denied" : "unknown_type"));
      return;
    }
    if (!(frame.getValue("address") instanceof String address)) {
      write(err("missing_address"));
      return;
    }
    if (!permitted(address)) {
      write(err("access_denied"));
      return;
    }
    DeliveryOptions opts = new DeliveryOptions().setSendTimeout(SEND_TIMEOUT_MS);
    if (frame.getValue("headers") != null) {
      if (!(frame.getValue("headers") instanceof JsonObject headers) || !allStrings(headers)) {
        write(err("invalid_headers: headers must be an object of strings"));
        return;
      }
      headers.forEach(h -> opts.addHeader(h.getKey(), (String) h.getValue()));
    }
    Object body = frame.getValue("body");
    Object replyAddress = frame.getValue("replyAddress");
    if ("send".equals(type) && replyAddress instanceof String reply) {
      request(address, body, opts, reply);
      return;
    }
    try {
      if ("send".equals(type)) vertx.eventBus().send(address, body, opts);
      else vertx.eventBus().publish(address, body, opts);
    } catch (RuntimeException e) {
      write(err("invalid_body: " + e.getMessage()));
    }
  }

  private void request(String address, Object body, DeliveryOptions opts, String replyAddress) {
    if (globalInFlight.get() >= maxGlobalInFlight) {
      write(failure(replyAddress, address, 503, "RECIPIENT_FAILURE",
          "unavailable: the bridge has " + maxGlobalInFlight + " requests in flight; retry later"));
      return;
    }
    io.vertx.core.Future<Message<Object>> reply;
    try {
      reply = vertx.eventBus().request(address, body, opts);
    } catch (RuntimeException e) {
      // A body the bus cannot carry (e.g. a bare number too large for a long).
      write(failure(replyAddress, address, 400, "RECIPIENT_FAILURE", "invalid_argument: body must be a JSON object"));
      return;
    }
    inFlight++;
    globalInFlight.incrementAndGet();
    flow();
    reply.onComplete(ar -> {
      inFlight--;
      globalInFlight.decrementAndGet();
      if (ar.succeeded()) {
        JsonObject out = new JsonObject().put("type", "message").put("address", replyAddress).put("send", true)
            .put("body", ar.result().body());
        write(out);
      } else if (ar.cause() instanceof ReplyException re) {
        write(failure(replyAddress, address, re.failureCode(), re.failureType().name(), re.getMessage()));
      } else {
        write(failure(replyAddress, address, 500, "RECIPIENT_FAILURE", "internal: " + ar.cause().getMessage()));
      }
      flow();
    });
  }

  /** Pauses reading while this client has too much in flight or does not read its replies. */
  private void flow() {
    boolean stop = inFlight >= MAX_IN_FLIGHT_PER_CONNECTION || socket.writeQueueFull();
    if (stop && !paused) {
      paused = true;
      parser.pause();
    } else if (!stop && paused && !closed) {
      paused = false;
      parser.resume();
    }
  }

  static boolean permitted(String address) {
    return address.startsWith(StoreId.ADDRESS_PREFIX) && address.length() > StoreId.ADDRESS_PREFIX.length();
  }

  private static boolean allStrings(JsonObject o) {
    for (Map.Entry<String, Object> e : o) if (!(e.getValue() instanceof String)) return false;
    return true;
  }

  private static JsonObject err(String message) {
    return new JsonObject().put("type", "err").put("message", message);
  }

  private static JsonObject failure(String replyAddress, String source, int code, String type, String message) {
    return new JsonObject().put("type", "err").put("address", replyAddress).put("sourceAddress", source)
        .put("failureCode", code).put("failureType", type).put("message", message);
  }

  private io.vertx.core.Future<Void> write(JsonObject frame) {
    if (socket == null) return io.vertx.core.Future.succeededFuture();
    byte[] bytes = frame.encode().getBytes(StandardCharsets.UTF_8);
    return socket.write(Buffer.buffer(bytes.length + 4).appendInt(bytes.length).appendBytes(bytes));
  }
}
