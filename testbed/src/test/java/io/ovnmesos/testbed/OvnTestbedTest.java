package io.ovnmesos.testbed;

import static org.assertj.core.api.Assertions.assertThat;

import io.ovnmesos.testbed.Container.Protocol;
import io.ovnmesos.testbed.junit.OvnTest;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class OvnTestbedTest {

  @Test
  @OvnTest
  void twoNamespacesOnOneLogicalSwitchTalkThroughOvn(OvnTestbed ovn) {
    ovn.nbctl("ls-add", "sw0",
        "--", "lsp-add", "sw0", "p1", "--", "lsp-set-addresses", "p1", "0a:00:00:00:00:01 10.0.0.1",
        "--", "lsp-add", "sw0", "p2", "--", "lsp-set-addresses", "p2", "0a:00:00:00:00:02 10.0.0.2");
    Container c1 = ovn.chassis().addContainer("p1", "0a:00:00:00:00:01", "10.0.0.1/24").awaitInstalled();
    Container c2 = ovn.chassis().addContainer("p2", "0a:00:00:00:00:02", "10.0.0.2/24").awaitInstalled();

    assertThat(ovn.chassis().vsctl("get", "Interface", c1.hostInterface(), "external_ids:ovn-installed").out())
        .isEqualTo("\"true\"");
    ovn.nbctl("wait-until", "Logical_Switch_Port", "p1", "up=true");
    ovn.nbctl("wait-until", "Logical_Switch_Port", "p2", "up=true");
    assertThat(ovn.nbctl("get", "Logical_Switch_Port", "p1", "up").out()).isEqualTo("true");
    assertThat(ovn.sbctl("--bare", "--columns=chassis", "find", "Port_Binding", "logical_port=p1").out())
        .isEqualTo(ovn.sbctl("--bare", "--columns=_uuid", "find", "Chassis", "name=chassis-1").out());

    assertThat(c1.canReach(c2.ip(), Duration.ofSeconds(10))).isTrue();
    assertThat(c2.canReach(c1.ip(), Duration.ofSeconds(10))).isTrue();

    c2.startEchoServer(Protocol.TCP, 7007);
    c2.startEchoServer(Protocol.UDP, 7007);
    assertThat(c1.echo(Protocol.TCP, c2.ip(), 7007, "hello over tcp").check().stdout()).isEqualTo("hello over tcp");
    assertThat(c1.echo(Protocol.UDP, c2.ip(), 7007, "hello over udp").check().stdout()).isEqualTo("hello over udp");
  }

  @Test
  @OvnTest
  void trafficStopsWhenTheLogicalPortIsDeleted(OvnTestbed ovn) {
    ovn.nbctl("ls-add", "sw0",
        "--", "lsp-add", "sw0", "p1", "--", "lsp-set-addresses", "p1", "0a:00:00:00:00:01 10.0.0.1",
        "--", "lsp-add", "sw0", "p2", "--", "lsp-set-addresses", "p2", "0a:00:00:00:00:02 10.0.0.2");
    Container c1 = ovn.chassis().addContainer("p1", "0a:00:00:00:00:01", "10.0.0.1/24").awaitInstalled();
    Container c2 = ovn.chassis().addContainer("p2", "0a:00:00:00:00:02", "10.0.0.2/24").awaitInstalled();
    assertThat(c1.canReach(c2.ip(), Duration.ofSeconds(10))).isTrue();

    ovn.nbctl("--wait=hv", "lsp-del", "p2");

    // The path really goes through OVN: without the logical port, nothing passes.
    assertThat(c1.pingOnce(c2.ip())).isFalse();
  }

  @Test
  @OvnTest(chassis = 2)
  void containersOnTwoChassisTalkOverGeneveTunnels(OvnTestbed ovn) {
    ovn.nbctl("ls-add", "sw0",
        "--", "lsp-add", "sw0", "p1", "--", "lsp-set-addresses", "p1", "0a:00:00:00:00:01 10.0.0.1",
        "--", "lsp-add", "sw0", "p2", "--", "lsp-set-addresses", "p2", "0a:00:00:00:00:02 10.0.0.2");
    Container c1 = ovn.chassis(1).addContainer("p1", "0a:00:00:00:00:01", "10.0.0.1/24").awaitInstalled();
    Container c2 = ovn.chassis(2).addContainer("p2", "0a:00:00:00:00:02", "10.0.0.2/24").awaitInstalled();

    assertThat(c1.canReach(c2.ip(), Duration.ofSeconds(20))).isTrue();
    assertThat(ovn.sbctl("--bare", "--columns=ip", "list", "Encap").out().lines().filter(l -> !l.isBlank()).sorted().toList())
        .containsExactly("10.99.0.1", "10.99.0.2");
    // Each chassis sits in a namespace of its own: the only way between them is the underlay.
    assertThat(ovn.chassis(1).vsctl("--bare", "--columns=options", "find", "Interface", "type=geneve").out())
        .contains("remote_ip=10.99.0.2");
    c2.startEchoServer(Container.Protocol.TCP, 7);
    assertThat(c1.echo(Container.Protocol.TCP, c2.ip(), 7, "across chassis").check().stdout()).isEqualTo("across chassis");
  }

  @Test
  @OvnTest(datapath = Datapath.DUMMY, chassis = 2)
  void dummyDatapathBindsPortsOnEachChassis(OvnTestbed ovn) {
    ovn.nbctl("ls-add", "sw0", "--", "lsp-add", "sw0", "a", "--", "lsp-add", "sw0", "b");
    ovn.chassis(1).vsctl("add-port", "br-int", "vif-a", "--", "set", "Interface", "vif-a",
        "external_ids:iface-id=a");
    ovn.chassis(2).vsctl("add-port", "br-int", "vif-b", "--", "set", "Interface", "vif-b",
        "external_ids:iface-id=b");

    ovn.chassis(1).vsctl("wait-until", "Interface", "vif-a", "external_ids:ovn-installed=true");
    ovn.chassis(2).vsctl("wait-until", "Interface", "vif-b", "external_ids:ovn-installed=true");
    ovn.nbctl("wait-until", "Logical_Switch_Port", "b", "up=true");
    assertThat(ovn.sbctl("--bare", "--columns=name", "list", "Chassis").out().lines().filter(l -> !l.isBlank()).sorted().toList())
        .containsExactly("chassis-1", "chassis-2");
    assertThat(ovn.chassis().netns()).isEmpty();
  }

  @Test
  @OvnTest(datapath = Datapath.DUMMY, nbClusterSize = 3, chassis = 0)
  void raftNorthboundElectsANewLeaderWhenTheLeaderDies(OvnTestbed ovn) {
    ovn.nbctl("ls-add", "before");
    OvsdbServer leader = ovn.central().nbLeader().orElseThrow();

    leader.kill();

    Waiter.until("a new NB leader", Duration.ofSeconds(30),
        () -> ovn.central().nbLeader().filter(l -> l != leader).isPresent());
    ovn.nbctl("ls-add", "after");
    assertThat(ovn.nbctl("--bare", "--columns=name", "list", "Logical_Switch").out().lines().filter(l -> !l.isBlank()).sorted().toList())
        .containsExactly("after", "before");

    leader.start();
    ovn.central().awaitNbCluster();
    assertThat(ovn.central().nbServers()).allMatch(OvsdbServer::isAlive);
  }
}
