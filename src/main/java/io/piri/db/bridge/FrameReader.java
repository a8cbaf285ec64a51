package io.piri.db.bridge;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetSocket;
import io.vertx.core.parsetools.RecordParser;

/**
 * Cuts one connection's bytes into frames: first the 4-byte length, checked against the limit
 * before a byte of the frame is kept, then exactly that many bytes. A frame once begun must be
 * complete within {@code frameTimeoutMs} of reading, or the connection is refused: a client that
 * sends half a frame does not hold its connection for ever. The clock stops while reading is
 * paused (the client then waits for us, not we for it). Confined to the connection's event loop.
 */
final class FrameReader {
  /** Where frames and refusals go. */
  interface Sink {
    void frame(Buffer frame);

    /** The connection must close, for the reason given; the reader has stopped. */
    void refuse(String reason);
  }

  private final Vertx vertx;
  private final NetSocket socket;
  private final int maxFrame;
  private final long frameTimeoutMs;
  private final Sink sink;
  private final RecordParser parser = RecordParser.newFixed(4);
  private boolean expectLength = true;
  private boolean paused;
  private boolean stopped;
  /** Bytes received and bytes handed out as records: a difference is a frame begun. */
  private long received;
  private long consumed;
  private long timer = -1;

  FrameReader(Vertx vertx, NetSocket socket, int maxFrame, long frameTimeoutMs, Sink sink) {
    this.vertx = vertx;
    this.socket = socket;
    this.maxFrame = maxFrame;
    this.frameTimeoutMs = frameTimeoutMs;
    this.sink = sink;
  }

  void start() {
    parser.handler(this::record);
    socket.handler(chunk -> {
      received += chunk.length();
      parser.handle(chunk);
      watch();
    });
  }

  void pause() {
    paused = true;
    parser.pause();
    socket.pause();
    watch();
  }

  void resume() {
    if (stopped) return;
    paused = false;
    socket.resume();
    parser.resume();
    watch();
  }

  /** Reads nothing more. */
  void stop() {
    stopped = true;
    parser.pause();
    socket.pause();
    watch();
  }

  private void record(Buffer buf) {
    if (stopped) return;
    consumed += buf.length();
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
    cancelTimer();
    sink.frame(buf);
  }

  private void refuse(String reason) {
    stop();
    sink.refuse(reason);
  }

  /** Runs the frame clock while a frame is begun and reading goes on; stops it otherwise. */
  private void watch() {
    if (stopped || paused || received == consumed) {
      cancelTimer();
    } else if (timer == -1) {
      timer = vertx.setTimer(frameTimeoutMs, t -> {
        timer = -1;
        refuse("frame_timeout: a frame must arrive whole within " + frameTimeoutMs + " ms (bridge.frame_timeout)");
      });
    }
  }

  private void cancelTimer() {
    if (timer != -1) {
      vertx.cancelTimer(timer);
      timer = -1;
    }
  }
}
