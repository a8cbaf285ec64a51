package io.piri.db.client.task;

/** Settings of a {@link TaskClient}; the defaults suit a Piri node. */
public final class TaskClientOptions {
  private String address = "piri.db.scheduler";
  private String sessionName = "";
  private long ttlMs = 30_000;
  private long claimWaitMs = 20_000;
  private long requestTimeoutMs = 30_000;

  public String address() {
    return address;
  }

  /** The scheduler store's event-bus address. */
  public TaskClientOptions address(String address) {
    this.address = address;
    return this;
  }

  public String sessionName() {
    return sessionName;
  }

  /** A label stored with the session, for operators. */
  public TaskClientOptions sessionName(String name) {
    this.sessionName = name;
    return this;
  }

  public long ttlMs() {
    return ttlMs;
  }

  /** How long the session outlives a missed heartbeat (the client heartbeats every ttl/3). */
  public TaskClientOptions ttlMs(long ttlMs) {
    this.ttlMs = ttlMs;
    return this;
  }

  public long claimWaitMs() {
    return claimWaitMs;
  }

  /** How long one long-poll claim waits on the server (0..30000). */
  public TaskClientOptions claimWaitMs(long waitMs) {
    this.claimWaitMs = waitMs;
    return this;
  }

  public long requestTimeoutMs() {
    return requestTimeoutMs;
  }

  /** Event-bus timeout of requests other than claim (a claim gets its wait on top). */
  public TaskClientOptions requestTimeoutMs(long ms) {
    this.requestTimeoutMs = ms;
    return this;
  }
}
