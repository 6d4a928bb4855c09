package io.ovnmesos.faults.hostile;

import io.ovnmesos.framework.Framework;
import io.ovnmesos.framework.scheduler.FrameworkRegistration;
import io.ovnmesos.ovsdb.OvsdbOptions;
import io.ovnmesos.testbed.OvnTestbed;
import io.ovnmesos.topology.Northbound;
import io.ovnmesos.topology.Topology;
import io.ovnmesos.topology.access.TenantAccess;
import io.ovnmesos.topology.network.NetworkSpec;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** A lone framework replica and tenant coke's network coke1, for the corpus' cases that reach the framework. */
final class LoneFramework {
  private LoneFramework() {}

  /** Tenant coke with network coke1 on {@code subnet}. */
  static void layOut(OvnTestbed ovn, String subnet) {
    try (Topology topo = new Topology(Northbound.connect(OvsdbOptions.of(ovn.nbRemote())))) {
      topo.tenants().create("coke");
      topo.networks().create(NetworkSpec.of("coke", "coke1", subnet));
    }
  }

  /** Starts a replica following {@code master}, serving gRPC on a free port, without election. */
  static Framework start(String master, OvnTestbed ovn) throws Exception {
    return Framework.start(new Framework.Settings(master, Optional.empty(), OvsdbOptions.of(ovn.nbRemote()), Optional.empty(),
        "/ovn-mesos", 6000, new InetSocketAddress("127.0.0.1", 0), Optional.empty(), FrameworkRegistration.frameworkInfo(
            "ovn-mesos", "root", List.of("ovn-mesos"), Optional.empty(), Duration.ofDays(28), Optional.empty()), Set.of("ovn"),
        TenantAccess.allowAll(), Duration.ofMinutes(15), Duration.ofMinutes(10), Duration.ofMillis(100)));
  }
}
