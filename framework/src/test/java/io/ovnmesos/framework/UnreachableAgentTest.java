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
 * An unreachable agent's tasks keep their ports, as the agent may come back with them running;
 * they go when the tasks are gone (the operator marks the agent gone), or when the grace period ends.
 */
@OvnTest(chassis = 0)
class UnreachableAgentTest {
  private static final Protos.AgentID S0 = Protos.AgentID.newBuilder().setValue("S0").build();
  private static final Protos.AgentID S1 = Protos.AgentID.newBuilder().setValue("S1").build();

  @Test
  void portsOutliveUnreachabilityUntilTheTasksAreGoneOrTheGraceEnds(OvnTestbed ovn) throws Exception {
    MesosOvnCluster.layOut(ovn);
    Master state = MesosOvnCluster.idleAgents("S0", "S1");
    Protos.FrameworkID marathon = MesosOvnCluster.marathon(state);
    try (MasterServer master = MasterServer.start(state, Duration.ofMillis(500))) {
      Framework.Settings s = MesosOvnCluster.standaloneSettings(master.address(), ovn.nbRemote());
      Framework.Settings shortGrace = new Framework.Settings(s.master(), s.masterCredentials(), s.nb(), s.zk(), s.zkPath(),
          s.zkSessionTimeoutMillis(), s.grpc(), s.status(), s.frameworkInfo(), s.ovnNetworks(), s.access(), Duration.ofSeconds(5),
          s.orphanGrace(), s.initialBackoff());
      try (Framework f = Framework.start(shortGrace)) {
        Waiter.until("the framework subscribed", Duration.ofSeconds(30), f::isReady);
        state.launch(marathon, MesosOvnCluster.commandTask("a", "S0", "coke1", "sleep 600"));
        state.launch(marathon, MesosOvnCluster.commandTask("b", "S1", "coke1", "sleep 600"));
        String a = PortMarks.frameworkPortName(marathon.getValue(), "a", "eth0");
        String b = PortMarks.frameworkPortName(marathon.getValue(), "b", "eth0");
        MesosOvnCluster.awaitPorts(ovn, a, b);

        state.agentUnreachable(S0);
        state.agentUnreachable(S1);
        // Events are handled in order: once a later task's port exists, the unreachability was seen.
        state.launch(marathon, MesosOvnCluster.commandTask("c", "S1", "pepsi1", "sleep 600"));
        String c = PortMarks.frameworkPortName(marathon.getValue(), "c", "eth0");
        MesosOvnCluster.awaitPorts(ovn, c);
        assertThat(MesosOvnCluster.ports(ovn)).as("unreachable tasks keep their ports").contains(a, b);

        // The operator marks S0 gone: a's port goes at once. b's goes when its grace period ends.
        state.agentGone(S0);
        Waiter.until("a's port gone", Duration.ofSeconds(30), () -> !MesosOvnCluster.ports(ovn).contains(a));
        Waiter.until("b's port gone after the grace period", Duration.ofSeconds(30),
            () -> !MesosOvnCluster.ports(ovn).contains(b));
        assertThat(MesosOvnCluster.ports(ovn)).contains(c);
      }
    }
  }
}
