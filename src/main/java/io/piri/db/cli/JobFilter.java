package io.piri.db.cli;

import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import picocli.CommandLine.Option;

/** The filter flags that {@code search} and {@code bulk start} share, under the stores' names. */
final class JobFilter {
  @Option(names = "--name", description = "only jobs of this name") String name;

  @Option(names = "--error-prefix", description = "only jobs whose last error starts with this text (1..128 characters)") String errorPrefix;

  @Option(names = "--from", description = "enqueued (dead letters: failed) at or after: epoch ms or an ISO instant such as 2026-11-25T10:00:00Z") String from;

  @Option(names = "--to", description = "enqueued (dead letters: failed) at or before: epoch ms or an ISO instant") String to;

  /** Adds the flags given to {@code out}; a time that is neither form exits 2 naming its flag. */
  JsonObject addTo(JsonObject out) {
    if (name != null) out.put("name", name);
    if (errorPrefix != null) out.put("error_prefix", errorPrefix);
    if (from != null) out.put("from", time("--from", from));
    if (to != null) out.put("to", time("--to", to));
    return out;
  }

  private static long time(String flag, String text) {
    if (text.matches("[0-9]{1,18}")) return Long.parseLong(text);
    try {
      return Instant.parse(text).toEpochMilli();
    } catch (DateTimeParseException e) {
      throw BridgeCommand.badFlag(flag + ": must be epoch milliseconds or an ISO instant such as 2026-11-25T10:00:00Z, got '" + text + "'");
    }
  }
}
