package io.piri.db.cluster;

import java.util.List;
import java.util.logging.Filter;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * What Infinispan and JGroups may log. They report every rebalance of every internal cache at
 * INFO; their warnings still show, and {@link PiriClusterManager} logs membership changes, once
 * each. Loggers are held here: java.util.logging keeps them only weakly, and a collected logger
 * loses its level and filter.
 */
final class ClusterLogs {
  private static final List<Logger> QUIET = List.of(Logger.getLogger("org.infinispan"), Logger.getLogger("org.jgroups"),
      Logger.getLogger("org.jboss.threads"));
  private static final Logger INFINISPAN_CONFIG = Logger.getLogger("org.infinispan.CONFIG");
  private static final Logger JGROUPS_TCP = Logger.getLogger("org.jgroups.protocols.TCP");

  private ClusterLogs() {}

  static synchronized void tune() {
    QUIET.forEach(l -> l.setLevel(Level.WARNING));
    // Warned at every start: the internal caches are not persisted, and must not be.
    INFINISPAN_CONFIG.setFilter(without("ISPN000569"));
    // A TLS connection closed by a member that leaves ends its reader this way, every time.
    JGROUPS_TCP.setFilter(without("failed handling message: java.io.IOException: Stream closed"));
  }

  private static Filter without(String prefix) {
    return (LogRecord r) -> r.getMessage() == null || !r.getMessage().startsWith(prefix);
  }
}
