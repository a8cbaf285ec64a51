package io.piri.db.support;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Ports for the servers a test starts. A port the kernel picks ({@code new ServerSocket(0)}) comes
 * from its ephemeral range, where between the pick and the server's bind it may go to another
 * test JVM's pick or to any outgoing connection (to PostgreSQL, to a cluster member): the bind
 * then fails. These come from below that range (from 10 000), from a slice of their own per test
 * JVM ({@code piri.test.fork}, set by the build), one after another, each checked free.
 */
final class FreePorts {
  private static final int FIRST = 10_000;
  private static final int SLICE = 5_000;
  private static final int SLICES = 4;
  private static final int BASE = FIRST + SLICE * ((Integer.getInteger("piri.test.fork", 1) - 1) % SLICES);
  private static final AtomicInteger NEXT = new AtomicInteger(ThreadLocalRandom.current().nextInt(SLICE));

  private FreePorts() {}

  static int next() {
    for (int tries = 0; tries < SLICE; tries++) {
      int port = BASE + Math.floorMod(NEXT.getAndIncrement(), SLICE);
      try (ServerSocket s = new ServerSocket(port, 1, InetAddress.getByName("0.0.0.0"))) {
        return port;
      } catch (IOException inUse) {
        // the next one
      }
    }
    throw new IllegalStateException("no free port in " + BASE + ".." + (BASE + SLICE - 1));
  }
}
