package io.piri.db.console;

import io.piri.db.config.PiriConfig;
import io.vertx.core.json.JsonObject;
import java.util.Base64;

/**
 * Payloads are hidden unless {@code console.reveal_payloads} names the queue, or an operator
 * reveals one job: a redacted job keeps the payload's kind and size, so that a reader can still
 * tell an empty payload from a large one.
 */
final class Redaction {
  private final PiriConfig.Console config;

  Redaction(PiriConfig.Console config) {
    this.config = config;
  }

  boolean redacts(String queue) {
    return !config.reveals(queue);
  }

  /** The job as a reader of {@code queue} may see it (a copy when anything was hidden). */
  JsonObject apply(String queue, JsonObject job) {
    if (!redacts(queue)) return job;
    JsonObject out = job.copy();
    if (out.containsKey("payload")) {
      Object p = out.remove("payload");
      out.put("payload_redacted", new JsonObject().put("kind", "json").put("bytes", p == null ? 4 : io.vertx.core.json.Json.encode(p).length()));
    } else if (out.containsKey("payload_base64")) {
      String b = out.getString("payload_base64");
      out.remove("payload_base64");
      out.put("payload_redacted", new JsonObject().put("kind", "bytes").put("bytes", b == null ? 0 : Base64.getDecoder().decode(b).length));
    }
    return out;
  }
}
