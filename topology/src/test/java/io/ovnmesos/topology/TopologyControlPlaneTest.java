package io.ovnmesos.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ovnmesos.ovsdb.OvsdbOptions;
import io.ovnmesos.testbed.Datapath;
import io.ovnmesos.testbed.OvnTestbed;
import io.ovnmesos.testbed.junit.OvnTest;
import io.ovnmesos.topology.gateway.Gateway;
import io.ovnmesos.topology.gateway.GatewaySpec;
import io.ovnmesos.topology.network.NetworkSpec;
import java.util.List;
import org.junit.jupiter.api.Test;

@OvnTest(datapath = Datapath.DUMMY, chassis = 0)
class TopologyControlPlaneTest {

  static Topology connect(OvnTestbed ovn) {
    return new Topology(Northbound.connect(OvsdbOptions.of(ovn.nbRemote())));
  }

  static void build(Topology topo) {
    topo.tenants().create("coke");
    topo.networks().create(new NetworkSpec("coke", "coke1", List.of("192.168.1.0/24", "fd00:1::/64"), List.of(),
        List.of("192.168.1.250..192.168.1.254"), 1400, List.of("192.168.1.53")));
    topo.networks().create(NetworkSpec.of("coke", "coke2", "192.168.2.0/24"));
    topo.gateways().create(new GatewaySpec("coke", List.of("gw1"), false, "physnet", "10.10.1.12/24", "10.10.1.1",
        List.of("192.168.0.0/16"), List.of("10.10.1.13")));
    topo.tenants().create("pepsi");
    topo.networks().create(NetworkSpec.of("pepsi", "pepsi1", "192.168.1.0/24"));
    topo.gateways().create(new GatewaySpec("pepsi", List.of("gw1:100", "gw2:90"), false, "physnet", "10.10.1.14/24",
        "10.10.1.1", List.of(), List.of()));
  }

  @Test
  void aLeanNorthboundReadsOnlyThePortColumnsItAskedForAndTheRestAsEmpty(OvnTestbed ovn) {
    try (Topology topo = connect(ovn)) {
      if (topo.networks().find("lean1").isEmpty()) {
        topo.tenants().create("lean");
        topo.networks().create(NetworkSpec.of("lean", "lean1", "192.168.9.0/24"));
      }
    }
    ovn.nbctl("lsp-add", "lean1", "lean-task", "--", "lsp-set-addresses", "lean-task", "0a:58:c0:a8:09:05 192.168.9.5",
        "--", "lsp-set-port-security", "lean-task", "0a:58:c0:a8:09:05 192.168.9.5",
        "--", "set", "Logical_Switch_Port", "lean-task", "external_ids:ovn-mesos/owner=framework", "options:foo=bar", "enabled=true");
    try (Northbound nb = Northbound.connectInBackground(OvsdbOptions.of(ovn.nbRemote()), Northbound.TASK_PORT_COLUMNS)) {
      io.ovnmesos.ovsdb.OvsdbClient.join(nb.synced());
      var port = nb.switchPort("lean-task").orElseThrow();
      assertThat(port.addresses()).containsExactly("0a:58:c0:a8:09:05 192.168.9.5");
      assertThat(port.externalIds()).containsEntry("ovn-mesos/owner", "framework");
      assertThat(port.portSecurity()).as("written by the framework: monitored").containsExactly("0a:58:c0:a8:09:05 192.168.9.5");
      assertThat(port.options()).as("not written by the framework: not monitored").isEmpty();
      assertThat(port.enabled()).as("not monitored").isEmpty();
      // The router port is still told apart from task ports by its type.
      assertThat(nb.switchPort("stor-lean1-lean").orElseThrow().type()).isEqualTo("router");
      assertThat(nb.cache().rows("Logical_Switch_Port").stream().filter(r -> r.string("name").equals("lean-task"))
          .findFirst().orElseThrow().has("enabled")).isFalse();
    }
  }

  @Test
  void theTopologyIsMadeAsThePrototypeNamedItAndMarkedAsOurs(OvnTestbed ovn) {
    try (Topology topo = connect(ovn)) {
      build(topo);
    }
    assertThat(ovn.nbctl("lr-list").out()).contains("(coke)").contains("(pepsi)").contains("(GR_coke_gw1)");
    assertThat(ovn.nbctl("get", "Logical_Switch", "coke1", "other_config:subnet").out()).isEqualTo("\"192.168.1.0/24\"");
    assertThat(ovn.nbctl("get", "Logical_Switch", "coke1", "other_config:ipv6_prefix").out()).isEqualTo("\"fd00:1::\"");
    assertThat(ovn.nbctl("get", "Logical_Switch", "coke1", "other_config:exclude_ips").out())
        .isEqualTo("\"192.168.1.250..192.168.1.254\"");
    assertThat(ovn.nbctl("get", "Logical_Router_Port", "rtos-coke-coke1", "networks").out())
        .isEqualTo("[\"192.168.1.1/24\", \"fd00:1::1/64\"]");
    assertThat(ovn.nbctl("get", "Logical_Router_Port", "rtos-coke-coke1", "mac").out()).isEqualTo("\"0a:58:c0:a8:01:01\"");
    assertThat(ovn.nbctl("get", "Logical_Switch_Port", "stor-coke1-coke", "options:router-port").out())
        .isEqualTo("rtos-coke-coke1");
    assertThat(ovn.nbctl("get", "Logical_Router", "GR_coke_gw1", "options:chassis").out()).isEqualTo("gw1");
    assertThat(ovn.nbctl("lr-nat-list", "GR_coke_gw1").out()).contains("snat").contains("10.10.1.12").contains("192.168.0.0/16");
    assertThat(ovn.nbctl("lr-route-list", "coke").out()).contains("0.0.0.0/0").contains("100.64.0.2");
    assertThat(ovn.nbctl("get", "Logical_Router", "coke", "external_ids:\"ovn-mesos/join-subnet\"").out()).isEqualTo("\"100.64.0.0/24\"");
    assertThat(ovn.nbctl("get", "Logical_Router", "pepsi", "external_ids:\"ovn-mesos/join-subnet\"").out()).isEqualTo("\"100.64.1.0/24\"");
    assertThat(ovn.nbctl("get", "Logical_Switch_Port", "ln-physnet", "type").out()).isEqualTo("localnet");
    assertThat(ovn.nbctl("ha-chassis-group-list").out()).contains("pepsi-gateway").contains("gw1").contains("gw2");
    assertThat(ovn.nbctl("lr-nat-list", "pepsi").out()).contains("192.168.1.0/24").contains("10.10.1.14");
    assertThat(ovn.nbctl("--bare", "--columns=ports", "list", "Logical_Switch", "ext_physnet").out().split("\\s+")).hasSize(3);
  }

  @Test
  void rerunningEveryCreateChangesNothing(OvnTestbed ovn) {
    try (Topology topo = connect(ovn)) {
      build(topo);
      String before = NbDump.of(ovn);

      assertThat(topo.tenants().create("coke")).isFalse();
      assertThat(topo.networks().create(new NetworkSpec("coke", "coke1", List.of("192.168.1.0/24", "fd00:1::/64"),
          List.of(), List.of("192.168.1.250..192.168.1.254"), 1400, List.of("192.168.1.53")))).isFalse();
      assertThat(topo.gateways().create(new GatewaySpec("coke", List.of("gw1"), false, "physnet", "10.10.1.12/24",
          "10.10.1.1", List.of("192.168.0.0/16"), List.of("10.10.1.13")))).isFalse();
      assertThat(topo.gateways().create(new GatewaySpec("pepsi", List.of("gw1:100", "gw2:90"), false, "physnet",
          "10.10.1.14/24", "10.10.1.1", List.of(), List.of()))).isFalse();

      assertThat(NbDump.of(ovn)).isEqualTo(before);
    }
  }

  @Test
  void deletingTenantsLeavesNothingOfOursAndTouchesNothingElse(OvnTestbed ovn) {
    ovn.nbctl("ls-add", "not-ours", "--", "lr-add", "their-router");
    String pristine = NbDump.of(ovn);
    try (Topology topo = connect(ovn)) {
      build(topo);
      ovn.nbctl("lsp-add", "coke1", "task-port");
      assertThatThrownBy(() -> topo.deleteTenant("coke", false, false))
          .hasMessageContaining("tenant coke still has 2 network(s) and a gateway");
      assertThatThrownBy(() -> topo.deleteNetwork("coke1", false, false))
          .isInstanceOfSatisfying(TopologyException.class, e -> assertThat(e.reason()).isEqualTo(TopologyException.Reason.CONFLICT))
          .hasMessageContaining("still has 1 task port(s) (task-port)");

      assertThat(topo.deleteGateway("pepsi", false)).isTrue();
      assertThat(topo.deleteTenant("pepsi", true, false)).isTrue();
      assertThat(topo.deleteTenant("coke", true, false)).isTrue();
      assertThat(topo.deleteTenant("coke", true, true)).isFalse();
      assertThatThrownBy(() -> topo.deleteTenant("coke", true, false))
          .isInstanceOfSatisfying(TopologyException.class, e -> assertThat(e.reason()).isEqualTo(TopologyException.Reason.NOT_FOUND));
    }
    assertThat(NbDump.of(ovn)).isEqualTo(pristine);
  }

  @Test
  void badInputNamesTheFieldAndChangesNothing(OvnTestbed ovn) {
    ovn.nbctl("ls-add", "someone-elses", "--", "lr-add", "theirs");
    try (Topology topo = connect(ovn)) {
      topo.tenants().create("coke");
      topo.networks().create(NetworkSpec.of("coke", "coke1", "192.168.1.0/24"));
      topo.tenants().create("pepsi");
      String before = NbDump.of(ovn);

      record Case(Runnable run, TopologyException.Reason reason, String message) {}
      List<Case> cases = List.of(
          new Case(() -> topo.tenants().create("bad name"), TopologyException.Reason.INVALID, "tenant: \"bad name\" is not a valid name"),
          new Case(() -> topo.tenants().create("../etc"), TopologyException.Reason.INVALID, "tenant: \"../etc\" is not a valid name"),
          new Case(() -> topo.tenants().create("x\u0000;rm -rf"), TopologyException.Reason.INVALID, "\\x00"),
          new Case(() -> topo.tenants().create("theirs"), TopologyException.Reason.CONFLICT, "a logical router named theirs exists and is not an ovn-mesos tenant router"),
          new Case(() -> topo.networks().create(NetworkSpec.of("fanta", "f1", "10.0.0.0/24")), TopologyException.Reason.NOT_FOUND, "tenant fanta does not exist"),
          new Case(() -> topo.networks().create(NetworkSpec.of("coke", "c2", "192.168.2.5/24")), TopologyException.Reason.INVALID, "--subnet: 192.168.2.5/24 is not a network address; did you mean 192.168.2.0/24?"),
          new Case(() -> topo.networks().create(NetworkSpec.of("coke", "c2", "192.168.300.0/24")), TopologyException.Reason.INVALID, "--subnet: \"192.168.300.0/24\" is not an IP address"),
          new Case(() -> topo.networks().create(NetworkSpec.of("coke", "c2", "192.168.1.128/25")), TopologyException.Reason.CONFLICT, "--subnet: 192.168.1.128/25 overlaps 192.168.1.0/24 of network coke1"),
          new Case(() -> topo.networks().create(NetworkSpec.of("coke", "c2", "100.64.0.0/16")), TopologyException.Reason.CONFLICT, "overlaps 100.64.0.0/24, tenant coke's join network"),
          new Case(() -> topo.networks().create(NetworkSpec.of("coke", "c2", "fd00::/48")), TopologyException.Reason.INVALID, "/64 networks only"),
          new Case(() -> topo.networks().create(new NetworkSpec("coke", "c2", List.of("10.2.0.0/24"), List.of("10.3.0.1"), List.of(), null, List.of())), TopologyException.Reason.INVALID, "--gateway: 10.3.0.1 is outside"),
          new Case(() -> topo.networks().create(new NetworkSpec("coke", "c2", List.of("10.2.0.0/24"), List.of("10.2.0.255"), List.of(), null, List.of())), TopologyException.Reason.INVALID, "--gateway: 10.2.0.255 is the network or broadcast address"),
          new Case(() -> topo.networks().create(new NetworkSpec("coke", "c2", List.of("10.2.0.0/24"), List.of(), List.of("10.9.0.1"), null, List.of())), TopologyException.Reason.INVALID, "--exclude: 10.9.0.1 is outside 10.2.0.0/24"),
          new Case(() -> topo.networks().create(new NetworkSpec("coke", "c2", List.of("10.2.0.0/24"), List.of(), List.of(), 100, List.of())), TopologyException.Reason.INVALID, "--mtu: 100 is out of range"),
          new Case(() -> topo.networks().create(new NetworkSpec("coke", "c2", List.of("10.2.0.0/24"), List.of(), List.of(), null, List.of("dns.example"))), TopologyException.Reason.INVALID, "--dns: \"dns.example\" is not an IP address"),
          new Case(() -> topo.networks().create(NetworkSpec.of("pepsi", "coke1", "10.0.0.0/24")), TopologyException.Reason.CONFLICT, "network coke1 belongs to tenant coke"),
          new Case(() -> topo.networks().create(NetworkSpec.of("coke", "someone-elses", "10.0.0.0/24")), TopologyException.Reason.CONFLICT, "a logical switch named someone-elses exists and is not managed by ovn-mesos"),
          new Case(() -> topo.networks().create(NetworkSpec.of("coke", "coke1", "192.168.9.0/24")), TopologyException.Reason.CONFLICT, "network coke1 exists with other settings"),
          new Case(() -> topo.gateways().create(new GatewaySpec("coke", List.of(), false, "physnet", "10.1.1.2/24", null, List.of(), List.of())), TopologyException.Reason.INVALID, "--chassis: name at least one chassis"),
          new Case(() -> topo.gateways().create(new GatewaySpec("coke", List.of("a:high"), false, "physnet", "10.1.1.2/24", null, List.of(), List.of())), TopologyException.Reason.INVALID, "--chassis: priority of a must be a number"),
          new Case(() -> topo.gateways().create(new GatewaySpec("coke", List.of("a"), false, "physnet", "10.1.1.2", null, List.of(), List.of())), TopologyException.Reason.INVALID, "--physical-ip: 10.1.1.2: expected an IPv4 address with its prefix length"),
          new Case(() -> topo.gateways().create(new GatewaySpec("coke", List.of("a"), false, "physnet", "10.1.1.2/24", "10.9.9.9", List.of(), List.of())), TopologyException.Reason.INVALID, "--default-gw: 10.9.9.9 is not a host of the provider network 10.1.1.0/24"),
          new Case(() -> topo.gateways().create(new GatewaySpec("pepsi", List.of("a"), false, "physnet", "10.1.1.2/24", null, List.of(), List.of())), TopologyException.Reason.INVALID, "--snat-subnet: tenant pepsi has no IPv4 network yet"),
          new Case(() -> topo.gateways().create(new GatewaySpec("coke", List.of("a"), false, "physnet", "10.1.1.2/24", null, List.of("10.1.0.0/16"), List.of())), TopologyException.Reason.INVALID, "--snat-subnet: 10.1.0.0/16 overlaps the provider network"));
      for (Case c : cases) {
        assertThatThrownBy(c.run()::run).isInstanceOfSatisfying(TopologyException.class,
            e -> assertThat(e.reason()).as(e.getMessage()).isEqualTo(c.reason())).hasMessageContaining(c.message());
      }
      assertThat(NbDump.of(ovn)).isEqualTo(before);
    }
  }

  @Test
  void theViewShowsTenantsNetworksPortsAndGateways(OvnTestbed ovn) {
    try (Topology topo = connect(ovn)) {
      build(topo);
      ovn.nbctl("lsp-add", "coke1", "task-a", "--", "lsp-set-addresses", "task-a", "0a:00:00:00:00:02 192.168.1.2",
          "--", "set", "Logical_Switch_Port", "task-a", "external_ids:ovn-mesos/task-id=web.1",
          "external_ids:ovn-mesos/framework-id=marathon");
      // As the framework makes them: framework, executor and interface only in the name.
      ovn.nbctl("lsp-add", "coke1", "marathon/web.2/eth0", "--", "set", "Logical_Switch_Port", "marathon/web.2/eth0",
          "external_ids:ovn-mesos/owner=framework", "external_ids:ovn-mesos/task-id=web.2");
      topo.northbound().cache().await("task ports", java.time.Duration.ofSeconds(5),
          c -> c.lookupOne("Logical_Switch_Port", "name", "task-a").flatMap(
              a -> c.lookupOne("Logical_Switch_Port", "name", "marathon/web.2/eth0"))).join();

      var view = topo.view();
      assertThat(view.tenants()).extracting(t -> t.name()).containsExactly("coke", "pepsi");
      var coke = view.tenants().get(0);
      assertThat(coke.networks()).extracting(n -> n.name()).containsExactly("coke1", "coke2");
      assertThat(coke.networks().get(0).ports()).extracting(p -> p.name()).containsExactlyInAnyOrder("task-a", "marathon/web.2/eth0");
      assertThat(coke.networks().get(0).ports()).filteredOn(p -> p.name().equals("task-a")).singleElement().satisfies(p ->
          assertThat(p.task()).containsEntry("task-id", "web.1").containsEntry("framework-id", "marathon"));
      assertThat(coke.networks().get(0).ports()).filteredOn(p -> p.name().startsWith("marathon/")).singleElement().satisfies(p ->
          assertThat(p.task()).containsEntry("task-id", "web.2").containsEntry("framework-id", "marathon"));
      assertThat(coke.gateway()).hasValueSatisfying(g -> {
        assertThat(g.mode()).isEqualTo("router");
        assertThat(g.nat()).containsExactly("snat 192.168.0.0/16 -> 10.10.1.12");
        assertThat(g.routes()).contains("0.0.0.0/0 via 10.10.1.1 (rtoe-GR_coke_gw1)", "192.168.0.0/16 via 100.64.0.1");
      });
      assertThat(view.tenants().get(1).gateway()).hasValueSatisfying(g -> {
        assertThat(g.mode()).isEqualTo(Gateway.Mode.HA.name().toLowerCase());
        assertThat(g.chassis()).containsExactly("gw1:100", "gw2:90");
      });
    }
  }
}
