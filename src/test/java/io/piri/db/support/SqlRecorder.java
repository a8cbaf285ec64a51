package io.piri.db.support;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.spi.tracing.SpanKind;
import io.vertx.core.spi.tracing.TagExtractor;
import io.vertx.core.spi.tracing.VertxTracer;
import io.vertx.core.tracing.TracingPolicy;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiConsumer;

/**
 * The text of every SQL query run by the Vert.x SQL clients of a {@link #vertx} while recording:
 * the clients tell each query to the Vertx's tracer.
 */
public final class SqlRecorder {
  private final List<String> statements = new CopyOnWriteArrayList<>();
  private volatile boolean recording;

  /** A Vertx whose SQL queries this recorder sees. */
  public Vertx vertx() {
    return Vertx.builder().withTracer(options -> new VertxTracer<Object, Object>() {
      @Override
      public <R> Object sendRequest(Context context, SpanKind kind, TracingPolicy policy, R request, String operation,
          BiConsumer<String, String> headers, TagExtractor<R> tags) {
        String sql = tags.extract(request).get("db.query.text");
        if (recording && sql != null) statements.add(sql);
        return null;
      }
    }).build();
  }

  public void recording(boolean on) {
    recording = on;
  }

  /** What was recorded so far. */
  public List<String> statements() {
    return statements;
  }
}
