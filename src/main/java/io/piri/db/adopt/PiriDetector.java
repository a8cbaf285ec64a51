package io.piri.db.adopt;

import io.piri.db.core.ExitException;
import io.piri.db.core.StoreId;
import io.piri.db.config.BackendType;
import io.piri.db.config.ConfigKeys;
import io.piri.db.config.PiriConfig;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * Tells {@code serve} that the stores it was pointed at are still Piri's own databases, before
 * Flyway would meet their tables (and answer with a hint meant for Java programmers). Blocking:
 * it opens the SQLite files, or one connection to PostgreSQL.
 */
public final class PiriDetector {
  private PiriDetector() {}

  /** @throws ExitException (exit 2) naming the Piri stores and {@code piri-db adopt} */
  public static void refuseServe(PiriConfig config) {
    StoreFiles files = Adopter.files(config);
    List<String> piri = new ArrayList<>();
    for (StoreId s : StoreId.values()) {
      try {
        if (PiriLayout.hasPiriTable(s, files.tables(s))) {
          piri.add(config.backend() == BackendType.SQLITE ? s.sqliteFile() : s.id());
        }
      } catch (SQLException e) {
        // unreadable here: opening the store reports it with its own message
        return;
      }
    }
    if (piri.isEmpty()) return;
    String what = config.backend() == BackendType.SQLITE
        ? ConfigKeys.DATA_DIR + " '" + config.dataDir() + "' holds Piri's own databases (" + String.join(", ", piri) + ")"
        : "the schemas " + String.join(", ", piri) + " at " + config.postgres().maskedUrl() + " hold Piri's own tables";
    throw new ExitException(ExitException.BAD_CONFIG, what
        + ", not piri-db stores: stop Piri and run 'piri-db adopt' to convert them (docs/adopting.md); nothing was changed");
  }
}
