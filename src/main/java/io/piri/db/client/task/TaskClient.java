package io.piri.db.client.task;

import io.piri.db.core.Clock;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Piri's task engine for a Vert.x verticle, over the event bus only (docs/task-engine.md):
 * <pre>{@code
 * TaskClient tasks = new TaskClient(vertx, new TaskClientOptions().sessionName("pdp"))
 *     .register("PDPProve", 2, id -> prove(id).map(v -> Outcome.done()));
 * tasks.start();            // opens a session, heartbeats it, claims with long polls
 * ...
 * tasks.stop(Duration.ofSeconds(5)); // finishes running handlers, then releases the rest
 * }</pre>
 * Everything runs on the context that calls {@link #start}.
 */
public final class TaskClient {
  private final Vertx vertx;
  private final Clock clock;
  private final TaskClientOptions options;
  private final Map<String, Registration> registrations = new LinkedHashMap<>();
  private final List<TypeRunner> runners = new ArrayList<>();
  private Context ctx;
  private SessionKeeper session;
  private boolean started;

  private record Registration(int concurrency, TaskHandler handler) {}

  public TaskClient(Vertx vertx, TaskClientOptions options) {
    this(vertx, Clock.system(vertx), options);
  }

  /** A client whose heartbeats, retry waits, reported work times and stop deadline follow {@code clock}. */
  public TaskClient(Vertx vertx, Clock clock, TaskClientOptions options) {
    this.vertx = vertx;
    this.clock = clock;
    this.options = options;
  }

  /** Runs tasks of {@code type} with {@code handler}, at most {@code concurrency} at once. Before {@link #start}. */
  public TaskClient register(String type, int concurrency, TaskHandler handler) {
    if (started) throw new IllegalStateException("register task types before start()");
    if (concurrency < 1 || concurrency > 1000) throw new IllegalArgumentException("concurrency must be 1..1000");
    if (registrations.putIfAbsent(type, new Registration(concurrency, handler)) != null) {
      throw new IllegalArgumentException("task type " + type + " is registered already");
    }
    return this;
  }

  /** Opens the session and starts claiming; fails if the session cannot be opened. */
  public Future<Void> start() {
    if (started) throw new IllegalStateException("already started");
    started = true;
    ctx = vertx.getOrCreateContext();
    Promise<Void> p = Promise.promise();
    ctx.runOnContext(v -> {
      SchedulerBus bus = new SchedulerBus(vertx, options.address(), options.requestTimeoutMs());
      session = new SessionKeeper(clock, bus, options, this::kickAll);
      registrations.forEach((type, r) -> runners.add(new TypeRunner(type, r.concurrency(), r.handler(), ctx, clock, bus, session, options)));
      session.open().onSuccess(id -> kickAll()).<Void>mapEmpty().onComplete(p);
    });
    return p.future();
  }

  /** The current session id (null before start, after stop, or while a lost session is being replaced). */
  public String session() {
    return session == null ? null : session.id();
  }

  /**
   * Stops claiming, waits up to {@code deadline} for running handlers to finish and their outcomes
   * to be recorded, then closes the session: tasks still held go back to runnable for others.
   */
  public Future<Void> stop(Duration deadline) {
    if (ctx == null) return Future.succeededFuture();
    Promise<Void> p = Promise.promise();
    ctx.runOnContext(v -> {
      List<Future<Void>> idle = new ArrayList<>();
      for (TypeRunner r : runners) idle.add(r.stop());
      Future<Void> all = Future.all(idle).mapEmpty();
      Future<Void> timeout = clock.timer(Math.max(1, deadline.toMillis()));
      Future.any(all, timeout).compose(x -> {
        for (TypeRunner r : runners) r.abandon();
        return session.close();
      }).onComplete(p);
    });
    return p.future();
  }

  private void kickAll() {
    for (TypeRunner r : runners) r.kick();
  }
}
