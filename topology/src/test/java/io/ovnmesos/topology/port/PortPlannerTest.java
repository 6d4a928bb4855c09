package io.ovnmesos.topology.port;

import static org.assertj.core.api.Assertions.assertThat;

import io.ovnmesos.topology.Ownership;
import io.ovnmesos.topology.access.TenantAccess;
import io.ovnmesos.topology.network.Network;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The planner over a fixed view of the Northbound: what one transaction's ports get, in milliseconds. */
class PortPlannerTest {
  private static final Network NET = new Network("coke1", "coke", List.of("10.0.0.0/29"), List.of("10.0.0.1"), List.of(),
      Optional.empty(), List.of(), "rtos-coke-coke1");

  private static PortContext view(Map<String, List<String>> byAgent) {
    return new PortContext.Fixed(Map.of("coke1", NET), Map.of("coke1", List.of("0a:58:0a:00:00:02 10.0.0.2")), byAgent);
  }

  private static PortRequest request(String name, String agent, Map<String, String> labels) {
    return new PortRequest(name, labels, Map.of(PortMarks.OWNER, PortMarks.OWNER_FRAMEWORK, PortMarks.AGENT_ID, agent),
        Map.of(), agent, Optional.of(new PortRequest.Identity(List.of("web"), "")));
  }

  private static PortPlan.Create created(PortPlan p) {
    assertThat(p).isInstanceOf(PortPlan.Create.class);
    return (PortPlan.Create) p;
  }

  @Test
  void onePlannerGivesEachPortOfATransactionItsOwnAddressUntilTheNetworkIsFull() {
    PortPlanner planner = new PortPlanner(view(Map.of()), TenantAccess.allowAll());
    Map<String, String> labels = Map.of(PortLabels.LOGICAL_SWITCH, "coke1");
    assertThat(created(planner.plan(request("p1", "S0", labels))).address().ovn()).isEqualTo("0a:58:0a:00:00:03 10.0.0.3");
    assertThat(created(planner.plan(request("p2", "S1", labels))).address().ovn()).isEqualTo("0a:58:0a:00:00:04 10.0.0.4");
    PortPlan fixed = planner.plan(request("p3", "S1", Map.of(PortLabels.LOGICAL_SWITCH, "coke1", PortLabels.IP_ADDRESS, "10.0.0.4")));
    assertThat(fixed).as("given out earlier in the same transaction").isEqualTo(new PortPlan.Refused(
        new PortRefusal(PortRefusal.Reason.NO_ADDRESS, "label ip_address 10.0.0.4 is held by another port of network coke1")));
    created(planner.plan(request("p4", "S1", labels)));
    created(planner.plan(request("p5", "S1", labels)));
    PortPlan full = planner.plan(request("p6", "S1", labels));
    assertThat(full).isInstanceOf(PortPlan.Refused.class);
    assertThat(((PortPlan.Refused) full).refusal().reason()).isEqualTo(PortRefusal.Reason.NO_ADDRESS);
    assertThat(planner.networks()).containsExactly(NET);
  }

  @Test
  void aPortAvoidsWhatItsAgentsTasksHoldElsewhereAndTheRowCarriesEveryMark() {
    PortPlanner planner = new PortPlanner(view(Map.of("S0", List.of("0a:58:0a:00:00:03 10.0.0.3"))), TenantAccess.allowAll());
    PortPlan.Create c = created(planner.plan(request("fw/ex/eth0", "S0", Map.of(PortLabels.LOGICAL_SWITCH, "coke1"))));
    assertThat(c.address().ips()).containsExactly("10.0.0.4");
    assertThat(c.externalIds()).containsEntry(Ownership.NETWORK, "coke1").containsEntry(Ownership.TENANT, "coke")
        .containsEntry(PortMarks.OWNER, PortMarks.OWNER_FRAMEWORK).containsEntry(PortMarks.AGENT_ID, "S0");
    assertThat(c.row()).containsEntry("addresses", List.of("0a:58:0a:00:00:04 10.0.0.4"))
        .containsEntry("port_security", List.of("0a:58:0a:00:00:04 10.0.0.4")).doesNotContainKey("options");
    assertThat(c.port().addresses()).containsExactly("10.0.0.4/29");
    assertThat(c.port().gateways()).containsExactly("10.0.0.1");
    PortPlan.Create other = created(planner.plan(request("fw/ex2/eth0", "S9", Map.of(PortLabels.LOGICAL_SWITCH, "coke1"))));
    assertThat(other.address().ips()).as("skipped, not taken: free for another agent").containsExactly("10.0.0.3");
  }

  @Test
  void tenantRulesAreCheckedForEveryRoleOfTheTask() {
    PortPlanner planner = new PortPlanner(view(Map.of()), TenantAccess.parse(List.of("role:web=coke")));
    PortRequest twoRoles = new PortRequest("p", Map.of(PortLabels.LOGICAL_SWITCH, "coke1"), Map.of(), Map.of(), "",
        Optional.of(new PortRequest.Identity(List.of("web", "batch"), "")));
    assertThat(planner.plan(twoRoles)).isEqualTo(new PortPlan.Refused(new PortRefusal(PortRefusal.Reason.NOT_AUTHORIZED,
        "role \"batch\" may not use network \"coke1\" of tenant \"coke\"")));
  }
}
