package io.piri.db.server;

import io.piri.db.config.PiriConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.healthchecks.CheckResult;
import java.util.logging.Logger;

/**
 * {@code http.host:http.port}: GET /health (200 or 503, JSON) and GET /metrics (Prometheus
 * text). Two fixed paths need no router. A port that cannot be bound is logged and skipped: the
 * endpoint only observes, and a node that cannot publish metrics still serves Piri.
 */
final class HttpEndpoint {
  private static final Logger LOG = Logger.getLogger(HttpEndpoint.class.getName());
  private static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

  private final Vertx vertx;
  private final NodeMetrics metrics;
  private final NodeHealth health;
  private HttpServer server;

  private HttpEndpoint(Vertx vertx, NodeMetrics metrics) {
    this.vertx = vertx;
    this.metrics = metrics;
    this.health = new NodeHealth(vertx);
  }

  /** Starts the endpoint; {@code http.port} 0 turns it off. Never fails the node's start. */
  static Future<HttpEndpoint> start(Vertx vertx, PiriConfig config, NodeMetrics metrics) {
    HttpEndpoint endpoint = new HttpEndpoint(vertx, metrics);
    if (config.http().port() == 0) return Future.succeededFuture(endpoint);
    HttpServer s = vertx.createHttpServer(new HttpServerOptions().setMaxInitialLineLength(1024).setMaxHeaderSize(8192));
    s.requestHandler(endpoint::handle);
    return s.listen(config.http().port(), config.http().host())
        .map(bound -> {
          endpoint.server = bound;
          return endpoint;
        })
        .recover(e -> {
          LOG.severe("http: cannot listen on " + config.http().host() + ":" + config.http().port() + " (" + e.getMessage()
              + "); /health and /metrics are off, the stores keep serving");
          return Future.succeededFuture(endpoint);
        });
  }

  /** The bound port (tests bind port numbers picked free); -1 when not listening. */
  int port() {
    return server == null ? -1 : server.actualPort();
  }

  Future<Void> close() {
    return server == null ? Future.succeededFuture() : server.close();
  }

  private void handle(HttpServerRequest req) {
    if (req.method() != HttpMethod.GET && req.method() != HttpMethod.HEAD) {
      req.response().setStatusCode(405).putHeader("Allow", "GET").end();
      return;
    }
    switch (req.path()) {
      case "/health" -> health.check().onComplete(ar -> {
        CheckResult r = ar.succeeded() ? ar.result() : CheckResult.from("piri-db", ar.cause());
        boolean up = CheckResult.isUp(r);
        req.response().setStatusCode(up ? 200 : 503).putHeader("Content-Type", "application/json")
            .end(r.toJson().encode());
      });
      case "/metrics" -> metrics.scrape(vertx).onComplete(ar -> {
        if (ar.failed()) {
          req.response().setStatusCode(500).end();
          return;
        }
        req.response().putHeader("Content-Type", PROMETHEUS_TEXT).end(ar.result());
      });
      default -> req.response().setStatusCode(404).end();
    }
  }
}
