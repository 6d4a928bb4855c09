package io.ovnmesos.topology.port;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class PortMarksTest {
  private static final Map<String, String> FRAMEWORK_MADE = Map.of(PortMarks.OWNER, PortMarks.OWNER_FRAMEWORK,
      PortMarks.TASK_ID, "web.1", PortMarks.AGENT_ID, "S1");

  @Test
  void aFrameworkPortsNameGivesTheMarksTheFrameworkLeavesOut() {
    assertThat(PortMarks.withNameMarks(PortMarks.frameworkPortName("fw-1", "web.1", "eth0"), FRAMEWORK_MADE))
        .containsEntry(PortMarks.FRAMEWORK_ID, "fw-1").containsEntry(PortMarks.EXECUTOR_ID, "web.1")
        .containsEntry(PortMarks.IF_NAME, "eth0").containsEntry(PortMarks.TASK_ID, "web.1").containsEntry(PortMarks.AGENT_ID, "S1");
  }

  @Test
  void marksWrittenOnThePortWin() {
    Map<String, String> written = new java.util.HashMap<>(FRAMEWORK_MADE);
    written.put(PortMarks.EXECUTOR_ID, "pod-executor");
    assertThat(PortMarks.withNameMarks("fw-1/other/eth0", written)).containsEntry(PortMarks.EXECUTOR_ID, "pod-executor")
        .containsEntry(PortMarks.FRAMEWORK_ID, "fw-1");
  }

  @Test
  void otherPortsAndOtherNamesAreLeftAsTheyAre() {
    Map<String, String> agentMade = Map.of(PortMarks.OWNER, PortMarks.OWNER_AGENT);
    assertThat(PortMarks.withNameMarks("fw-1/web.1/eth0", agentMade)).isSameAs(agentMade);
    for (String name : new String[] {"task-a", "fw-1/web.1", "fw-1/web.1/eth0/x", "fw-1//eth0", "fw-1/web.1/-eth0"}) {
      assertThat(PortMarks.withNameMarks(name, FRAMEWORK_MADE)).as(name).isSameAs(FRAMEWORK_MADE);
    }
  }
}
