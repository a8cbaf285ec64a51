package io.piri.db.console;

import io.piri.db.ops.Operation;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.util.ArrayList;
import java.util.List;

/**
 * Every API route with the role it needs, registered in one place so that none can skip the
 * checks: identify, require the role, then (for anything but GET) check the origin. {@code GET
 * /api/routes} lists this table; the tests send every non-GET route without and with a viewer
 * token from it, so a new route cannot be forgotten.
 */
final class RouteTable {
  /** Bodies of the API are small: ids and a filter. */
  static final long MAX_BODY_BYTES = 256 * 1024;

  /**
   * {@code role} null: anyone, even without credentials (logging in, asking who one is);
   * {@code action}: the operator operation the route sends, or null.
   */
  record Spec(HttpMethod method, String path, Role role, String doc, String action) {
    JsonObject toJson() {
      JsonObject out = new JsonObject().put("method", method.name()).put("path", path).put("role", role == null ? "none" : role.id())
          .put("doc", doc);
      if (action != null) out.put("action", action);
      return out;
    }
  }

  private final Router router;
  private final String api;
  private final Auth auth;
  private final List<Spec> specs = new ArrayList<>();

  RouteTable(Router router, String prefix, Auth auth) {
    this.router = router;
    this.api = prefix + "api";
    this.auth = auth;
  }

  void get(String path, Role role, String doc, Handler<RoutingContext> handler) {
    add(HttpMethod.GET, path, role, doc, handler);
  }

  void post(String path, Role role, String doc, Handler<RoutingContext> handler) {
    add(HttpMethod.POST, path, role, doc, handler);
  }

  /**
   * The route of an operator operation, as {@link io.piri.db.ops.Operations} names it: a read for
   * viewers, a change for operators.
   */
  void operation(Operation op, String doc, Handler<RoutingContext> handler) {
    Role role = op.changes() ? Role.OPERATOR : Role.VIEWER;
    register(new Spec(HttpMethod.valueOf(op.method()), "/api" + op.route(), role, doc, op.action()), op.route(), handler);
  }

  private void add(HttpMethod method, String path, Role role, String doc, Handler<RoutingContext> handler) {
    register(new Spec(method, "/api" + path, role, doc, null), path, handler);
  }

  private void register(Spec spec, String path, Handler<RoutingContext> handler) {
    HttpMethod method = spec.method();
    Role role = spec.role();
    specs.add(spec);
    var route = router.route(method, api + path);
    if (method != HttpMethod.GET) route.handler(BodyHandler.create(false).setBodyLimit(MAX_BODY_BYTES));
    route.handler(auth::identify);
    if (role != null) route.handler(auth.require(role));
    route.handler(auth::checkOrigin).handler(handler);
  }

  JsonObject toJson() {
    JsonArray out = new JsonArray();
    specs.forEach(s -> out.add(s.toJson()));
    return new JsonObject().put("routes", out);
  }
}
