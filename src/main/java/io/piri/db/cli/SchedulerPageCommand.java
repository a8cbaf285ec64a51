package io.piri.db.cli;

import io.vertx.core.json.JsonObject;
import picocli.CommandLine.Option;

/** A Scheduler read that answers a page of rows at a time; {@code --after} names the next page. */
abstract class SchedulerPageCommand extends SchedulerReadCommand {
  @Option(names = "--limit", description = "rows, 1..1000 (default: ${DEFAULT-VALUE})", defaultValue = "50") int limit;

  @Override
  void validate() {
    checkLimit(limit);
  }

  /** A page's request: the limit, and the cursor under {@code afterKey} when there is one. */
  final JsonObject page(String afterKey, Object after) {
    JsonObject b = new JsonObject().put("limit", limit);
    if (after != null) b.put(afterKey, after);
    return b;
  }
}
