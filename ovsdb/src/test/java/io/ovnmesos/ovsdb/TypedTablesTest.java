package io.ovnmesos.ovsdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ovnmesos.ovsdb.cache.DatabaseCache;
import io.ovnmesos.ovsdb.cache.MonitorSpec;
import io.ovnmesos.ovsdb.nb.LogicalRouter;
import io.ovnmesos.ovsdb.nb.LogicalRouterPort;
import io.ovnmesos.ovsdb.nb.LogicalSwitch;
import io.ovnmesos.ovsdb.nb.LogicalSwitchPort;
import io.ovnmesos.ovsdb.nb.Nat;
import io.ovnmesos.ovsdb.nb.NorthboundTables;
import io.ovnmesos.ovsdb.typed.TypedTable;
import io.ovnmesos.ovsdb.vswitch.Interface;
import io.ovnmesos.ovsdb.vswitch.VswitchTables;
import io.ovnmesos.testbed.Datapath;
import io.ovnmesos.testbed.OvnTestbed;
import io.ovnmesos.testbed.junit.OvnTest;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

@OvnTest(datapath = Datapath.DUMMY, chassis = 1)
class TypedTablesTest {

  @Test
  void everyTypedTableMatchesTheInstalledSchemas(OvnTestbed ovn) {
    try (OvsdbClient nb = TransactTest.connect(ovn);
        OvsdbClient ovs = OvsdbClient.connect(OvsdbOptions.of(ovn.chassis().ovsRemote()))) {
      NorthboundTables.ALL.forEach(t -> t.checkAgainst(nb.schema("OVN_Northbound")));
      VswitchTables.ALL.forEach(t -> t.checkAgainst(ovs.schema("Open_vSwitch")));
      assertThat(NorthboundTables.ALL).hasSize(16);

      TypedTable<LogicalSwitchPort> wrong = new TypedTable<>("OVN_Northbound", "Logical_Switch_Port",
          LogicalSwitchPort::from, TypedTable.column("addresses", TypedTable.Kind.STR));
      assertThatThrownBy(() -> wrong.checkAgainst(nb.schema("OVN_Northbound")))
          .hasMessageContaining("Logical_Switch_Port.addresses: the record reads it as STR");
    }
  }

  @Test
  void recordsReadWhatTheTopologyHolds(OvnTestbed ovn) {
    ovn.nbctl("lr-add", "coke", "--", "lrp-add", "coke", "rtos-coke1", "0a:00:00:00:01:01", "192.168.1.1/24",
        "--", "ls-add", "coke1", "--", "set", "Logical_Switch", "coke1", "external_ids:ovn-mesos/tenant=coke",
        "--", "lsp-add", "coke1", "stor-coke1", "--", "lsp-set-type", "stor-coke1", "router",
        "--", "lsp-set-options", "stor-coke1", "router-port=rtos-coke1",
        "--", "lsp-add", "coke1", "task1", "--", "lsp-set-addresses", "task1", "0a:00:00:00:01:02 192.168.1.2",
        "--", "lsp-set-port-security", "task1", "0a:00:00:00:01:02 192.168.1.2",
        "--", "lr-nat-add", "coke", "snat", "10.0.0.5", "192.168.1.0/24");
    ovn.chassis().vsctl("add-port", "br-int", "veth-task1", "--", "set", "Interface", "veth-task1",
        "external_ids:iface-id=task1");
    try (OvsdbClient nb = TransactTest.connect(ovn);
        OvsdbClient ovs = OvsdbClient.connect(OvsdbOptions.of(ovn.chassis().ovsRemote()))) {
      MonitorSpec spec = MonitorSpec.create();
      NorthboundTables.ALL.forEach(t -> t.monitor(spec));
      DatabaseCache cache = nb.monitor("OVN_Northbound", spec.index(LogicalSwitchPort.TABLE_NAME, LogicalSwitchPort.NAME));
      MonitorSpec ovsSpec = MonitorSpec.create();
      VswitchTables.ALL.forEach(t -> t.monitor(ovsSpec));
      DatabaseCache local = ovs.monitor("Open_vSwitch", ovsSpec);

      LogicalSwitchPort task = LogicalSwitchPort.from(cache.lookupOne(LogicalSwitchPort.TABLE_NAME, "name", "task1").orElseThrow());
      assertThat(task.portSecurity()).containsExactly("0a:00:00:00:01:02 192.168.1.2");
      assertThat(task.type()).isEmpty();
      LogicalSwitch coke1 = LogicalSwitch.TABLE.all(cache).get(0);
      assertThat(coke1.externalIds()).containsEntry("ovn-mesos/tenant", "coke");
      assertThat(coke1.ports()).hasSize(2).contains(task.uuid());
      LogicalRouter coke = LogicalRouter.TABLE.all(cache).get(0);
      assertThat(LogicalRouterPort.TABLE.get(cache, coke.ports().iterator().next()).orElseThrow().networks())
          .containsExactly("192.168.1.1/24");
      Nat snat = Nat.TABLE.get(cache, coke.nat().iterator().next()).orElseThrow();
      assertThat(snat.type()).isEqualTo("snat");
      assertThat(snat.externalIp()).isEqualTo("10.0.0.5");

      Interface vif = local.await("veth-task1 installed", Duration.ofSeconds(10), c -> Interface.TABLE.all(c).stream()
          .filter(i -> i.name().equals("veth-task1") && "true".equals(i.externalIds().get("ovn-installed")))
          .findFirst()).join();
      assertThat(vif.externalIds()).containsEntry("iface-id", "task1");
      assertThat(vif.ofport()).hasValueSatisfying(p -> assertThat(p).isPositive());
      assertThat(Optional.of(task.up())).isNotEmpty();
    }
  }
}
