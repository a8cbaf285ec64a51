package io.piri.db.console;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;

/**
 * The console's credentials of one node: {@code <data_dir>/console-tokens.json}. It keeps each
 * token's name, role and SHA-256, never the token: a token is 256 random bits, so a plain hash
 * cannot be reversed by guessing. Changes take a lock file and replace the file atomically, so a
 * running node never reads half a file. Blocking: call it from the CLI or a worker thread.
 */
public final class TokenFile {
  public static final String FILE_NAME = "console-tokens.json";
  private static final String PREFIX = "pdbc_";
  private static final SecureRandom RANDOM = new SecureRandom();

  /** One credential as stored. */
  public record Entry(String name, Role role, String sha256, long createdAt) {
    JsonObject toJson() {
      return new JsonObject().put("name", name).put("role", role.id()).put("sha256", sha256).put("created_at", createdAt);
    }

    /** Name, role and creation time: what may be shown. */
    public JsonObject publicJson() {
      return new JsonObject().put("name", name).put("role", role.id()).put("created_at", createdAt);
    }
  }

  private final Path file;

  public TokenFile(Path dataDir) {
    this.file = dataDir.resolve(FILE_NAME);
  }

  public Path path() {
    return file;
  }

  /** Adds a credential and returns its token, the only time the token exists outside the caller. */
  public String create(String name, Role role) throws IOException {
    checkName(name);
    byte[] raw = new byte[32];
    RANDOM.nextBytes(raw);
    String token = PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
    locked(entries -> {
      if (entries.stream().anyMatch(e -> e.name().equals(name))) {
        throw new IllegalArgumentException("a token named '" + name + "' exists; revoke it first or pick another name");
      }
      entries.add(new Entry(name, role, sha256(token), System.currentTimeMillis()));
      return true;
    });
    return token;
  }

  /** Removes the credential named {@code name}; false when there was none. */
  public boolean revoke(String name) throws IOException {
    return locked(entries -> entries.removeIf(e -> e.name().equals(name)));
  }

  public List<Entry> list() throws IOException {
    if (!Files.exists(file)) return new ArrayList<>();
    JsonObject json;
    try {
      json = new JsonObject(Files.readString(file, StandardCharsets.UTF_8));
    } catch (io.vertx.core.json.DecodeException e) {
      throw new IOException(file + " is not valid JSON");
    }
    List<Entry> out = new ArrayList<>();
    for (Object o : json.getJsonArray("tokens", new JsonArray())) {
      JsonObject t = (JsonObject) o;
      out.add(new Entry(t.getString("name"), Role.parse(t.getString("role")), t.getString("sha256"), t.getLong("created_at", 0L)));
    }
    return out;
  }

  /** The hash the file keeps for {@code token}. */
  public static String sha256(String token) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  static void checkName(String name) {
    if (name == null || !name.matches("[A-Za-z0-9_.-]{1,64}")) {
      throw new IllegalArgumentException("--name must be 1..64 letters, digits and _.-, got '" + name + "'");
    }
  }

  private interface Change {
    boolean apply(List<Entry> entries);
  }

  /** Read, change and replace the file under an exclusive lock (other CLI runs wait). */
  private boolean locked(Change change) throws IOException {
    Files.createDirectories(file.getParent());
    Path lockFile = file.resolveSibling(FILE_NAME + ".lock");
    try (FileChannel ch = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
         FileLock ignored = ch.lock()) {
      List<Entry> entries = list();
      if (!change.apply(entries)) return false;
      JsonArray arr = new JsonArray();
      entries.forEach(e -> arr.add(e.toJson()));
      write(new JsonObject().put("version", 1).put("tokens", arr).encodePrettily());
      return true;
    }
  }

  private void write(String text) throws IOException {
    Path tmp = Files.createTempFile(file.getParent(), FILE_NAME, ".tmp");
    try {
      try {
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
      } catch (UnsupportedOperationException notPosix) {
        // The file keeps hashes only; on a file system without modes the directory's rights apply.
      }
      try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
        ch.write(java.nio.ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)));
        ch.force(true);
      }
      try {
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
      }
    } finally {
      Files.deleteIfExists(tmp);
    }
  }
}
