package io.ovnmesos.framework;

import static org.assertj.core.api.Assertions.assertThat;

import io.ovnmesos.testbed.Command;
import io.ovnmesos.testbed.OvnTestbed;
import io.ovnmesos.testbed.Waiter;
import io.ovnmesos.testbed.junit.OvnTest;
import io.ovnmesos.topology.access.TenantAccess;
import io.ovnmesos.topology.port.PortMarks;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.mesos.v1.Protos;
import org.junit.jupiter.api.Test;

/**
 * Ports changed by hand in the Northbound while their tasks run: addresses, port security and marks
 * are each put back by the next resync, and traffic flows again.
 */
@OvnTest
class DriftRepairTest {
  private static final List<String> COLUMNS = List.of("addresses", "port_security", "external_ids", "type");

  private static String portOf(Protos.Task t) {
    return PortMarks.frameworkPortName(t.getFrameworkId().getValue(), t.getTaskId().getValue(), "eth0");
  }

  private static Map<String, String> columns(OvnTestbed ovn, String port) {
    Map<String, String> out = new TreeMap<>();
    for (String c : COLUMNS) {
      out.put(c, ovn.nbctl("get", "Logical_Switch_Port", port, c).out().strip());
    }
    return out;
  }

  @Test
  void driftByHandIsRepairedByTheNextResync(OvnTestbed ovn) throws Exception {
    MesosOvnCluster.layOut(ovn);
    try (MesosOvnCluster c = new MesosOvnCluster(ovn)) {
      Framework f = c.startFramework(c.settings(TenantAccess.allowAll()).withResync(Duration.ofMillis(300)));
      for (String id : List.of("a", "b", "d")) {
        c.launch(id, "coke1", "sleep 600", "ovn-mesos");
      }
      Protos.Task a = c.awaitState("a", Protos.TaskState.TASK_RUNNING);
      Protos.Task b = c.awaitState("b", Protos.TaskState.TASK_RUNNING);
      Protos.Task d = c.awaitState("d", Protos.TaskState.TASK_RUNNING);
      // The claim's container id is written after the port: compare only once it is there.
      Waiter.until("every port annotated", Duration.ofSeconds(30), () -> List.of(a, b, d).stream()
          .allMatch(t -> columns(ovn, portOf(t)).get("external_ids").contains(PortMarks.CONTAINER_ID)));
      Map<String, Map<String, String>> asMade = new TreeMap<>();
      for (Protos.Task t : List.of(a, b, d)) {
        asMade.put(portOf(t), columns(ovn, portOf(t)));
      }
      String ipB = b.getStatuses(b.getStatusesCount() - 1).getContainerStatus().getNetworkInfos(0).getIpAddresses(0)
          .getIpAddress();
      long pidA = a.getStatuses(a.getStatusesCount() - 1).getContainerStatus().getExecutorPid();

      ovn.nbctl("set", "Logical_Switch_Port", portOf(a), "addresses=\"0a:58:0a:00:00:fa 10.0.0.250\"");
      ovn.nbctl("clear", "Logical_Switch_Port", portOf(b), "port_security");
      ovn.nbctl("remove", "Logical_Switch_Port", portOf(d), "external_ids", PortMarks.TASK_ID);
      ovn.nbctl("set", "Logical_Switch_Port", portOf(d), "external_ids:" + PortMarks.ADDRESS + "=garbage", "type=localport");

      Waiter.until("every port back as made", Duration.ofSeconds(30), () -> asMade.entrySet().stream()
          .allMatch(e -> columns(ovn, e.getKey()).equals(e.getValue())));
      assertThat(f.metrics().scrape()).containsPattern("ovn_mesos_ports_reconciled_total\\{action=\"repaired\"\\} [1-9]");
      assertThat(Command.of("nsenter", "--net=/proc/" + pidA + "/ns/net", "ping", "-c", "1", "-W", "3", ipB).run().ok())
          .as("a -> b once both are repaired").isTrue();
    }
  }
}
