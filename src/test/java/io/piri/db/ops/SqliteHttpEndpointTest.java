package io.piri.db.ops;

import io.piri.db.support.TestBackend;

class SqliteHttpEndpointTest extends HttpEndpointTestBase {
  @Override
  protected TestBackend backend() {
    return TestBackend.sqlite();
  }
}
