package io.piri.db.console;

import io.piri.db.config.PiriConfig;
import io.vertx.core.Handler;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.CookieSameSite;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;
import java.net.URI;
import java.net.URISyntaxException;

/**
 * Who may do what, enforced in the server: every API request is first identified (a bearer
 * token, else a login cookie, else anonymous), then checked against the role its route needs,
 * then, if it changes anything, against its origin (CSRF). Tokens and session ids are never
 * logged or echoed.
 */
final class Auth {
  static final String COOKIE = "piri_console";
  private static final String PRINCIPAL = "piri.console.principal";

  private final Tokens tokens;
  private final Sessions sessions;
  private final PiriConfig.Console config;

  Auth(Tokens tokens, Sessions sessions, PiriConfig.Console config) {
    this.tokens = tokens;
    this.sessions = sessions;
    this.config = config;
  }

  static Principal principal(RoutingContext ctx) {
    Principal p = ctx.get(PRINCIPAL);
    return p == null ? Principal.ANONYMOUS : p;
  }

  /** Resolves the request's principal; a token that is presented but unknown is a 401 at once. */
  void identify(RoutingContext ctx) {
    String header = ctx.request().getHeader("Authorization");
    if (header != null) {
      if (!header.regionMatches(true, 0, "Bearer ", 0, 7) || header.length() > 512) {
        Api.fail(ctx, new ApiError(401, "unauthenticated", "Authorization must be 'Bearer <token>'"));
        return;
      }
      tokens.lookup(header.substring(7).trim()).onComplete(ar -> {
        if (ar.failed()) {
          Api.fail(ctx, ar.cause());
        } else if (ar.result() == null) {
          Api.fail(ctx, new ApiError(401, "unauthenticated", "unknown or revoked token"));
        } else {
          ctx.put(PRINCIPAL, new Principal(ar.result().name(), ar.result().role(), Principal.Via.BEARER));
          ctx.next();
        }
      });
      return;
    }
    Cookie cookie = ctx.request().getCookie(COOKIE);
    Sessions.Session session = cookie == null ? null : sessions.touch(cookie.getValue());
    if (session == null) {
      ctx.next();
      return;
    }
    tokens.byHash(session.tokenSha256()).onComplete(ar -> {
      if (ar.failed()) {
        Api.fail(ctx, ar.cause());
        return;
      }
      if (ar.result() == null) {
        // The token behind this login was revoked: so is the login.
        sessions.close(cookie.getValue());
      } else {
        ctx.put(PRINCIPAL, new Principal(ar.result().name(), ar.result().role(), Principal.Via.COOKIE));
      }
      ctx.next();
    });
  }

  /** Refuses a request whose principal lacks {@code needed}: 401 without credentials, else 403. */
  Handler<RoutingContext> require(Role needed) {
    return ctx -> {
      Principal p = principal(ctx);
      if (p.anonymous() && (needed != Role.VIEWER || !config.anonymousRead())) {
        Api.fail(ctx, ApiError.unauthenticated());
      } else if (!p.role().allows(needed)) {
        Api.fail(ctx, ApiError.forbidden("this needs the " + needed.id() + " role; '" + p.name() + "' is " + p.role().id()));
      } else {
        ctx.next();
      }
    };
  }

  /**
   * CSRF: a request that changes something must come from a page of this console. A browser
   * sends Origin (or at least Referer) with every POST; a script with a bearer token may send
   * neither, but whatever it does send must match too.
   */
  void checkOrigin(RoutingContext ctx) {
    if (ctx.request().method() == HttpMethod.GET || ctx.request().method() == HttpMethod.HEAD) {
      ctx.next();
      return;
    }
    String origin = ctx.request().getHeader("Origin");
    String referer = ctx.request().getHeader("Referer");
    String claimed = origin != null ? origin : referer != null ? originOf(referer) : null;
    if (claimed == null) {
      if (principal(ctx).via() == Principal.Via.BEARER) {
        ctx.next();
      } else {
        Api.fail(ctx, ApiError.forbidden("a request that changes something must carry Origin or Referer of this console"));
      }
      return;
    }
    var authority = ctx.request().authority();
    String own = (ctx.request().isSSL() ? "https://" : "http://")
        + (authority == null ? "" : authority.host() + (authority.port() > 0 ? ":" + authority.port() : ""));
    if (claimed.equalsIgnoreCase(own) || config.origins().stream().anyMatch(claimed::equalsIgnoreCase)) {
      ctx.next();
    } else {
      Api.fail(ctx, ApiError.forbidden("origin '" + claimed + "' is not this console's (" + own + "); see console.origins"));
    }
  }

  /**
   * The login cookie: HttpOnly (no script reads it), SameSite=Strict (no other site sends it),
   * without Max-Age: the server's session table decides when a login ends.
   */
  static Cookie loginCookie(String sessionId, String prefix) {
    return Cookie.cookie(COOKIE, sessionId).setHttpOnly(true).setSameSite(CookieSameSite.STRICT).setPath(prefix);
  }

  static Cookie expiredCookie(String prefix) {
    return Cookie.cookie(COOKIE, "").setHttpOnly(true).setSameSite(CookieSameSite.STRICT).setPath(prefix).setMaxAge(0);
  }

  private static String originOf(String url) {
    try {
      URI u = new URI(url);
      if (u.getScheme() == null || u.getRawAuthority() == null) return "null";
      return u.getScheme() + "://" + u.getRawAuthority();
    } catch (URISyntaxException e) {
      return "null";
    }
  }
}
