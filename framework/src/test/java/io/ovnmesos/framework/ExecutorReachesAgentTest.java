package io.ovnmesos.framework;

import static org.assertj.core.api.Assertions.assertThat;

import io.ovnmesos.topology.access.TenantAccess;
import io.ovnmesos.testbed.Waiter;
import io.ovnmesos.testbed.junit.OvnTest;
import io.ovnmesos.testbed.OvnTestbed;
import java.time.Duration;
import java.util.List;
import org.apache.mesos.v1.Protos;
import org.junit.jupiter.api.Test;

/**
 * As on a real Mesos agent, each task's executor connects from inside the task's namespace to the
 * agent before the task starts, and under Mesos' default (driver-based command executors) the agent
 * then connects to the executor at the task's address. Tasks of two tenants with the same subnet on
 * one agent, in each mode: under driver-based executors the framework gives them different
 * addresses and both start, and a fixed address the other tenant's task has here is refused with a
 * clear error; under HTTP executors both start, even on one address.
 */
@OvnTest
class ExecutorReachesAgentTest {

  private static String address(Protos.Task t) {
    return t.getStatuses(t.getStatusesCount() - 1).getContainerStatus().getNetworkInfos(0).getIpAddresses(0).getIpAddress();
  }

  @Test
  void underMesosDefaultTasksOfTwoTenantsWithOneSubnetBothStartAndTheAgentReachesEachExecutor(OvnTestbed ovn)
      throws Exception {
    MesosOvnCluster.layOut(ovn);
    try (MesosOvnCluster c = new MesosOvnCluster(ovn)) {
      c.startFramework(TenantAccess.allowAll());
      c.launch("coke-web", "coke1", "sleep 600", "ovn-mesos");
      c.launch("pepsi-web", "pepsi1", "sleep 600", "ovn-mesos");
      Protos.Task coke = c.awaitState("coke-web", Protos.TaskState.TASK_RUNNING);
      Protos.Task pepsi = c.awaitState("pepsi-web", Protos.TaskState.TASK_RUNNING);
      assertThat(address(coke)).startsWith("10.10.");
      assertThat(address(pepsi)).startsWith("10.10.")
          .as("tasks on one agent never share an address, though their subnets do").isNotEqualTo(address(coke));
      for (Protos.Task t : List.of(coke, pepsi)) {
        assertThat(c.agent.executorPeer(t.getTaskId())).as("the agent's connection, seen in %s's container",
            t.getTaskId().getValue()).contains(MesosOvnCluster.AGENT_ADDRESS);
      }

      // A fixed address that the other tenant's task already has on this agent: refused at ADD, with
      // the reason and the remedy; never a task stuck in TASK_STAGING.
      c.launchAt("pepsi-fixed", "pepsi1", address(coke), "sleep 600");
      Protos.Task refused = c.awaitState("pepsi-fixed", Protos.TaskState.TASK_FAILED);
      Protos.TaskStatus last = refused.getStatuses(refused.getStatusesCount() - 1);
      assertThat(last.getReason()).isEqualTo(Protos.TaskStatus.Reason.REASON_CONTAINER_LAUNCH_FAILED);
      assertThat(last.getMessage()).contains("\"code\":105").contains(address(coke)).contains("--http_command_executor=true");
      assertThat(c.agent.strandedTasks()).isEmpty();
      Waiter.until("the refused task's port gone", Duration.ofSeconds(30),
          () -> c.frameworkPorts().stream().noneMatch(p -> p.contains("pepsi-fixed")));
    }
  }

  @Test
  void underHttpExecutorsTasksOfTwoTenantsOnOneAddressBothStart(OvnTestbed ovn) throws Exception {
    MesosOvnCluster.layOut(ovn);
    try (MesosOvnCluster c = new MesosOvnCluster(ovn, true, 20_000, true)) {
      c.startFramework(TenantAccess.allowAll());
      c.launchAt("coke-web", "coke1", "10.10.0.50", "sleep 600");
      c.launchAt("pepsi-web", "pepsi1", "10.10.0.50", "sleep 600");
      Protos.Task coke = c.awaitState("coke-web", Protos.TaskState.TASK_RUNNING);
      Protos.Task pepsi = c.awaitState("pepsi-web", Protos.TaskState.TASK_RUNNING);
      assertThat(address(coke)).isEqualTo(address(pepsi)).isEqualTo("10.10.0.50");
      assertThat(c.agent.executorPeer(coke.getTaskId())).as("nobody connects to an HTTP executor").isEmpty();
    }
  }

  @Test
  void withoutAPathToItsAgentATaskFailsAsMesosFailsIt(OvnTestbed ovn) throws Exception {
    MesosOvnCluster.layOut(ovn);
    try (MesosOvnCluster c = new MesosOvnCluster(ovn, false)) {
      c.startFramework(TenantAccess.allowAll());
      c.launch("stranded", "coke1", "sleep 600", "ovn-mesos");
      Protos.Task t = c.awaitState("stranded", Protos.TaskState.TASK_FAILED);
      Protos.TaskStatus last = t.getStatuses(t.getStatusesCount() - 1);
      assertThat(last.getMessage()).isEqualTo("Executor terminated");
      assertThat(last.getReason()).isEqualTo(Protos.TaskStatus.Reason.REASON_EXECUTOR_TERMINATED);
      assertThat(last.getSource()).isEqualTo(Protos.TaskStatus.Source.SOURCE_AGENT);
      assertThat(t.getStatusesList()).extracting(Protos.TaskStatus::getState).doesNotContain(Protos.TaskState.TASK_RUNNING);
      Waiter.until("its port gone with it", Duration.ofSeconds(30), () -> c.frameworkPorts().isEmpty());
    }
  }
}
