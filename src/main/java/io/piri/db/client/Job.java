package io.piri.db.client;

import io.vertx.core.json.JsonObject;
import java.util.Base64;

/** A claimed job: its payload, attempt and the receipt of this claim. */
public record Job(
    String queue,
    long id,
    String name,
    Object payload,
    byte[] payloadBytes,
    int attempt,
    int maxAttempts,
    long enqueuedAt,
    String receipt,
    long visibleAt) {

  /** The JSON payload as an object (fails if the payload is not a JSON object). */
  public JsonObject json() {
    return (JsonObject) payload;
  }

  public boolean isLastAttempt() {
    return attempt >= maxAttempts;
  }

  static Job from(String queue, JsonObject j) {
    String b64 = j.getString("payload_base64");
    return new Job(queue, j.getLong("id"), j.getString("name"),
        b64 == null ? j.getValue("payload") : null,
        b64 == null ? null : Base64.getDecoder().decode(b64),
        j.getInteger("attempt"), j.getInteger("max_attempts"), j.getLong("enqueued_at"),
        j.getString("receipt"), j.getLong("visible_at", 0L));
  }
}
