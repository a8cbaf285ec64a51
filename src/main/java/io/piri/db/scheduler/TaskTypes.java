package io.piri.db.scheduler;

import io.piri.db.bus.BusException;
import io.piri.db.config.TaskTypeConfig;
import java.time.Duration;
import java.util.Map;

/** The task types of {@code scheduler.task_types}: the only names a task may have. */
record TaskTypes(Map<String, TaskTypeConfig> types) {
  /** The type named {@code name}, or a 400 naming {@code field}. */
  TaskTypeConfig require(String field, String name) {
    TaskTypeConfig t = types.get(name);
    if (t == null) {
      throw BusException.invalid("field '" + field + "': unknown task type '" + name + "' (configured: "
          + String.join(", ", types.keySet()) + ")");
    }
    return t;
  }

  /**
   * The settings of a stored task's type. A task whose type was removed from the configuration
   * after it was added still completes, with the defaults: never dropped, default backoff, no limit.
   */
  TaskTypeConfig settings(String name) {
    TaskTypeConfig t = types.get(name);
    return t != null ? t : new TaskTypeConfig(name, 0, Duration.ZERO, 0);
  }

  Iterable<String> names() {
    return types.keySet();
  }
}
