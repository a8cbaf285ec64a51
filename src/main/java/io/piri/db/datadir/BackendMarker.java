package io.piri.db.datadir;

import io.piri.db.core.ExitException;
import io.piri.db.core.StoreId;
import io.piri.db.config.BackendType;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The file {@code <data_dir>/backend} records the backend of the first successful start. It is
 * checked before anything is created, so a start with the other backend changes nothing.
 */
public final class BackendMarker {
  public static final String FILE = "backend";

  private BackendMarker() {}

  public static void check(Path dataDir, BackendType configured) {
    BackendType stored = stored(dataDir);
    if (stored == null && configured == BackendType.POSTGRES && hasSqliteFiles(dataDir)) {
      stored = BackendType.SQLITE;
    }
    if (stored != null && stored != configured) {
      throw new ExitException(ExitException.BACKEND_MISMATCH,
          "data_dir " + dataDir + " holds a " + stored.id() + " node but repo.database.type is " + configured.id()
              + "; the backend cannot be switched (data is not migrated): set repo.database.type back to "
              + stored.id() + ", or use a new repo.data_dir");
    }
  }

  public static void record(Path dataDir, BackendType backend) {
    try {
      Files.writeString(dataDir.resolve(FILE), backend.id() + "\n", StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The backend recorded in {@code dataDir}, or null when none is. */
  public static BackendType stored(Path dataDir) {
    Path marker = dataDir.resolve(FILE);
    if (!Files.isRegularFile(marker)) return null;
    try {
      return BackendType.parse(Files.readString(marker, StandardCharsets.UTF_8).trim());
    } catch (IOException | IllegalArgumentException e) {
      throw new ExitException(ExitException.FAILED, "cannot read the backend marker " + marker + ": " + e.getMessage());
    }
  }

  private static boolean hasSqliteFiles(Path dataDir) {
    for (StoreId s : StoreId.values()) {
      if (Files.exists(dataDir.resolve(s.sqliteFile()))) return true;
    }
    return false;
  }
}
