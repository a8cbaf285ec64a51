package io.piri.db.ops;

import io.piri.db.support.TestBackend;

class PostgresHttpEndpointTest extends HttpEndpointTestBase {
  @Override
  protected TestBackend backend() {
    return TestBackend.postgres();
  }
}
