package io.piri.db.cli;

import io.piri.db.ops.Operation;
import picocli.CommandLine.Option;

/** A Scheduler read that answers a page of rows at a time; {@code --after} names the next page. */
abstract class SchedulerPageCommand extends SchedulerReadCommand {
  @Option(names = "--limit", description = "rows, 1..1000 (default: ${DEFAULT-VALUE})", defaultValue = "50")
  int limit;

  SchedulerPageCommand(Operation operation) {
    super(operation);
  }

  @Override
  void validate() {
    checkLimit(limit);
  }
}
