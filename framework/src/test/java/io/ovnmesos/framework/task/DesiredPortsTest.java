package io.ovnmesos.framework.task;

import static org.assertj.core.api.Assertions.assertThat;

import io.ovnmesos.framework.port.WantedPort;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The desired state alone: which ports live tasks want, and which a task's end frees. */
class DesiredPortsTest {
  private static WantedPort port(String executor, String agent, String ifName) {
    return new WantedPort("fw", executor, executor, agent, ifName, Map.of("logical_switch", "coke1"), "*", "");
  }

  @Test
  void aPodsPortIsWantedUntilItsLastTaskEnds() {
    DesiredPorts desired = new DesiredPorts();
    WantedPort pod = port("pod-1", "S0", "eth0");
    assertThat(desired.track("fw/a", List.of(pod))).isEmpty();
    assertThat(desired.track("fw/b", List.of(pod))).isEmpty();
    assertThat(desired.release("fw/a")).isEmpty();
    assertThat(desired.wants(pod.name())).isTrue();
    assertThat(desired.release("fw/b")).containsExactly(pod);
    assertThat(desired.wants(pod.name())).isFalse();
    assertThat(desired.release("fw/b")).as("twice: nothing more").isEmpty();
  }

  @Test
  void trackingATaskAgainFreesOnlyThePortsItNoLongerHas() {
    DesiredPorts desired = new DesiredPorts();
    WantedPort eth0 = port("t", "S0", "eth0");
    WantedPort eth1 = port("t", "S0", "eth1");
    desired.track("fw/t", List.of(eth0, eth1));
    assertThat(desired.track("fw/t", List.of(eth0))).containsExactly(eth1);
    assertThat(desired.all()).containsOnlyKeys(eth0.name());
  }

  @Test
  void tasksAreFoundByAgentAndClearedWithASnapshot() {
    DesiredPorts desired = new DesiredPorts();
    desired.track("fw/a", List.of(port("a", "S0", "eth0")));
    desired.track("fw/b", List.of(port("b", "S1", "eth0")));
    desired.track("fw/none", List.of());
    assertThat(desired.tasksOn("S1")).containsExactly("fw/b");
    assertThat(desired.tasks()).isEqualTo(2);
    desired.clear();
    assertThat(desired.all()).isEmpty();
  }
}
