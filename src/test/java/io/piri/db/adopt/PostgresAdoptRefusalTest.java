package io.piri.db.adopt;

import io.piri.db.config.PostgresUrl;
import io.piri.db.support.TestBackend;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.Properties;

class PostgresAdoptRefusalTest extends AdoptRefusalTestBase {
  /** Piri's pool: an idle session of another application on the database. */
  @Override
  protected AutoCloseable piriStillRunning() throws Exception {
    Properties p = PostgresUrl.credentials(config.postgres().url());
    p.setProperty("ApplicationName", "piri");
    Connection c = DriverManager.getConnection(PostgresUrl.jdbcUrl(config.postgres().url()), p);
    return c;
  }

  @Override
  protected String holderInMessage() {
    return "application 'piri'";
  }

  @Override
  protected TestBackend backend() {
    return TestBackend.postgres();
  }
}
