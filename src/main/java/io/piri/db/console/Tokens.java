package io.piri.db.console;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.file.FileProps;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The node's view of its {@link TokenFile}: looked up by hash, read again whenever the file's
 * modification time or size changed, so that {@code token create} and {@code token revoke} take
 * effect on a running node at its next request. The check is one asynchronous stat.
 */
final class Tokens {
  private final Vertx vertx;
  private final TokenFile file;
  private Map<String, TokenFile.Entry> byHash = Map.of();
  private String seen = "";

  Tokens(Vertx vertx, TokenFile file) {
    this.vertx = vertx;
    this.file = file;
  }

  /** The entry of a presented token, or null. */
  Future<TokenFile.Entry> lookup(String token) {
    return byHash(TokenFile.sha256(token));
  }

  /** The entry with this hash, or null (a revoked token, a token of another node). */
  Future<TokenFile.Entry> byHash(String sha256) {
    return refresh().map(v -> byHash.get(sha256));
  }

  Future<List<TokenFile.Entry>> all() {
    return refresh().map(v -> List.copyOf(byHash.values()));
  }

  Future<Boolean> revoke(String name) {
    return vertx.executeBlocking(() -> file.revoke(name));
  }

  private Future<Void> refresh() {
    String path = file.path().toString();
    return vertx.fileSystem().exists(path).compose(exists -> {
      if (!exists) {
        byHash = Map.of();
        seen = "";
        return Future.succeededFuture();
      }
      return vertx.fileSystem().props(path).compose(props -> {
        String stamp = stamp(props);
        if (stamp.equals(seen)) return Future.succeededFuture();
        return vertx.executeBlocking(file::list).map(entries -> {
          Map<String, TokenFile.Entry> next = new HashMap<>();
          entries.forEach(e -> next.put(e.sha256(), e));
          byHash = next;
          seen = stamp;
          return null;
        });
      });
    });
  }

  private static String stamp(FileProps p) {
    return p.lastModifiedTime() + "/" + p.size() + "/" + p.creationTime();
  }
}
