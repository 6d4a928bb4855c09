package io.ovnmesos.faults.hostile;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.util.JsonFormat;
import io.ovnmesos.framework.Framework;
import io.ovnmesos.testbed.OvnTestbed;
import io.ovnmesos.testbed.Waiter;
import io.ovnmesos.testbed.junit.OvnTest;
import io.ovnmesos.testcluster.master.Master;
import io.ovnmesos.testcluster.master.MasterServer;
import io.ovnmesos.topology.port.PortMarks;
import java.time.Duration;
import java.util.List;
import org.apache.mesos.v1.Protos;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;

/**
 * Mesos events as an entry point: every task of {@code hostile/mesos.json} announced by the master
 * (TASK_ADDED on the operator API stream, then a snapshot on re-subscription), and none gets a port;
 * a good task launched after them does.
 */
@OvnTest(chassis = 0)
class MesosEventsHostileInputTest {
  private static final String BASE = "{\"name\":\"web\",\"taskId\":{\"value\":\"web\"},\"agentId\":{\"value\":\"S0\"},"
      + "\"command\":{\"value\":\"sleep 600\"},\"container\":{\"type\":\"MESOS\",\"networkInfos\":[{\"name\":\"ovn\","
      + "\"labels\":{\"labels\":[{\"key\":\"logical_switch\",\"value\":\"coke1\"}]}}]}}";

  @Test
  void noHostileTaskGetsAPortAndTheFrameworkCarriesOn(OvnTestbed ovn) throws Exception {
    LoneFramework.layOut(ovn, "10.10.0.0/16");
    Master master = new Master();
    master.addIdleAgent(Protos.AgentID.newBuilder().setValue("S0").build(), "agent-0");
    Protos.FrameworkID marathon = master.addFramework(Protos.FrameworkInfo.newBuilder().setName("marathon").setUser("root").build());
    SoftAssertions soft = new SoftAssertions();
    List<JsonNode> cases = Corpus.cases("mesos");
    try (MasterServer server = MasterServer.start(master, Duration.ofMillis(500));
        Framework framework = LoneFramework.start(server.address(), ovn)) {
      Waiter.until("the framework ready", Duration.ofSeconds(60), framework::isReady);
      int n = 0;
      for (JsonNode c : cases) {
        ObjectNode task = Corpus.merge((ObjectNode) Corpus.JSON.readTree(BASE), c.get("task"));
        if (!c.get("task").has("taskId")) {
          task.putObject("taskId").put("value", "hostile-" + n++);
        }
        Protos.TaskInfo.Builder b = Protos.TaskInfo.newBuilder();
        JsonFormat.parser().merge(task.toString(), b);
        master.launch(marathon, b.build());
      }
      // Events are handled in order: once the good task's port is there, every hostile one was seen.
      master.launch(marathon, goodTask());
      String good = PortMarks.frameworkPortName(marathon.getValue(), "good", "eth0");
      Waiter.until("the good task's port", Duration.ofSeconds(30), () -> ports(ovn).contains(good));
      soft.assertThat(ports(ovn)).as("the only port: the good task's").containsExactly(good);
      soft.assertThat(framework.isReady()).as("the framework still ready").isTrue();
      soft.assertThat(framework.metrics().scrape()).as("refusals counted by reason").contains("ovn_mesos_ports_refused_total");
    }
    // A new framework reads them all again from the snapshot, and still makes no port for them.
    try (MasterServer server = MasterServer.start(master, Duration.ofMillis(500));
        Framework framework = LoneFramework.start(server.address(), ovn)) {
      Waiter.until("a reconcile of the snapshot", Duration.ofSeconds(60), () -> framework.lastReconcile().isPresent());
      soft.assertThat(ports(ovn)).as("after a reconcile of the snapshot").hasSize(1);
    }
    System.out.printf("Mesos events hostile input: %d cases%n", cases.size());
    soft.assertAll();
  }

  private static Protos.TaskInfo goodTask() throws Exception {
    Protos.TaskInfo.Builder b = Protos.TaskInfo.newBuilder();
    JsonFormat.parser().merge(BASE.replace("\"web\"", "\"good\""), b);
    return b.build();
  }

  /** Task ports, whoever made them (not the routers' ports of the tenant's topology). */
  private static List<String> ports(OvnTestbed ovn) {
    List<String> out = new java.util.ArrayList<>();
    for (String owner : List.of(PortMarks.OWNER_FRAMEWORK, PortMarks.OWNER_AGENT)) {
      ovn.nbctl("--bare", "--columns=name", "find", "Logical_Switch_Port", "external_ids:" + PortMarks.OWNER + "=" + owner).out()
          .lines().filter(l -> !l.isBlank()).map(String::strip).forEach(out::add);
    }
    return out;
  }
}
