package io.piri.db.datadir;

import io.piri.db.core.ExitException;
import io.piri.db.config.ConfigKeys;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;

/**
 * An exclusive OS lock on {@code <data_dir>/piri-db.lock}, held while the server runs, so that
 * only one process owns the SQLite files. The file names the holder for the refusal message.
 */
public final class DataDirLock implements AutoCloseable {
  public static final String FILE = "piri-db.lock";

  private final FileChannel channel;
  private final FileLock lock;

  private DataDirLock(FileChannel channel, FileLock lock) {
    this.channel = channel;
    this.lock = lock;
  }

  public static DataDirLock acquire(Path dataDir) {
    Path file = dataDir.resolve(FILE);
    FileChannel ch;
    try {
      Files.createDirectories(dataDir);
      ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
    } catch (IOException e) {
      throw new ExitException(ExitException.BAD_CONFIG,
          ConfigKeys.DATA_DIR + ": cannot use '" + dataDir + "': " + describe(e));
    }
    FileLock lock;
    try {
      lock = ch.tryLock();
    } catch (OverlappingFileLockException e) {
      lock = null;
    } catch (IOException e) {
      close(ch);
      throw new ExitException(ExitException.BAD_CONFIG, ConfigKeys.DATA_DIR + ": cannot lock '" + file + "': " + describe(e));
    }
    if (lock == null) {
      String holder = readHolder(file);
      close(ch);
      throw new ExitException(ExitException.BAD_CONFIG,
          ConfigKeys.DATA_DIR + ": '" + dataDir + "' is in use by another piri-db (" + holder + ")");
    }
    try {
      ch.truncate(0);
      ch.write(ByteBuffer.wrap(holderLine().getBytes(StandardCharsets.UTF_8)), 0);
      ch.force(false);
    } catch (IOException e) {
      close(ch);
      throw new ExitException(ExitException.BAD_CONFIG, ConfigKeys.DATA_DIR + ": cannot write '" + file + "': " + describe(e));
    }
    return new DataDirLock(ch, lock);
  }

  @Override
  public void close() {
    try {
      lock.release();
    } catch (IOException ignored) {
      // the channel close below releases it as well
    }
    close(channel);
  }

  private static String holderLine() {
    String host;
    try {
      host = InetAddress.getLocalHost().getHostName();
    } catch (IOException e) {
      host = "unknown host";
    }
    return "pid " + ProcessHandle.current().pid() + " on " + host + " since " + Instant.now() + "\n";
  }

  private static String readHolder(Path file) {
    try {
      String s = Files.readString(file, StandardCharsets.UTF_8).trim();
      return s.isEmpty() ? "holder unknown" : s;
    } catch (IOException e) {
      return "holder unknown";
    }
  }

  private static String describe(IOException e) {
    String kind = e.getClass().getSimpleName().replace("Exception", "");
    return (kind.isEmpty() ? "" : kind + " ") + e.getMessage();
  }

  private static void close(FileChannel ch) {
    try {
      ch.close();
    } catch (IOException ignored) {
      // nothing left to release
    }
  }
}
