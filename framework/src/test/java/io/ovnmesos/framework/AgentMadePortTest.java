package io.ovnmesos.framework;

import static org.assertj.core.api.Assertions.assertThat;

import io.ovnmesos.topology.access.TenantAccess;
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
      // The framework had no rules when the agent last heard it; it has some when it is back.
      c.teachHookRules(TenantAccess.allowAll());
      c.launch("web", "coke1", "sleep 600", "web");
      // A fixed address: a label the agent honours as the framework does.
      c.launchAt("intruder", "pepsi1", "10.10.0.77", "sleep 600", "web");
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

  @Test
  void withTheFrameworkDownTheAgentAppliesTheSameRulesFromWhatMesosCheckpointed(OvnTestbed ovn) throws Exception {
    MesosOvnCluster.layOut(ovn);
    try (MesosOvnCluster c = new MesosOvnCluster(ovn, true, 500)) {
      c.teachHookRules(TenantAccess.parse(List.of("role:web=coke")));
      // Marathon asks Mesos to checkpoint: the agent keeps framework.info and each task.info.
      Protos.FrameworkID checkpointing = c.master.addFramework(Protos.FrameworkInfo.newBuilder().setName("marathon-cp")
          .setUser("root").setPrincipal("marathon").setCheckpoint(true).build());
      c.master.launch(checkpointing, task("web", "coke1", "web"));
      c.master.launch(checkpointing, task("intruder", "pepsi1", "web"));
      c.master.launch(c.marathon, task("blind", "coke1", "web"));

      c.awaitState("web", Protos.TaskState.TASK_RUNNING);
      Protos.Task intruder = c.awaitState("intruder", Protos.TaskState.TASK_FAILED);
      assertThat(lastMessage(intruder)).contains("\"code\":104").contains("role \\\"web\\\" and principal \\\"marathon\\\" may not use network");
      Protos.Task blind = c.awaitState("blind", Protos.TaskState.TASK_FAILED);
      assertThat(lastMessage(blind)).as("no checkpoint, no role: fail closed").contains("\"code\":104")
          .contains("cannot read this task's role");
      assertThat(c.frameworkPorts()).as("only the allowed task's port")
          .containsExactly(PortMarks.frameworkPortName(checkpointing.getValue(), "web", "eth0"));
    }
  }

  private static Protos.TaskInfo task(String id, String network, String role) {
    return MesosOvnCluster.commandTask(id, "S0", network, "sleep 600").toBuilder()
        .addResources(Protos.Resource.newBuilder().setName("cpus").setType(Protos.Value.Type.SCALAR)
            .setScalar(Protos.Value.Scalar.newBuilder().setValue(0.01))
            .setAllocationInfo(Protos.Resource.AllocationInfo.newBuilder().setRole(role)))
        .build();
  }

  private static String lastMessage(Protos.Task t) {
    return t.getStatuses(t.getStatusesCount() - 1).getMessage();
  }
}
