package io.ovnmesos.framework.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import io.ovnmesos.framework.port.WantedPort;
import io.ovnmesos.ovsdb.data.Uuid;
import io.ovnmesos.ovsdb.nb.LogicalSwitchPort;
import io.ovnmesos.topology.Ownership;
import io.ovnmesos.topology.access.TenantAccess;
import io.ovnmesos.topology.network.Network;
import io.ovnmesos.topology.port.PortContext;
import io.ovnmesos.topology.port.PortLabels;
import io.ovnmesos.topology.port.PortMarks;
import io.ovnmesos.topology.port.PortPlan;
import io.ovnmesos.topology.port.PortPlanner;
import io.ovnmesos.topology.port.PortRepair;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Reconciliation decided in memory: the desired ports against Northbound rows, every column the
 * planner writes compared, each kind of drift by hand repaired to what the task asks.
 */
class ReconcilePlanTest {
  private static final Network NET = new Network("coke1", "coke", List.of("10.0.0.0/24", "fd00:0:0:1::/64"),
      List.of("10.0.0.1", "fd00:0:0:1::1"), List.of(), Optional.empty(), List.of(), "rtos-coke-coke1");
  private static final PortPlanner PLANNER = new PortPlanner(new PortContext.Fixed(Map.of("coke1", NET), Map.of(), Map.of()),
      TenantAccess.allowAll());
  private static final WantedPort WEB = new WantedPort("fw", "web.1", "web.1", "S0", "eth0",
      Map.of(PortLabels.LOGICAL_SWITCH, "coke1"), "web", "");

  /** The row the framework's writer inserts for {@code w}, as OVN then holds it. */
  private static LogicalSwitchPort asMade(WantedPort w) {
    PortPlan.Create c = (PortPlan.Create) new PortPlanner(new PortContext.Fixed(Map.of("coke1", NET), Map.of(), Map.of()),
        TenantAccess.allowAll()).plan(w.request());
    Map<String, Object> row = c.row();
    @SuppressWarnings("unchecked")
    List<String> addresses = (List<String>) row.get(LogicalSwitchPort.ADDRESSES);
    return port(w.name(), Set.copyOf(addresses), Set.copyOf(addresses), c.externalIds(), Map.of(), "");
  }

  private static LogicalSwitchPort port(String name, Set<String> addresses, Set<String> portSecurity,
      Map<String, String> ids, Map<String, String> options, String type) {
    return new LogicalSwitchPort(Uuid.of(UUID.nameUUIDFromBytes(name.getBytes()).toString()), name, type, addresses,
        portSecurity, Optional.empty(), options, Optional.of(true), Optional.empty(), Optional.empty(), Optional.empty(),
        Optional.empty(), ids);
  }

  private static LogicalSwitchPort with(LogicalSwitchPort p, UnaryOperator<Map<String, String>> ids) {
    return port(p.name(), p.addresses(), p.portSecurity(), ids.apply(new HashMap<>(p.externalIds())), p.options(), p.type());
  }

  private static ReconcilePlan plan(LogicalSwitchPort actual) {
    return ReconcilePlan.of(Map.of(WEB.name(), WEB), List.of(actual), Set.of("S0"), PLANNER);
  }

  @Test
  void aPortAsMadeHasNoDrift() {
    LogicalSwitchPort made = asMade(WEB);
    assertThat(made.addresses()).singleElement().asString().contains(" 10.0.0.").contains(" fd00::1:");
    assertThat(made.externalIds()).containsEntry(PortMarks.ADDRESS, made.addresses().iterator().next());
    assertThat(plan(made)).isEqualTo(new ReconcilePlan(1, List.of(), List.of(), Map.of(), List.of()));
  }

  static List<Arguments> drift() {
    LogicalSwitchPort made = asMade(WEB);
    String entry = made.addresses().iterator().next();
    String other = "0a:58:0a:00:00:63 10.0.0.99 fd00:0:0:1::63";
    return List.of(
        Arguments.of("addresses changed to another valid entry", port(made.name(), Set.of(other), made.portSecurity(),
            made.externalIds(), Map.of(), ""), List.of("addresses")),
        Arguments.of("addresses removed", port(made.name(), Set.of(), made.portSecurity(), made.externalIds(), Map.of(), ""),
            List.of("addresses")),
        Arguments.of("addresses set to dynamic", port(made.name(), Set.of("dynamic"), made.portSecurity(), made.externalIds(),
            Map.of(), ""), List.of("addresses")),
        Arguments.of("port security removed", port(made.name(), made.addresses(), Set.of(), made.externalIds(), Map.of(), ""),
            List.of("port_security")),
        Arguments.of("port security widened", port(made.name(), made.addresses(), Set.of(entry, other), made.externalIds(),
            Map.of(), ""), List.of("port_security")),
        Arguments.of("both changed, the address mark kept", port(made.name(), Set.of(other), Set.of(other), made.externalIds(),
            Map.of(), ""), List.of("addresses", "port_security")),
        Arguments.of("the task's mark changed", with(made, ids -> {
          ids.put(PortMarks.TASK_ID, "someone-else");
          return ids;
        }), List.of("external_ids")),
        Arguments.of("the owner mark removed", with(made, ids -> {
          ids.remove(PortMarks.OWNER);
          return ids;
        }), List.of("external_ids")),
        Arguments.of("the network and tenant marks removed", with(made, ids -> {
          ids.remove(Ownership.NETWORK);
          ids.remove(Ownership.TENANT);
          return ids;
        }), List.of("external_ids")),
        Arguments.of("the address mark removed", with(made, ids -> {
          ids.remove(PortMarks.ADDRESS);
          return ids;
        }), List.of("external_ids")),
        Arguments.of("the type changed", port(made.name(), made.addresses(), made.portSecurity(), made.externalIds(),
            Map.of(), "localport"), List.of("type")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("drift")
  void eachDriftIsRepairedToWhatTheTaskAsks(String what, LogicalSwitchPort drifted, List<String> columns) {
    LogicalSwitchPort made = asMade(WEB);
    ReconcilePlan plan = plan(drifted);
    assertThat(plan.create()).isEmpty();
    assertThat(plan.delete()).isEmpty();
    assertThat(plan.repair()).singleElement().satisfies(d -> {
      assertThat(d.port()).isEqualTo(WEB);
      assertThat(d.repair().uuid()).isEqualTo(drifted.uuid());
      assertThat(d.repair().drifted()).containsExactlyInAnyOrderElementsOf(columns);
    });
    LogicalSwitchPort repaired = apply(drifted, plan.repair().get(0).repair());
    assertThat(repaired.addresses()).isEqualTo(made.addresses());
    assertThat(repaired.portSecurity()).isEqualTo(made.portSecurity());
    assertThat(repaired.externalIds()).isEqualTo(made.externalIds());
    assertThat(repaired.type()).isEmpty();
    assertThat(plan(repaired).repair()).as("once repaired, nothing drifts").isEmpty();
  }

  @Test
  void marksTheWriterDoesNotSetAreKept() {
    LogicalSwitchPort annotated = with(asMade(WEB), ids -> {
      ids.put(PortMarks.CONTAINER_ID, "c-1");
      ids.put("operator/note", "keep me");
      ids.remove(PortMarks.AGENT_ID);
      return ids;
    });
    PortRepair r = plan(annotated).repair().get(0).repair();
    @SuppressWarnings("unchecked")
    Map<String, String> ids = (Map<String, String>) r.columns().get(LogicalSwitchPort.EXTERNAL_IDS);
    assertThat(ids).containsEntry(PortMarks.CONTAINER_ID, "c-1").containsEntry("operator/note", "keep me")
        .containsEntry(PortMarks.AGENT_ID, "S0");
    assertThat(r.columns()).containsOnlyKeys(LogicalSwitchPort.EXTERNAL_IDS);
  }

  @Test
  void withoutTheMarkTheEntryComesFromPortSecurityThenAddresses() {
    LogicalSwitchPort made = asMade(WEB);
    String entry = made.addresses().iterator().next();
    LogicalSwitchPort noMark = with(made, ids -> {
      ids.remove(PortMarks.ADDRESS);
      return ids;
    });
    LogicalSwitchPort addressesLost = port(made.name(), Set.of("garbage"), Set.of(entry), noMark.externalIds(), Map.of(), "");
    assertThat(apply(addressesLost, plan(addressesLost).repair().get(0).repair()).addresses()).containsExactly(entry);
    LogicalSwitchPort securityLost = port(made.name(), Set.of(entry), Set.of(), noMark.externalIds(), Map.of(), "");
    assertThat(apply(securityLost, plan(securityLost).repair().get(0).repair()).portSecurity()).containsExactly(entry);
  }

  @Test
  void anEntryThatDoesNotFitTheNetworkOrTheLabelsIsNeverRestored() {
    WantedPort fixed = new WantedPort("fw", "db.1", "db.1", "S0", "eth0",
        Map.of(PortLabels.LOGICAL_SWITCH, "coke1", PortLabels.IP_ADDRESS, "10.0.0.50"), "web", "");
    String outside = "0a:58:0a:00:01:02 10.0.1.2 fd00:0:0:1::2";
    String notTheLabel = "0a:58:0a:00:00:33 10.0.0.51 fd00:0:0:1::33";
    String ipv4Only = "0a:58:0a:00:00:32 10.0.0.50";
    LogicalSwitchPort lost = port(fixed.name(), Set.of(outside), Set.of(notTheLabel), Map.of(PortMarks.ADDRESS, ipv4Only,
        PortMarks.OWNER, PortMarks.OWNER_FRAMEWORK), Map.of(), "");
    ReconcilePlan plan = ReconcilePlan.of(Map.of(fixed.name(), fixed), List.of(lost), Set.of("S0"), PLANNER);
    PortRepair r = plan.repair().get(0).repair();
    assertThat(r.drifted()).contains("address");
    assertThat(r.columns()).doesNotContainKeys(LogicalSwitchPort.ADDRESSES, LogicalSwitchPort.PORT_SECURITY);
  }

  @Test
  void missingPortsAreCreatedAndOrphansDeletedNowOrAfterTheirAgentsGrace() {
    WantedPort other = new WantedPort("fw", "db.1", "db.1", "S1", "eth0", Map.of(PortLabels.LOGICAL_SWITCH, "coke1"), "web", "");
    LogicalSwitchPort gone = asMade(new WantedPort("fw", "old.1", "old.1", "S0", "eth0",
        Map.of(PortLabels.LOGICAL_SWITCH, "coke1"), "web", ""));
    LogicalSwitchPort away = asMade(new WantedPort("fw", "away.1", "away.1", "S7", "eth0",
        Map.of(PortLabels.LOGICAL_SWITCH, "coke1"), "web", ""));
    LogicalSwitchPort notOurs = port("router-port", Set.of("router"), Set.of(), Map.of(), Map.of(), "router");
    LogicalSwitchPort unannounced = with(asMade(new WantedPort("fw", "new.1", "new.1", "S0", "eth0",
        Map.of(PortLabels.LOGICAL_SWITCH, "coke1"), "web", "")), ids -> {
          ids.put(PortMarks.MADE_BY, PortMarks.OWNER_AGENT);
          return ids;
        });
    LogicalSwitchPort agentMade = with(asMade(WEB), ids -> {
      ids.put(PortMarks.MADE_BY, PortMarks.OWNER_AGENT);
      ids.put(PortMarks.TASK_ID, "wrong");
      return ids;
    });
    ReconcilePlan plan = ReconcilePlan.of(Map.of(WEB.name(), WEB, other.name(), other), List.of(gone, away, notOurs, agentMade, unannounced),
        Set.of("S0", "S1"), PLANNER);
    assertThat(plan.wanted()).isEqualTo(2);
    assertThat(plan.create()).as("the agent's port is adopted through the writer, not repaired")
        .containsExactlyInAnyOrder(WEB, other);
    assertThat(plan.repair()).isEmpty();
    assertThat(plan.delete()).containsExactly(gone.name());
    assertThat(plan.orphaned()).as("an agent-made port no task wants yet waits, even on an active agent")
        .isEqualTo(Map.of(away.name(), "S7", unannounced.name(), "S0"));
  }

  @Test
  void aPortOnAnUnknownNetworkIsNotDrift() {
    WantedPort lost = new WantedPort("fw", "x.1", "x.1", "S0", "eth0", Map.of(PortLabels.LOGICAL_SWITCH, "gone"), "web", "");
    LogicalSwitchPort p = port(lost.name(), Set.of(), Set.of(), Map.of(PortMarks.OWNER, PortMarks.OWNER_FRAMEWORK), Map.of(), "");
    assertThat(ReconcilePlan.of(Map.of(lost.name(), lost), List.of(p), Set.of("S0"), PLANNER).repair()).isEmpty();
  }

  /** {@code p} after OVN applied {@code r}'s update. */
  @SuppressWarnings("unchecked")
  private static LogicalSwitchPort apply(LogicalSwitchPort p, PortRepair r) {
    Map<String, Object> c = r.columns();
    return port(p.name(),
        c.containsKey(LogicalSwitchPort.ADDRESSES) ? Set.copyOf((List<String>) c.get(LogicalSwitchPort.ADDRESSES)) : p.addresses(),
        c.containsKey(LogicalSwitchPort.PORT_SECURITY) ? Set.copyOf((List<String>) c.get(LogicalSwitchPort.PORT_SECURITY))
            : p.portSecurity(),
        c.containsKey(LogicalSwitchPort.EXTERNAL_IDS) ? (Map<String, String>) c.get(LogicalSwitchPort.EXTERNAL_IDS)
            : p.externalIds(),
        c.containsKey(LogicalSwitchPort.OPTIONS) ? (Map<String, String>) c.get(LogicalSwitchPort.OPTIONS) : p.options(),
        c.containsKey(LogicalSwitchPort.TYPE) ? (String) c.get(LogicalSwitchPort.TYPE) : p.type());
  }
}
