package io.piri.db.console;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * The console's files, from {@code console/} inside the jar: read once (on a worker thread), kept
 * in memory with an ETag, served with a strict Content-Security-Policy (this origin only: no CDN,
 * no inline script).
 */
final class Assets {
  private static final Pattern NAME = Pattern.compile("[a-z0-9_-]+(/[a-z0-9_-]+)*\\.(html|js|css|svg|png|ico)");
  private static final Map<String, String> TYPES = Map.of("html", "text/html; charset=utf-8",
      "js", "text/javascript; charset=utf-8", "css", "text/css; charset=utf-8", "svg", "image/svg+xml",
      "png", "image/png", "ico", "image/x-icon");
  static final String CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
      + "connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

  private record Asset(Buffer bytes, String etag, String type) {}

  private static final Asset MISSING = new Asset(null, null, null);

  private final Vertx vertx;
  private final Map<String, Asset> cache = new ConcurrentHashMap<>();

  Assets(Vertx vertx) {
    this.vertx = vertx;
  }

  /** {@code name} relative to the console's root; "" is index.html. */
  void serve(RoutingContext ctx, String name) {
    String file = name.isEmpty() ? "index.html" : name;
    if (!NAME.matcher(file).matches()) {
      ctx.response().setStatusCode(404).end();
      return;
    }
    load(file).onComplete(ar -> {
      Asset a = ar.succeeded() ? ar.result() : MISSING;
      if (a == MISSING) {
        ctx.response().setStatusCode(404).end();
        return;
      }
      var r = ctx.response().putHeader("Content-Type", a.type()).putHeader("ETag", a.etag())
          .putHeader("Cache-Control", "no-cache").putHeader("X-Content-Type-Options", "nosniff")
          .putHeader("Content-Security-Policy", CSP).putHeader("Referrer-Policy", "same-origin")
          .putHeader("X-Frame-Options", "DENY");
      if (a.etag().equals(ctx.request().getHeader("If-None-Match"))) {
        r.setStatusCode(304).end();
      } else {
        r.end(a.bytes());
      }
    });
  }

  private Future<Asset> load(String file) {
    Asset cached = cache.get(file);
    if (cached != null) return Future.succeededFuture(cached);
    return vertx.executeBlocking(() -> {
      try (InputStream in = Assets.class.getClassLoader().getResourceAsStream("console/" + file)) {
        if (in == null) return MISSING;
        byte[] bytes = in.readAllBytes();
        String etag = "\"" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes), 0, 16) + "\"";
        return new Asset(Buffer.buffer(bytes), etag, TYPES.get(file.substring(file.lastIndexOf('.') + 1)));
      } catch (IOException e) {
        return MISSING;
      }
    }).onSuccess(a -> cache.put(file, a));
  }
}
