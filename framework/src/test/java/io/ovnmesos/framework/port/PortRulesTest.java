package io.ovnmesos.framework.port;

import static org.assertj.core.api.Assertions.assertThat;

import io.ovnmesos.executorhook.AttachFailure;
import io.ovnmesos.executorhook.cni.CniException;
import io.ovnmesos.executorhook.cni.CniRequest;
import io.ovnmesos.executorhook.mesos.ExecutorSandboxes;
import io.ovnmesos.executorhook.port.AgentPorts;
import io.ovnmesos.executorhook.port.FrameworkPorts;
import io.ovnmesos.framework.claim.PortClaimService;
import io.ovnmesos.topology.access.TenantAccess;
import io.ovnmesos.topology.network.Network;
import io.ovnmesos.topology.port.PortContext;
import io.ovnmesos.topology.port.PortLabels;
import io.ovnmesos.topology.port.PortPlan;
import io.ovnmesos.topology.port.PortPlanner;
import io.ovnmesos.topology.port.PortRefusal;
import io.ovnmesos.topology.port.PortRequest;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The label rules as one table, each case planned through the framework's path (a task the master
 * announced) and through the agent's fallback (a CNI ADD the framework could not answer), over the
 * same in-memory Northbound: both must come to the same port, or the same refusal and CNI code.
 */
class PortRulesTest {
  private static final Network COKE1 = new Network("coke1", "coke", List.of("10.0.0.0/28"), List.of("10.0.0.1"),
      List.of("10.0.0.10..10.0.0.11"), Optional.empty(), List.of(), "rtos-coke-coke1");
  private static final Network DUAL = new Network("dual", "coke", List.of("10.1.0.0/24", "fd00:1::/64"),
      List.of("10.1.0.1", "fd00:1::1"), List.of(), Optional.empty(), List.of(), "rtos-coke-dual");
  private static final Network FULL = new Network("full", "coke", List.of("10.2.0.0/30"), List.of("10.2.0.1"), List.of(),
      Optional.empty(), List.of(), "rtos-coke-full");
  private static final Network PEPSI1 = new Network("pepsi1", "pepsi", List.of("10.0.0.0/28"), List.of("10.0.0.1"),
      List.of(), Optional.empty(), List.of(), "rtos-pepsi-pepsi1");

  /** coke1 has 10.0.0.2 taken; the task's agent S0 holds 10.0.0.3 on pepsi1; full has no address left. */
  private static PortContext northbound() {
    return new PortContext.Fixed(Map.of("coke1", COKE1, "dual", DUAL, "full", FULL, "pepsi1", PEPSI1),
        Map.of("coke1", List.of("0a:58:0a:00:00:02 10.0.0.2", "router"), "full", List.of("0a:58:0a:02:00:02 10.2.0.2"),
            "pepsi1", List.of("0a:58:0a:00:00:03 10.0.0.3")),
        Map.of("S0", List.of("0a:58:0a:00:00:03 10.0.0.3")));
  }

  private static final TenantAccess RULES = TenantAccess.parse(List.of("role:web=coke"));

  /** A case: the labels, and either the OVN address entry the port gets or the refusal's reason. */
  private record Case(String name, Map<String, String> labels, String entry, PortRefusal.Reason refused, int cniCode) {
    static Case gets(String name, Map<String, String> labels, String entry) {
      return new Case(name, labels, entry, null, 0);
    }

    static Case refused(String name, Map<String, String> labels, PortRefusal.Reason reason, int cniCode) {
      return new Case(name, labels, null, reason, cniCode);
    }
  }

  private static Map<String, String> on(String network, String... more) {
    Map<String, String> labels = new HashMap<>();
    if (network != null) {
      labels.put(PortLabels.LOGICAL_SWITCH, network);
    }
    for (int i = 0; i < more.length; i += 2) {
      labels.put(more[i], more[i + 1]);
    }
    return labels;
  }

  private static final String IP = PortLabels.IP_ADDRESS;
  private static final String MAC = PortLabels.MAC_ADDRESS;

  private static final List<Case> CASES = List.of(
      Case.refused("no logical_switch label", on(null), PortRefusal.Reason.INVALID_LABEL, CniException.INVALID_LABEL),
      Case.refused("an empty logical_switch label", on(""), PortRefusal.Reason.INVALID_LABEL, CniException.INVALID_LABEL),
      Case.refused("a network that does not exist", on("nope"), PortRefusal.Reason.UNKNOWN_NETWORK, CniException.UNKNOWN_NETWORK),
      Case.refused("another tenant's network", on("pepsi1"), PortRefusal.Reason.NOT_AUTHORIZED, CniException.NOT_AUTHORIZED),
      Case.gets("the next free address, skipping one the agent holds elsewhere", on("coke1"), "0a:58:0a:00:00:04 10.0.0.4"),
      Case.gets("a fixed address", on("coke1", IP, "10.0.0.9"), "0a:58:0a:00:00:09 10.0.0.9"),
      Case.gets("a fixed address and MAC, the MAC in lower case", on("coke1", IP, "10.0.0.9", MAC, "0A:00:00:00:00:99"),
          "0a:00:00:00:00:99 10.0.0.9"),
      Case.gets("a fixed MAC only", on("coke1", MAC, "0a:00:00:00:00:99"), "0a:00:00:00:00:99 10.0.0.4"),
      Case.refused("an address with an octet over 255", on("coke1", IP, "10.0.0.300"), PortRefusal.Reason.INVALID_LABEL,
          CniException.INVALID_LABEL),
      Case.refused("not an address", on("coke1", IP, "coke; reboot"), PortRefusal.Reason.INVALID_LABEL, CniException.INVALID_LABEL),
      Case.refused("a fixed IPv6 address", on("dual", IP, "fd00:1::5"), PortRefusal.Reason.INVALID_LABEL, CniException.INVALID_LABEL),
      Case.refused("outside the network", on("coke1", IP, "10.9.0.5"), PortRefusal.Reason.INVALID_LABEL, CniException.INVALID_LABEL),
      Case.refused("the gateway", on("coke1", IP, "10.0.0.1"), PortRefusal.Reason.INVALID_LABEL, CniException.INVALID_LABEL),
      Case.refused("the network address", on("coke1", IP, "10.0.0.0"), PortRefusal.Reason.INVALID_LABEL, CniException.INVALID_LABEL),
      Case.refused("the broadcast address", on("coke1", IP, "10.0.0.15"), PortRefusal.Reason.INVALID_LABEL, CniException.INVALID_LABEL),
      Case.refused("an excluded address", on("coke1", IP, "10.0.0.11"), PortRefusal.Reason.INVALID_LABEL, CniException.INVALID_LABEL),
      Case.refused("an address another port holds", on("coke1", IP, "10.0.0.2"), PortRefusal.Reason.NO_ADDRESS,
          CniException.NO_FREE_ADDRESS),
      Case.refused("a MAC that is not one", on("coke1", MAC, "zz"), PortRefusal.Reason.INVALID_LABEL, CniException.INVALID_LABEL),
      Case.refused("a multicast MAC", on("coke1", MAC, "01:00:5e:00:00:01"), PortRefusal.Reason.INVALID_LABEL,
          CniException.INVALID_LABEL),
      Case.gets("dual stack: IPv6 derived from the MAC", on("dual"), "0a:58:0a:01:00:02 10.1.0.2 fd00:1::858:aff:fe01:2"),
      Case.gets("dual stack with a fixed IPv4 address: IPv6 too", on("dual", IP, "10.1.0.7"),
          "0a:58:0a:01:00:07 10.1.0.7 fd00:1::858:aff:fe01:7"),
      Case.gets("dual stack with a fixed MAC: IPv6 from that MAC", on("dual", MAC, "0a:00:00:00:00:99"),
          "0a:00:00:00:00:99 10.1.0.2 fd00:1::800:ff:fe00:99"),
      Case.refused("a full network", on("full"), PortRefusal.Reason.NO_ADDRESS, CniException.NO_FREE_ADDRESS));

  /** The framework's path: the port for a task the master announced (role web, no principal). */
  private static PortPlan framework(Map<String, String> labels) {
    return new PortPlanner(northbound(), RULES).plan(new WantedPort("fw-1", "exec-1", "task-1", "S0", "eth0", labels, "web", "")
        .request());
  }

  /** The agent's fallback: the same task's container, its role read from the agent's checkpoint. */
  private static PortPlan agent(Map<String, String> labels) {
    CniRequest req = new CniRequest(CniRequest.Command.ADD, "cid-1", Optional.of("/proc/1/ns/net"), "eth0", "0.4.0", "ovn",
        labels, true, null);
    PortRequest request = AgentPorts.frameworkRequest(req, new ExecutorSandboxes.Owner("S0", "fw-1", "exec-1"), "chassis-1",
        Optional.of(new PortRequest.Identity(List.of("web"), "")));
    return new PortPlanner(northbound(), RULES).plan(request);
  }

  /** The CNI code the agent's ADD fails with for the framework's refusal, once it has crossed the wire. */
  private static int overTheWire(PortRefusal r) {
    return CniException.of(AttachFailure.refused(FrameworkPorts.fromWire(PortClaimService.refusal(r)).orElseThrow(), "")).code();
  }

  @Test
  void everyCaseHasOneOutcomeWhicheverSideMakesThePort() {
    for (Case c : CASES) {
      PortPlan f = framework(c.labels());
      PortPlan a = agent(c.labels());
      if (c.entry() != null) {
        assertThat(f).as(c.name() + ": framework").isInstanceOf(PortPlan.Create.class);
        assertThat(a).as(c.name() + ": agent").isInstanceOf(PortPlan.Create.class);
        PortPlan.Create fc = (PortPlan.Create) f;
        PortPlan.Create ac = (PortPlan.Create) a;
        assertThat(fc.address().ovn()).as(c.name()).isEqualTo(c.entry());
        assertThat(ac.address()).as(c.name() + ": the same address either way").isEqualTo(fc.address());
        assertThat(ac.port().addresses()).as(c.name()).isEqualTo(fc.port().addresses());
        assertThat(ac.port().gateways()).as(c.name()).isEqualTo(fc.port().gateways());
        assertThat(fc.row()).as(c.name() + ": port security is the address").containsEntry("port_security", List.of(c.entry()))
            .containsEntry("addresses", List.of(c.entry()));
        assertThat(ac.row()).as(c.name()).containsEntry("port_security", List.of(c.entry()));
      } else {
        assertThat(f).as(c.name() + ": framework").isInstanceOf(PortPlan.Refused.class);
        PortRefusal fr = ((PortPlan.Refused) f).refusal();
        assertThat(a).as(c.name() + ": agent").isInstanceOf(PortPlan.Refused.class);
        PortRefusal ar = ((PortPlan.Refused) a).refusal();
        assertThat(fr.reason()).as(c.name()).isEqualTo(c.refused());
        assertThat(ar).as(c.name() + ": the same refusal either way").isEqualTo(fr);
        assertThat(overTheWire(fr)).as(c.name() + ": CNI code, framework").isEqualTo(c.cniCode());
        assertThat(CniException.of(AttachFailure.refused(ar, "")).code()).as(c.name() + ": CNI code, agent").isEqualTo(c.cniCode());
      }
    }
  }

  @Test
  void anAgentThatCannotReadTheTasksRoleMakesNoPortUnderTenantRules() {
    CniRequest req = new CniRequest(CniRequest.Command.ADD, "cid-1", Optional.of("/proc/1/ns/net"), "eth0", "0.4.0", "ovn",
        on("coke1"), true, null);
    PortPlan unknown = new PortPlanner(northbound(), RULES).plan(AgentPorts.ownRequest(req, "chassis-1", Optional.empty()));
    assertThat(unknown).isInstanceOf(PortPlan.Refused.class);
    assertThat(((PortPlan.Refused) unknown).refusal().reason()).isEqualTo(PortRefusal.Reason.NOT_AUTHORIZED);
    PortPlan open = new PortPlanner(northbound(), TenantAccess.allowAll()).plan(AgentPorts.ownRequest(req, "chassis-1",
        Optional.empty()));
    assertThat(open).as("without rules, no identity is needed").isInstanceOf(PortPlan.Create.class);
    assertThat(((PortPlan.Create) open).row()).containsEntry("options", Map.of("iface-id-ver", "cid-1"));
  }
}
