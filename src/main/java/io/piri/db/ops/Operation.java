package io.piri.db.ops;

import io.piri.db.core.StoreId;

/**
 * One operator operation and its three front ends: the bus action that does it, the
 * {@code piri-db} command that sends it, and the console route that sends it. {@link Operations}
 * holds every one; {@code ActionParityTest} fails when a front end lacks one.
 *
 * @param action the event-bus action, as the {@code action} header names it
 * @param hosts the stores that answer it
 * @param changes whether it changes stored data (a console route needs the operator role, and the
 *     command cannot run offline)
 * @param cli the command's path below {@code piri-db}, words separated by spaces ("dead requeue")
 * @param method the console route's HTTP method
 * @param route the console route below {@code <prefix>api}, with {@code :param} segments
 */
public record Operation(String action, Hosts hosts, boolean changes, String cli, String method, String route) {
  /** Which stores answer an operation. */
  public enum Hosts {
    QUEUE_STORES, SCHEDULER, EVERY_STORE;

    public boolean hosts(StoreId store) {
      return switch (this) {
        case QUEUE_STORES -> store.holdsQueues();
        case SCHEDULER -> store == StoreId.SCHEDULER;
        case EVERY_STORE -> true;
      };
    }
  }

  /** A read: {@code GET route}. */
  static Operation read(String action, Hosts hosts, String cli, String route) {
    return new Operation(action, hosts, false, cli, "GET", route);
  }

  /** A change: {@code POST route}. */
  static Operation change(String action, Hosts hosts, String cli, String route) {
    return new Operation(action, hosts, true, cli, "POST", route);
  }
}
