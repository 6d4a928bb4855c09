package io.ovnmesos.framework;

import static org.assertj.core.api.Assertions.assertThat;

import io.ovnmesos.testbed.OvnTestbed;
import io.ovnmesos.testbed.Waiter;
import io.ovnmesos.testbed.junit.OvnTest;
import io.ovnmesos.testcluster.master.Master;
import io.ovnmesos.testcluster.master.MasterServer;
import io.ovnmesos.topology.port.PortMarks;
import java.time.Duration;
import org.apache.mesos.v1.Protos;
import org.junit.jupiter.api.Test;

/**
 * After a Mesos master fails over, the new master knows no task until each agent re-registers, which
 * can take minutes. The framework must not take that first, empty snapshot for the truth: the ports
 * of tasks on agents not back yet wait for them (or for the orphan grace period).
 */
@OvnTest(chassis = 0)
class MasterFailoverTest {

  @Test
  void portsOfTasksOnAgentsNotYetBackSurviveAndTheirTasksReturnWithoutDuplicates(OvnTestbed ovn) throws Exception {
    MesosOvnCluster.layOut(ovn);
    Master state = MesosOvnCluster.idleAgents("S0", "S1");
    Protos.FrameworkID marathon = MesosOvnCluster.marathon(state);
    try (MasterServer master = MasterServer.start(state, Duration.ofMillis(500));
        Framework f = Framework.start(MesosOvnCluster.standaloneSettings(master.address(), ovn.nbRemote()))) {
      Waiter.until("the framework subscribed", Duration.ofSeconds(30), f::isReady);
      String id = f.frameworkId().orElseThrow();
      state.launch(marathon, MesosOvnCluster.commandTask("a", "S0", "coke1", "sleep 600"));
      state.launch(marathon, MesosOvnCluster.commandTask("b", "S1", "pepsi1", "sleep 600"));
      String a = PortMarks.frameworkPortName(marathon.getValue(), "a", "eth0");
      String b = PortMarks.frameworkPortName(marathon.getValue(), "b", "eth0");
      MesosOvnCluster.awaitPorts(ovn, a, b);

      state.failover();

      // The framework finds the master again and reconciles its snapshot: no tasks, no agents yet.
      Waiter.until("a reconcile against the failed-over master", Duration.ofSeconds(30),
          () -> f.lastReconcile().map(o -> o.wanted() == 0 && o.deferred() == 2).orElse(false));
      assertThat(MesosOvnCluster.ports(ovn)).as("nothing deleted for tasks whose agents are not back").contains(a, b);
      assertThat(f.frameworkId()).as("the new master took the framework back under its id").contains(id);
      // Both streams ended and came back: ready again (it once counted subscriptions and stayed unready).
      Waiter.until("ready again after the master failed over", Duration.ofSeconds(30), f::isReady);

      state.reregisterAgents();
      // Events are handled in order: once a later task's port exists, the re-added tasks were seen.
      state.launch(marathon, MesosOvnCluster.commandTask("c", "S0", "coke1", "sleep 600"));
      String c = PortMarks.frameworkPortName(marathon.getValue(), "c", "eth0");
      MesosOvnCluster.awaitPorts(ovn, c);
      assertThat(MesosOvnCluster.ports(ovn)).contains(a, b, c);
      assertThat(f.metrics().scrape()).as("no port was made again").contains("ovn_mesos_ports_provisioned_total 3.0");

      // An agent that shuts down gracefully is removed: its tasks are lost, and their ports go.
      state.agentRemoved(org.apache.mesos.v1.Protos.AgentID.newBuilder().setValue("S1").build());
      Waiter.until("b's port gone with its agent", Duration.ofSeconds(30), () -> !MesosOvnCluster.ports(ovn).contains(b));
      assertThat(MesosOvnCluster.ports(ovn)).contains(a, c);
    }
  }
}
