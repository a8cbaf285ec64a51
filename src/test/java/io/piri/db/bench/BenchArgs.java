package io.piri.db.bench;

import io.piri.db.config.BackendType;
import java.util.List;

/** The arguments of scripts/bench and of a scenario run alone: the backends to run on, and whether quick. */
record BenchArgs(List<BackendType> backends, boolean quick) {
  static final String USAGE = "[--backend sqlite|postgres|both] [--quick]";

  /** The arguments in {@code args}; an IllegalArgumentException says what is wrong with them. */
  static BenchArgs parse(String[] args) {
    String backend = "both";
    boolean quick = false;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--quick" -> quick = true;
        case "--backend" -> backend = i + 1 < args.length ? args[++i] : "";
        default -> throw new IllegalArgumentException("unknown argument '" + args[i] + "'");
      }
    }
    return switch (backend) {
      case "both" -> new BenchArgs(List.of(BackendType.values()), quick);
      case "sqlite", "postgres" -> new BenchArgs(List.of(BackendType.parse(backend)), quick);
      default -> throw new IllegalArgumentException("--backend must be sqlite, postgres or both");
    };
  }
}
