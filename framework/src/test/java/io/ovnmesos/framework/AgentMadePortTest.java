package io.ovnmesos.framework;

import static org.assertj.core.api.Assertions.assertThat;

import io.ovnmesos.framework.access.TenantAccess;
import io.ovnmesos.testbed.OvnTestbed;
import io.ovnmesos.testbed.Waiter;
import io.ovnmesos.testbed.junit.OvnTest;
import io.ovnmesos.topology.port.PortMarks;
import java.time.Duration;
import java.util.List;
import org.apache.mesos.v1.Protos;
import org.junit.jupiter.api.Test;

/**
 * Ports an agent made while no framework answered are the framework's once it is back: adopted, not
 * made twice, deleted when their tasks end, and removed if the framework's tenant rules refuse them.
 */
@OvnTest
class AgentMadePortTest {

  @Test
  void theFrameworkAdoptsWhatAgentsMadeWhileItWasDownAndAppliesItsRules(OvnTestbed ovn) throws Exception {
    MesosOvnCluster.layOut(ovn);
    try (MesosOvnCluster c = new MesosOvnCluster(ovn, true, 500)) {
      c.launch("web", "coke1", "sleep 600", "web");
      c.launch("intruder", "pepsi1", "sleep 600", "web");
      c.awaitState("web", Protos.TaskState.TASK_RUNNING);
      c.awaitState("intruder", Protos.TaskState.TASK_RUNNING);
      String web = PortMarks.frameworkPortName(c.marathon.getValue(), "web", "eth0");
      String intruder = PortMarks.frameworkPortName(c.marathon.getValue(), "intruder", "eth0");
      assertThat(c.frameworkPorts()).as("made by the agent under the framework's names").containsExactlyInAnyOrder(web, intruder);
      assertThat(ovn.nbctl("get", "Logical_Switch_Port", web, "external_ids:\"ovn-mesos/made-by\"").out()).isEqualTo("agent");
      String uuid = ovn.nbctl("get", "Logical_Switch_Port", web, "_uuid").out();
      String address = ovn.nbctl("get", "Logical_Switch_Port", web, "addresses").out();
      assertThat(address).as("the dynamic address is pinned, as the framework's are").doesNotContain("dynamic");

      c.startFramework(TenantAccess.parse(List.of("role:web=coke")));
      Waiter.until("the refused port removed", Duration.ofSeconds(30), () -> c.frameworkPorts().equals(java.util.Set.of(web)));
      assertThat(ovn.nbctl("get", "Logical_Switch_Port", web, "_uuid").out()).as("adopted, not made again").isEqualTo(uuid);
      assertThat(ovn.nbctl("get", "Logical_Switch_Port", web, "addresses").out()).isEqualTo(address);
      Waiter.until("the task id recorded", Duration.ofSeconds(30), () -> ovn.nbctl("get", "Logical_Switch_Port", web,
          "external_ids:\"ovn-mesos/task-id\"").out().equals("web"));
      assertThat(c.framework.metrics().scrape()).contains("ovn_mesos_ports_refused_total{reason=\"not_authorized\"} 1.0");

      c.master.kill(Protos.TaskID.newBuilder().setValue("web").build());
      c.awaitState("web", Protos.TaskState.TASK_KILLED);
      Waiter.until("the adopted port deleted with its task", Duration.ofSeconds(30), () -> c.frameworkPorts().isEmpty());
    }
  }
}
