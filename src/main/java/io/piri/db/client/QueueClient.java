package io.piri.db.client;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Base64;
import java.util.List;

/**
 * Typed access to one job-queue store over the event bus (local or clustered): the actions of
 * docs/event-bus.md. Failures arrive as {@link StoreException}.
 */
public final class QueueClient {
  private static final long TIMEOUT_MARGIN_MS = 10_000;

  private final Vertx vertx;
  private final String address;
  private final long timeoutMs;

  /** @param address the store's address, e.g. {@code piri.db.replicator} */
  public QueueClient(Vertx vertx, String address) {
    this(vertx, address, 30_000);
  }

  public QueueClient(Vertx vertx, String address, long timeoutMs) {
    this.vertx = vertx;
    this.address = address;
    this.timeoutMs = timeoutMs;
  }

  public String address() {
    return address;
  }

  /** Enqueues a job with a JSON payload; the id is null when a dedupe rule skipped it. */
  public Future<Long> enqueue(String queue, String name, Object payload) {
    return enqueue(queue, new JsonObject().put("name", name).put("payload", payload));
  }

  public Future<Long> enqueueBytes(String queue, String name, byte[] payload) {
    return enqueue(queue, new JsonObject().put("name", name).put("payload_base64", Base64.getEncoder().encodeToString(payload)));
  }

  /** Enqueues one job given as the protocol's job object (name, payload, delay_ms, dedupe_key). */
  public Future<Long> enqueue(String queue, JsonObject job) {
    return request("enqueue", job.copy().put("queue", queue), 0).map(r -> r.getLong("id"));
  }

  /** Enqueues all jobs or none; ids are null where a dedupe rule skipped a job. */
  public Future<List<Long>> enqueueBatch(String queue, List<JsonObject> jobs) {
    return request("enqueue-batch", new JsonObject().put("queue", queue).put("jobs", new JsonArray(List.copyOf(jobs))), 0)
        .map(r -> r.getJsonArray("ids").stream().map(o -> o == null ? null : ((Number) o).longValue()).toList());
  }

  /** Claims up to {@code max} jobs, waiting up to {@code waitMs} for one; leaseMs 0 = the queue's lease. */
  public Future<List<Job>> claim(String queue, int max, long leaseMs, long waitMs) {
    JsonObject body = new JsonObject().put("queue", queue).put("max", max).put("wait_ms", waitMs);
    if (leaseMs > 0) body.put("lease_ms", leaseMs);
    return request("claim", body, waitMs)
        .map(r -> r.getJsonArray("jobs").stream().map(o -> Job.from(queue, (JsonObject) o)).toList());
  }

  /** Keeps a claimed job invisible for {@code leaseMs} more; returns the new visible_at. */
  public Future<Long> extend(Job job, long leaseMs) {
    return request("extend", ref(job).put("lease_ms", leaseMs), 0).map(r -> r.getLong("visible_at"));
  }

  public Future<Void> complete(Job job) {
    return request("complete", ref(job), 0).mapEmpty();
  }

  /** Completes several jobs of one queue; returns the ids whose claim was no longer current. */
  public Future<List<Long>> completeAll(String queue, List<Job> jobs) {
    JsonArray items = new JsonArray();
    jobs.forEach(j -> items.add(new JsonObject().put("id", j.id()).put("receipt", j.receipt())));
    return request("complete", new JsonObject().put("queue", queue).put("items", items), 0)
        .map(r -> r.getJsonArray("stale").stream().map(o -> ((Number) o).longValue()).toList());
  }

  /** Reports a failed attempt; the reply says whether the job is scheduled again or dead. */
  public Future<JsonObject> fail(Job job, String error, boolean permanent) {
    return request("fail", ref(job).put("error", error).put("permanent", permanent), 0);
  }

  public Future<JsonObject> stats(String queue) {
    return request("stats", queue == null ? new JsonObject() : new JsonObject().put("queue", queue), 0)
        .map(r -> r.getJsonObject("queues"));
  }

  public Future<JsonObject> deadList(String queue, long afterId, int limit) {
    return request("dead-list", new JsonObject().put("queue", queue).put("after_id", afterId).put("limit", limit), 0);
  }

  public Future<Integer> deadRequeueAll(String queue) {
    return request("dead-requeue", new JsonObject().put("queue", queue).put("all", true), 0).map(r -> r.getInteger("requeued"));
  }

  /** Sends any action of the store; for actions without a typed method. */
  public Future<JsonObject> request(String action, JsonObject body, long waitMs) {
    DeliveryOptions opts = new DeliveryOptions().addHeader("action", action).setSendTimeout(timeoutMs + waitMs + TIMEOUT_MARGIN_MS);
    return vertx.eventBus().<JsonObject>request(address, body, opts)
        .transform(ar -> ar.succeeded()
            ? Future.succeededFuture(ar.result().body())
            : Future.failedFuture(StoreException.from(ar.cause())));
  }

  private static JsonObject ref(Job job) {
    return new JsonObject().put("queue", job.queue()).put("id", job.id()).put("receipt", job.receipt());
  }
}
