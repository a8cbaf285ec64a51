package io.piri.db.backend;

import io.piri.db.config.PostgresUrl;
import io.piri.db.core.StoreId;
import io.piri.db.support.TestPostgres;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.PgConnection;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

class PostgresStatementsPrepareTest extends StatementsPrepareTestBase {
  private Vertx vertx;
  private String url;
  private final Map<StoreId, PgConnection> connections = new HashMap<>();

  @BeforeEach
  void database() {
    vertx = Vertx.vertx();
    url = TestPostgres.newDatabase();
  }

  @AfterEach
  void close() throws Exception {
    vertx.close().await(20, TimeUnit.SECONDS);
  }

  @Override
  protected String dialect() {
    return "postgres";
  }

  /** pg-client's prepare, as the stores' own queries do: the server parses and types the statement. */
  @Override
  protected void prepare(StoreId store, String sql) throws Exception {
    connection(store).prepare(sql).compose(ps -> ps.close()).await(20, TimeUnit.SECONDS);
  }

  private PgConnection connection(StoreId store) throws Exception {
    PgConnection c = connections.get(store);
    if (c == null) {
      Migrations.migrate("postgres", store, PostgresUrl.jdbcUrl(url), PostgresUrl.credentials(url), store.id());
      PgConnectOptions options = PgConnectOptions.fromUri(url).addProperty("search_path", store.id());
      c = PgConnection.connect(vertx, options).await(20, TimeUnit.SECONDS);
      connections.put(store, c);
    }
    return c;
  }
}
