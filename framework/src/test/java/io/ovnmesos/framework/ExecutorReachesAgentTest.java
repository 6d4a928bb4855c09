package io.ovnmesos.framework;

import static org.assertj.core.api.Assertions.assertThat;

import io.ovnmesos.topology.access.TenantAccess;
import io.ovnmesos.testbed.OvnTestbed;
import io.ovnmesos.testbed.Waiter;
import io.ovnmesos.testbed.junit.OvnTest;
import java.time.Duration;
import org.apache.mesos.v1.Protos;
import org.junit.jupiter.api.Test;

/**
 * As on a real Mesos agent, each task's executor connects from inside the task's namespace to the
 * agent before the task starts. With the executor hook's agent paths, tasks of two tenants with the
 * same subnet both start; without them, the task fails as real Mesos fails it.
 */
@OvnTest
class ExecutorReachesAgentTest {

  @Test
  void tasksOfTwoTenantsWithOneSubnetBothStart(OvnTestbed ovn) throws Exception {
    MesosOvnCluster.layOut(ovn);
    try (MesosOvnCluster c = new MesosOvnCluster(ovn)) {
      Framework f = c.startFramework(TenantAccess.allowAll());
      c.launch("coke-web", "coke1", "sleep 600", "ovn-mesos");
      c.launch("pepsi-web", "pepsi1", "sleep 600", "ovn-mesos");
      Protos.Task coke = c.awaitState("coke-web", Protos.TaskState.TASK_RUNNING);
      Protos.Task pepsi = c.awaitState("pepsi-web", Protos.TaskState.TASK_RUNNING);
      String cokeIp = coke.getStatuses(coke.getStatusesCount() - 1).getContainerStatus().getNetworkInfos(0)
          .getIpAddresses(0).getIpAddress();
      String pepsiIp = pepsi.getStatuses(pepsi.getStatusesCount() - 1).getContainerStatus().getNetworkInfos(0)
          .getIpAddresses(0).getIpAddress();
      assertThat(cokeIp).as("the tenants' subnets overlap").isEqualTo(pepsiIp);
    }
  }

  @Test
  void withoutAPathToItsAgentATaskFailsAsMesosFailsIt(OvnTestbed ovn) throws Exception {
    MesosOvnCluster.layOut(ovn);
    try (MesosOvnCluster c = new MesosOvnCluster(ovn, false)) {
      Framework f = c.startFramework(TenantAccess.allowAll());
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
