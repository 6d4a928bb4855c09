package io.ovnmesos.topology;

import static org.assertj.core.api.Assertions.assertThat;

import io.ovnmesos.ovsdb.OvsdbClient;
import io.ovnmesos.ovsdb.OvsdbOptions;
import io.ovnmesos.testbed.Container;
import io.ovnmesos.testbed.OvnTestbed;
import io.ovnmesos.testbed.Waiter;
import io.ovnmesos.testbed.junit.OvnTest;
import io.ovnmesos.topology.gateway.GatewaySpec;
import io.ovnmesos.topology.gateway.LocalBridge;
import io.ovnmesos.topology.network.NetworkSpec;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;

/** Real traffic between network namespaces through the topology ovn-mesos lays out. */
class TopologyTrafficTest {
  static final Duration REACH = Duration.ofSeconds(15);

  /** A task's port on {@code network} (as the framework will make it) and a container bound to it. */
  static Container task(OvnTestbed ovn, String network, String port, String mac, String ip, String gateway) {
    ovn.nbctl("lsp-add", network, port, "--", "lsp-set-addresses", port, mac + " " + ip,
        "--", "lsp-set-port-security", port, mac + " " + ip);
    return ovn.chassis().addContainer(port, mac, ip + "/24", gateway).awaitInstalled();
  }

  @Test
  @OvnTest
  void twoNetworksOfATenantReachEachOtherThroughItsRouter(OvnTestbed ovn) {
    try (Topology topo = TopologyControlPlaneTest.connect(ovn)) {
      topo.tenants().create("coke");
      topo.networks().create(NetworkSpec.of("coke", "coke1", "192.168.1.0/24"));
      topo.networks().create(NetworkSpec.of("coke", "coke2", "192.168.2.0/24"));
    }
    Container a = task(ovn, "coke1", "a", "0a:00:00:00:01:02", "192.168.1.2", "192.168.1.1");
    Container b = task(ovn, "coke2", "b", "0a:00:00:00:02:02", "192.168.2.2", "192.168.2.1");

    assertThat(a.canReach("192.168.1.1", REACH)).as("own gateway").isTrue();
    assertThat(a.canReach(b.ip(), REACH)).as("coke1 -> coke2").isTrue();
    assertThat(b.canReach(a.ip(), REACH)).as("coke2 -> coke1").isTrue();
  }

  @Test
  @OvnTest
  void tenantsWithTheSameSubnetWorkSideBySideAndCannotReachEachOther(OvnTestbed ovn) {
    try (Topology topo = TopologyControlPlaneTest.connect(ovn)) {
      for (String t : List.of("coke", "pepsi")) {
        topo.tenants().create(t);
        topo.networks().create(NetworkSpec.of(t, t + "1", "192.168.1.0/24"));
      }
    }
    Container cokeA = task(ovn, "coke1", "coke-a", "0a:00:00:00:0c:02", "192.168.1.2", "192.168.1.1");
    Container cokeB = task(ovn, "coke1", "coke-b", "0a:00:00:00:0c:03", "192.168.1.3", "192.168.1.1");
    Container pepsiX = task(ovn, "pepsi1", "pepsi-x", "0a:00:00:00:0d:02", "192.168.1.2", "192.168.1.1");
    Container pepsiY = task(ovn, "pepsi1", "pepsi-y", "0a:00:00:00:0d:04", "192.168.1.4", "192.168.1.1");

    assertThat(cokeA.canReach("192.168.1.3", REACH)).as("coke .2 -> coke .3").isTrue();
    assertThat(pepsiX.canReach("192.168.1.4", REACH)).as("pepsi .2 -> pepsi .4").isTrue();
    // Each tenant's .2 exists in both: each reaches only its own tenant's addresses.
    assertThat(cokeA.pingOnce("192.168.1.4")).as("coke -> pepsi's .4").isFalse();
    assertThat(pepsiY.pingOnce("192.168.1.3")).as("pepsi -> coke's .3").isFalse();
    assertThat(cokeB.canReach("192.168.1.2", REACH)).isTrue();
    assertThat(cokeB.exec("ip", "neigh", "show", "192.168.1.2").stdout()).contains("0a:00:00:00:0c:02");
  }

  /** How the gateway reaches the provider network. */
  enum Way { LOCALNET_ROUTER, LOCALNET_HA, NIC_IN_BR_INT }

  @ParameterizedTest
  @org.junit.jupiter.params.provider.EnumSource(Way.class)
  @OvnTest
  void aTaskReachesTheProviderNetworkThroughTheGatewayWithSourceNat(Way way, OvnTestbed ovn) {
    Container outside = ovn.chassis().addExternalHost("phy0", "172.16.0.1/24");
    try (Topology topo = TopologyControlPlaneTest.connect(ovn);
        OvsdbClient ovs = OvsdbClient.connect(OvsdbOptions.of(ovn.chassis().ovsRemote()))) {
      topo.tenants().create("coke");
      topo.networks().create(NetworkSpec.of("coke", "coke1", "192.168.1.0/24"));
      topo.gateways().create(new GatewaySpec("coke", List.of(ovn.chassis().name()), way == Way.LOCALNET_HA, "physnet",
          "172.16.0.2/24", "172.16.0.1", List.of("192.168.0.0/16"), List.of(), way == Way.NIC_IN_BR_INT ? "phy0" : null));
      if (way == Way.NIC_IN_BR_INT) {
        String port = topo.gateways().find("coke").orElseThrow().outsidePort();
        assertThat(port).isEqualTo("phy0_chassis-1");
        assertThat(LocalBridge.nicIntoBrInt(ovs, "phy0", port)).isTrue();
        assertThat(LocalBridge.nicIntoBrInt(ovs, "phy0", port)).as("second run changes nothing").isFalse();
      } else {
        assertThat(LocalBridge.ensure(ovs, "physnet", "br-ex", "phy0")).isTrue();
        assertThat(LocalBridge.ensure(ovs, "physnet", "br-ex", "phy0")).as("second run changes nothing").isFalse();
      }
    }
    Container task = task(ovn, "coke1", "web", "0a:00:00:00:01:02", "192.168.1.2", "192.168.1.1");
    outside.startEchoServer(Container.Protocol.PEER, 8080);

    assertThat(task.canReach("172.16.0.1", REACH)).as("task -> provider network").isTrue();
    // The provider network sees the gateway's address, not the task's.
    assertThat(task.echo(Container.Protocol.PEER, "172.16.0.1", 8080, "who am I").check().stdout()).isEqualTo("172.16.0.2");
    assertThat(outside.pingOnce("192.168.1.2")).as("no route in from outside").isFalse();
  }

  @Test
  @OvnTest(chassis = 2)
  void anHaGatewayMovesWhenItsActiveChassisGoesAway(OvnTestbed ovn) {
    try (Topology topo = TopologyControlPlaneTest.connect(ovn)) {
      topo.tenants().create("coke");
      topo.networks().create(NetworkSpec.of("coke", "coke1", "192.168.1.0/24"));
      topo.gateways().create(new GatewaySpec("coke", List.of("chassis-1:100", "chassis-2:90"), false, "physnet",
          "172.16.0.2/24", null, List.of(), List.of()));
    }
    String chassis1 = ovn.sbctl("--bare", "--columns=_uuid", "find", "Chassis", "name=chassis-1").out();
    // OVN decides the active gateway over BFD between the chassis: it needs the tunnels up.
    Waiter.until("cr-rtoe-coke bound to chassis-1", Duration.ofSeconds(30), () -> boundTo(ovn).equals(chassis1));

    ovn.chassis(1).leave();

    String chassis2 = ovn.sbctl("--bare", "--columns=_uuid", "find", "Chassis", "name=chassis-2").out();
    Waiter.until("cr-rtoe-coke bound to chassis-2", Duration.ofSeconds(30), () -> boundTo(ovn).equals(chassis2));
  }

  private static String boundTo(OvnTestbed ovn) {
    return ovn.sbctl("--bare", "--columns=chassis", "find", "Port_Binding", "logical_port=cr-rtoe-coke").out();
  }
}
