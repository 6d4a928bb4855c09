package io.ovnmesos.framework;

import static org.assertj.core.api.Assertions.assertThat;

import io.ovnmesos.testbed.OvnTestbed;
import io.ovnmesos.testbed.Waiter;
import io.ovnmesos.testbed.junit.OvnTest;
import io.ovnmesos.testcluster.master.Master;
import io.ovnmesos.testcluster.master.MasterServer;
import io.ovnmesos.topology.port.PortMarks;
import java.time.Duration;
import java.util.List;
import org.apache.mesos.v1.Protos;
import org.junit.jupiter.api.Test;

/**
 * A pod (task group): its networks are its executor's, which Mesos shows only in GET_EXECUTORS and
 * snapshots, never in TASK_ADDED. The executor's port is made when its first task is announced, and
 * kept while any of its tasks lives.
 */
@OvnTest(chassis = 0)
class PodTest {

  @Test
  void aPodsPortComesFromItsExecutorAndLivesWhileAnyOfItsTasksDoes(OvnTestbed ovn) throws Exception {
    MesosOvnCluster.layOut(ovn);
    Master state = MesosOvnCluster.idleAgents("S0");
    Protos.FrameworkID marathon = MesosOvnCluster.marathon(state);
    Protos.ExecutorInfo executor = Protos.ExecutorInfo.newBuilder().setType(Protos.ExecutorInfo.Type.DEFAULT)
        .setExecutorId(Protos.ExecutorID.newBuilder().setValue("pod-1.instance-1"))
        .setContainer(Protos.ContainerInfo.newBuilder().setType(Protos.ContainerInfo.Type.MESOS)
            .addNetworkInfos(Protos.NetworkInfo.newBuilder().setName("ovn").setLabels(Protos.Labels.newBuilder()
                .addLabels(Protos.Label.newBuilder().setKey("logical_switch").setValue("coke1")))))
        .build();
    List<Protos.TaskInfo> group = List.of(podTask("pod-1.web"), podTask("pod-1.sidecar"));
    String port = PortMarks.frameworkPortName(marathon.getValue(), "pod-1.instance-1", "eth0");
    try (MasterServer master = MasterServer.start(state, Duration.ofMillis(500))) {
      try (Framework f = Framework.start(MesosOvnCluster.standaloneSettings(master.address(), ovn.nbRemote()))) {
        Waiter.until("the framework subscribed", Duration.ofSeconds(30), f::isReady);
        state.launchGroup(marathon, executor, group);
        MesosOvnCluster.awaitPorts(ovn, port);
        assertThat(MesosOvnCluster.ports(ovn).stream().filter(n -> n.contains("/"))).containsExactly(port);

        state.kill(Protos.TaskID.newBuilder().setValue("pod-1.web").build());
        // Events are handled in order: once a later task's port exists, the kill was seen.
        state.launch(marathon, MesosOvnCluster.commandTask("marker", "S0", "coke1", "sleep 600"));
        MesosOvnCluster.awaitPorts(ovn, PortMarks.frameworkPortName(marathon.getValue(), "marker", "eth0"));
        assertThat(MesosOvnCluster.ports(ovn)).as("the sidecar still lives").contains(port);
      }
      // A restarted framework learns the executor from its snapshot, and keeps the port.
      try (Framework f = Framework.start(MesosOvnCluster.standaloneSettings(master.address(), ovn.nbRemote()))) {
        Waiter.until("reconciled", Duration.ofSeconds(30), () -> f.lastReconcile().map(r -> r.wanted() == 2).orElse(false));
        assertThat(f.lastReconcile().orElseThrow().deleted()).isZero();
        state.kill(Protos.TaskID.newBuilder().setValue("pod-1.sidecar").build());
        Waiter.until("the pod's port gone with its last task", Duration.ofSeconds(30),
            () -> !MesosOvnCluster.ports(ovn).contains(port));
      }
    }
  }

  private static Protos.TaskInfo podTask(String id) {
    return Protos.TaskInfo.newBuilder().setName(id).setTaskId(Protos.TaskID.newBuilder().setValue(id))
        .setAgentId(Protos.AgentID.newBuilder().setValue("S0")).setCommand(Protos.CommandInfo.newBuilder().setValue("sleep 600"))
        .build();
  }
}
