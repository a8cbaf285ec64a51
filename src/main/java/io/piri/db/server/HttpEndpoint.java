package io.piri.db.server;

import io.piri.db.config.PiriConfig;
import io.piri.db.console.Console;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.healthchecks.CheckResult;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.logging.Logger;

/**
 * {@code http.host:http.port}: GET /health (200 or 503, JSON), GET /metrics (Prometheus text)
 * and, unless {@code console.enabled} is false, the operator console under {@code
 * console.prefix}. A port that cannot be bound is logged and skipped: the endpoint only
 * observes, and a node that cannot publish metrics still serves Piri.
 */
final class HttpEndpoint {
  private static final Logger LOG = Logger.getLogger(HttpEndpoint.class.getName());
  private static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

  private final Vertx vertx;
  private final NodeMetrics metrics;
  private final NodeHealth health;
  private HttpServer server;
  private Console console;

  private HttpEndpoint(Vertx vertx, NodeMetrics metrics) {
    this.vertx = vertx;
    this.metrics = metrics;
    this.health = new NodeHealth(vertx);
  }

  /** Starts the endpoint; {@code http.port} 0 turns it off. Never fails the node's start. */
  static Future<HttpEndpoint> start(Vertx vertx, PiriConfig config, NodeMetrics metrics) {
    HttpEndpoint endpoint = new HttpEndpoint(vertx, metrics);
    if (config.http().port() == 0) return Future.succeededFuture(endpoint);
    Router router = Router.router(vertx);
    router.route("/health").handler(ctx -> endpoint.getOnly(ctx, endpoint::health));
    router.route("/metrics").handler(ctx -> endpoint.getOnly(ctx, endpoint::metrics));
    Future<Void> consoleUp = !config.console().enabled() ? Future.succeededFuture()
        : Console.start(vertx, config, router, metrics.registry(), () -> endpoint.health.check().map(CheckResult::toJson))
            .map(c -> {
              endpoint.console = c;
              return null;
            });
    router.route().last().handler(ctx -> ctx.response().setStatusCode(404).end());
    HttpServer s = vertx.createHttpServer(new HttpServerOptions().setMaxInitialLineLength(4096).setMaxHeaderSize(8192));
    s.requestHandler(router);
    return consoleUp.compose(v -> s.listen(config.http().port(), config.http().host()))
        .map(bound -> {
          endpoint.server = bound;
          return endpoint;
        })
        .recover(e -> {
          LOG.severe("http: cannot listen on " + config.http().host() + ":" + config.http().port() + " (" + e.getMessage()
              + "); /health, /metrics and the console are off, the stores keep serving");
          return endpoint.closeConsole().map(endpoint);
        });
  }

  /** The bound port (tests bind port numbers picked free); -1 when not listening. */
  int port() {
    return server == null ? -1 : server.actualPort();
  }

  /** The console, or null when it is off. */
  Console console() {
    return console;
  }

  Future<Void> close() {
    Future<Void> closed = server == null ? Future.succeededFuture() : server.close();
    return closed.transform(ar -> closeConsole());
  }

  private Future<Void> closeConsole() {
    Console c = console;
    console = null;
    return c == null ? Future.succeededFuture() : c.close().recover(e -> Future.succeededFuture());
  }

  private void getOnly(RoutingContext ctx, java.util.function.Consumer<RoutingContext> handler) {
    if (ctx.request().method() != HttpMethod.GET && ctx.request().method() != HttpMethod.HEAD) {
      ctx.response().setStatusCode(405).putHeader("Allow", "GET").end();
    } else {
      handler.accept(ctx);
    }
  }

  private void health(RoutingContext ctx) {
    health.check().onComplete(ar -> {
      CheckResult r = ar.succeeded() ? ar.result() : CheckResult.from("piri-db", ar.cause());
      boolean up = CheckResult.isUp(r);
      JsonObject body = r.toJson();
      ctx.response().setStatusCode(up ? 200 : 503).putHeader("Content-Type", "application/json").end(body.encode());
    });
  }

  private void metrics(RoutingContext ctx) {
    metrics.scrape(vertx).onComplete(ar -> {
      if (ar.failed()) {
        ctx.response().setStatusCode(500).end();
        return;
      }
      ctx.response().putHeader("Content-Type", PROMETHEUS_TEXT).end(ar.result());
    });
  }
}
