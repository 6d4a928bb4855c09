package io.ovnmesos.framework.task;

import static org.assertj.core.api.Assertions.assertThat;

import io.ovnmesos.framework.port.WantedPort;
import java.util.List;
import java.util.Set;
import org.apache.mesos.v1.Protos;
import org.junit.jupiter.api.Test;

/** A task's OVN interfaces, read as the agent's CNI isolator will attach them; ids Mesos would not allow give none. */
class TaskNetworksTest {
  private static Protos.NetworkInfo network(String name, String logicalSwitch) {
    Protos.NetworkInfo.Builder n = Protos.NetworkInfo.newBuilder();
    if (name != null) {
      n.setName(name);
    }
    return n.setLabels(Protos.Labels.newBuilder().addLabels(Protos.Label.newBuilder().setKey("logical_switch")
        .setValue(logicalSwitch))).build();
  }

  private static Protos.Task task(String framework, String id, String agent, Protos.NetworkInfo... networks) {
    return Protos.Task.newBuilder().setName(id).setTaskId(Protos.TaskID.newBuilder().setValue(id))
        .setFrameworkId(Protos.FrameworkID.newBuilder().setValue(framework)).setAgentId(Protos.AgentID.newBuilder().setValue(agent))
        .setState(Protos.TaskState.TASK_STAGING).setContainer(Protos.ContainerInfo.newBuilder()
            .setType(Protos.ContainerInfo.Type.MESOS).addAllNetworkInfos(List.of(networks))).build();
  }

  @Test
  void namedNetworksAreEthNInOrderAndOnlyOvnOnesArePorts() {
    TaskNetworks networks = new TaskNetworks(Set.of("ovn", "ovn2"));
    List<WantedPort> ports = networks.of(task("fw", "web.1", "S0", network(null, "x"), network("calico", "x"),
        network("ovn", "coke1"), network("ovn2", "coke2")), null, null);
    assertThat(ports).extracting(WantedPort::ifName).containsExactly("eth1", "eth2");
    assertThat(ports).extracting(WantedPort::name).containsExactly("fw/web.1/eth1", "fw/web.1/eth2");
  }

  @Test
  void idsMesosWouldNotAllowGiveNoPort() {
    TaskNetworks networks = new TaskNetworks(Set.of("ovn"));
    for (Protos.Task hostile : List.of(
        task("fw/web.2", "x", "S0", network("ovn", "coke1")),
        task("fw", "..", "S0", network("ovn", "coke1")),
        task("fw", "web\n1", "S0", network("ovn", "coke1")),
        task("fw", "web.1", "S0/../S1", network("ovn", "coke1")),
        task("fw", "w".repeat(256), "S0", network("ovn", "coke1")),
        task("", "web.1", "S0", network("ovn", "coke1")))) {
      assertThat(networks.of(hostile, null, null)).as(hostile.getFrameworkId().getValue() + " " + hostile.getTaskId().getValue())
          .isEmpty();
    }
  }
}
