package io.ovnmesos.framework;

import static io.ovnmesos.framework.MesosOvnCluster.ip;
import static io.ovnmesos.framework.MesosOvnCluster.pid;
import static org.assertj.core.api.Assertions.assertThat;

import io.ovnmesos.topology.access.TenantAccess;
import io.ovnmesos.testbed.Command;
import io.ovnmesos.testbed.OvnTestbed;
import io.ovnmesos.testbed.Waiter;
import io.ovnmesos.testbed.junit.OvnTest;
import io.ovnmesos.topology.port.PortMarks;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.mesos.v1.Protos;
import org.junit.jupiter.api.Test;

/**
 * The framework with a Mesos test cluster, the real CNI plugin and executor hook, and real OVN:
 * ports made before the agents ask, traffic between tasks, ports gone when tasks end, OVN equal to
 * Mesos after a restart, and tenant access refused with a clear failure.
 */
@OvnTest
class FrameworkTest {

  @Test
  void twoHundredTasksGetPortsBeforeTheirAddsTalkAndLoseThemWhenTheyEnd(OvnTestbed ovn) throws Exception {
    MesosOvnCluster.layOut(ovn);
    try (MesosOvnCluster c = new MesosOvnCluster(ovn)) {
      Framework f = c.startFramework(TenantAccess.allowAll());
      List<String> ids = new ArrayList<>();
      for (int i = 0; i < 200; i++) {
        String id = "web-" + i;
        // A few finish on their own; the rest run until killed.
        c.launch(id, "coke1", i % 20 == 19 ? "exit 0" : "sleep 600", "ovn-mesos");
        ids.add(id);
      }
      for (String id : ids) {
        Protos.TaskState expected = ids.indexOf(id) % 20 == 19 ? Protos.TaskState.TASK_FINISHED : Protos.TaskState.TASK_RUNNING;
        c.awaitState(id, expected);
      }
      // Every port existed when its ADD asked for it: no claim had to wait for the framework.
      String metrics = f.metrics().scrape();
      assertThat(metrics).contains("ovn_mesos_claims_total{outcome=\"ok\"} 200.0");
      assertThat(metrics).doesNotContain("outcome=\"ok_waited\"");

      Protos.Task first = c.task("web-0").orElseThrow();
      for (int i = 1; i < 200; i += 23) {
        Protos.Task other = c.task("web-" + i).orElseThrow();
        if (other.getState() != Protos.TaskState.TASK_RUNNING) {
          continue;
        }
        assertThat(Command.of("nsenter", "--net=/proc/" + pid(first) + "/ns/net", "ping", "-c", "1", "-W", "3", ip(other))
            .run().ok()).as("web-0 -> %s (%s)", other.getTaskId().getValue(), ip(other)).isTrue();
      }

      for (int i = 0; i < 100; i++) {
        c.master.kill(Protos.TaskID.newBuilder().setValue("web-" + i).build());
      }
      // Kills are asynchronous: compare only once Mesos has them all.
      for (int i = 0; i < 100; i++) {
        c.awaitState("web-" + i, i % 20 == 19 ? Protos.TaskState.TASK_FINISHED : Protos.TaskState.TASK_KILLED);
      }
      Waiter.until("OVN holds exactly the running tasks' ports", Duration.ofSeconds(60),
          () -> c.frameworkPorts().equals(c.wanted()));
      assertThat(c.wanted()).hasSize(95);
    }
  }

  @Test
  void afterARestartOvnMatchesMesosExactly(OvnTestbed ovn) throws Exception {
    MesosOvnCluster.layOut(ovn);
    try (MesosOvnCluster c = new MesosOvnCluster(ovn)) {
      Framework f = c.startFramework(TenantAccess.allowAll());
      for (int i = 0; i < 20; i++) {
        c.launch("api-" + i, "coke1", "sleep 600", "ovn-mesos");
      }
      for (int i = 0; i < 20; i++) {
        c.awaitState("api-" + i, Protos.TaskState.TASK_RUNNING);
      }
      String frameworkId = f.frameworkId().orElseThrow();
      c.stopFramework();

      // While no replica runs: ten tasks are killed, five are launched (their ADDs wait for it).
      for (int i = 0; i < 10; i++) {
        c.master.kill(Protos.TaskID.newBuilder().setValue("api-" + i).build());
      }
      for (int i = 0; i < 10; i++) {
        c.awaitState("api-" + i, Protos.TaskState.TASK_KILLED);
      }
      for (int i = 20; i < 25; i++) {
        c.launch("api-" + i, "coke1", "sleep 600", "ovn-mesos");
      }
      assertThat(c.frameworkPorts()).as("the killed tasks' ports are still there").hasSize(20);

      Framework again = c.startFramework(TenantAccess.allowAll());
      for (int i = 20; i < 25; i++) {
        c.awaitState("api-" + i, Protos.TaskState.TASK_RUNNING);
      }
      Waiter.until("OVN holds exactly the running tasks' ports", Duration.ofSeconds(30),
          () -> c.frameworkPorts().equals(c.wanted()));
      assertThat(c.wanted()).hasSize(15);
      assertThat(again.frameworkId()).as("the same framework id, from NB").contains(frameworkId);
      assertThat(again.lastReconcile().orElseThrow().deleted()).isEqualTo(10);
    }
  }

  @Test
  void aTaskMayNotUseAnotherTenantsNetwork(OvnTestbed ovn) throws Exception {
    MesosOvnCluster.layOut(ovn);
    try (MesosOvnCluster c = new MesosOvnCluster(ovn)) {
      Framework f = c.startFramework(TenantAccess.parse(List.of("role:coke-apps=coke")));
      c.launch("ok", "coke1", "sleep 600", "coke-apps");
      c.launch("sneaky", "pepsi1", "sleep 600", "coke-apps");
      c.awaitState("ok", Protos.TaskState.TASK_RUNNING);
      Protos.Task sneaky = c.awaitState("sneaky", Protos.TaskState.TASK_FAILED);
      String message = sneaky.getStatuses(sneaky.getStatusesCount() - 1).getMessage();
      assertThat(message).contains("may not use network \\\"pepsi1\\\" of tenant \\\"pepsi\\\"")
          .contains("\"code\":104");
      assertThat(c.frameworkPorts()).containsExactly(PortMarks.frameworkPortName(c.marathon.getValue(), "ok", "eth0"));
      assertThat(f.metrics().scrape()).contains("ovn_mesos_ports_refused_total{reason=\"not_authorized\"} 1.0");
    }
  }
}
