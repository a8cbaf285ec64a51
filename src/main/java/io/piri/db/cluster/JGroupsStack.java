package io.piri.db.cluster;

import io.piri.db.core.ExitException;
import io.piri.db.config.ConfigKeys;
import io.piri.db.config.HostPort;
import io.piri.db.config.PiriConfig;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import org.jgroups.JChannel;
import org.jgroups.protocols.FD_ALL3;
import org.jgroups.protocols.FRAG4;
import org.jgroups.protocols.MERGE3;
import org.jgroups.protocols.MFC;
import org.jgroups.protocols.TCP;
import org.jgroups.protocols.TCPPING;
import org.jgroups.protocols.UFC;
import org.jgroups.protocols.UNICAST3;
import org.jgroups.protocols.VERIFY_SUSPECT2;
import org.jgroups.protocols.pbcast.GMS;
import org.jgroups.protocols.pbcast.NAKACK2;
import org.jgroups.protocols.pbcast.STABLE;
import org.jgroups.util.TLSClientAuth;

/**
 * The JGroups channel of one member, built in code from {@code cluster.*} (no XML on the class
 * path can change it). Everything travels over the one TCP port, {@code cluster.port}: discovery
 * asks only the listed members, failure detection uses heartbeats on the same connections, and
 * the diagnostics responder is off, so no other socket is opened. With {@code cluster.tls} every
 * connection is TLS and both ends must present a certificate the trust store vouches for: a
 * process without one cannot take part in discovery, let alone join.
 */
final class JGroupsStack {
  /** A member that stops sending heartbeats is suspected after this long, then removed. */
  static final long FAILURE_TIMEOUT_MS = 10_000;
  private static final long HEARTBEAT_MS = 1_000;
  /** How long a member waits for the coordinator's answer; the first member waits this long alone. */
  private static final long JOIN_TIMEOUT_MS = 2_000;

  private JGroupsStack() {}

  /** A channel, not yet connected; resolving {@code cluster.host} and the members may block. */
  static JChannel channel(PiriConfig.Cluster c) throws Exception {
    TCP tcp = new TCP();
    tcp.setBindAddress(resolve(ConfigKeys.CLUSTER_HOST, c.host()));
    tcp.setBindPort(c.port());
    tcp.setPortRange(0);
    tcp.logDetails(false); // one line per connection fault, not a stack trace
    if (c.tls() != null) {
      tcp.tls().enabled(true)
          .setKeystorePath(c.tls().keyStore()).setKeystorePassword(ClusterTls.orEmpty(c.tls().keyStorePassword()))
          .setTruststorePath(c.tls().trustStore()).setTruststorePassword(ClusterTls.orEmpty(c.tls().trustStorePassword()))
          .setClientAuth(TLSClientAuth.NEED);
    }
    TCPPING discovery = new TCPPING();
    discovery.setInitialHosts(members(c));
    discovery.setPortRange(0);
    JChannel channel = new JChannel(
        tcp,
        discovery,
        new MERGE3().setMinInterval(10_000).setMaxInterval(30_000),
        new FD_ALL3().setTimeout(FAILURE_TIMEOUT_MS).setInterval(HEARTBEAT_MS),
        new VERIFY_SUSPECT2().setTimeout(1_000),
        new NAKACK2().useMcastXmit(false),
        new UNICAST3(),
        new STABLE(),
        new GMS().setJoinTimeout(JOIN_TIMEOUT_MS).printLocalAddress(false),
        new UFC(),
        new MFC(),
        new FRAG4());
    // The handler exists once the stack is initialised; it would answer probes on a multicast socket.
    tcp.getDiagnosticsHandler().setEnabled(false);
    return channel;
  }

  private static List<InetSocketAddress> members(PiriConfig.Cluster c) throws UnknownHostException {
    List<InetSocketAddress> out = new ArrayList<>();
    for (String m : c.members()) {
      HostPort hp = HostPort.parse(ConfigKeys.CLUSTER_MEMBERS, m);
      out.add(new InetSocketAddress(resolve(ConfigKeys.CLUSTER_MEMBERS, hp.host()), hp.port()));
    }
    return out;
  }

  private static InetAddress resolve(String key, String host) {
    try {
      return InetAddress.getByName(host);
    } catch (UnknownHostException e) {
      throw new ExitException(ExitException.FAILED, key + ": cannot resolve '" + host + "'");
    }
  }
}
