package io.piri.db.console;

import io.vertx.core.Future;
import io.vertx.core.http.Cookie;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/**
 * Logins and credentials: who am I, log in with a token (sets the session cookie), log out, and
 * for admins the list of tokens and their revocation. Creating a token is the CLI's, on the
 * node's machine, so a token never travels to a browser.
 */
record AuthApi(Tokens tokens, Sessions sessions, String prefix, boolean anonymousRead) {
  void register(RouteTable t) {
    t.get("/session", null, "who this request is: name, role, how it authenticated", Api.json(this::whoami));
    t.post("/login", null, "{\"token\"}: opens a session and sets its cookie", Api.json(this::login));
    t.post("/logout", null, "ends this session", Api.json(this::logout));
    t.get("/tokens", Role.ADMIN, "this node's tokens: name, role, created_at", Api.json(ctx -> list()));
    t.post("/tokens/revoke", Role.ADMIN, "{\"name\"}: revokes a token and every login made with it", Api.json(this::revoke));
  }

  private Future<JsonObject> whoami(RoutingContext ctx) {
    Principal p = Auth.principal(ctx);
    return Future.succeededFuture(new JsonObject().put("name", p.name()).put("role", p.anonymous() ? null : p.role().id())
        .put("via", p.via().name().toLowerCase(java.util.Locale.ROOT)).put("anonymous_read", anonymousRead));
  }

  private Future<JsonObject> login(RoutingContext ctx) {
    Object token = Api.body(ctx).getValue("token");
    if (!(token instanceof String s) || s.isEmpty() || s.length() > 256) throw ApiError.invalid("field 'token' must be a token string");
    return tokens.lookup(s).map(entry -> {
      if (entry == null) throw new ApiError(401, "unauthenticated", "unknown or revoked token");
      Cookie old = ctx.request().getCookie(Auth.COOKIE);
      if (old != null) sessions.close(old.getValue());
      ctx.response().addCookie(Auth.loginCookie(sessions.open(entry.sha256()), prefix));
      return new JsonObject().put("name", entry.name()).put("role", entry.role().id());
    });
  }

  private Future<JsonObject> logout(RoutingContext ctx) {
    Cookie c = ctx.request().getCookie(Auth.COOKIE);
    if (c != null) sessions.close(c.getValue());
    ctx.response().addCookie(Auth.expiredCookie(prefix));
    return Future.succeededFuture(new JsonObject().put("logged_out", c != null));
  }

  private Future<JsonObject> list() {
    return tokens.all().map(all -> {
      JsonArray out = new JsonArray();
      all.stream().sorted(java.util.Comparator.comparing(TokenFile.Entry::name)).forEach(e -> out.add(e.publicJson()));
      return new JsonObject().put("tokens", out);
    });
  }

  private Future<JsonObject> revoke(RoutingContext ctx) {
    Object name = Api.body(ctx).getValue("name");
    if (!(name instanceof String n)) throw ApiError.invalid("field 'name' must be a token name");
    Principal who = Auth.principal(ctx);
    return tokens.revoke(n).map(done -> {
      if (!done) throw ApiError.notFound("no token named '" + n + "'");
      java.util.logging.Logger.getLogger("io.piri.db.console.audit")
          .info(() -> "console audit: actor=" + who.name() + " role=" + who.role().id() + " action=token-revoke name=" + n);
      return new JsonObject().put("revoked", n);
    });
  }
}
