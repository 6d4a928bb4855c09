package io.ovnmesos.framework;

import static org.assertj.core.api.Assertions.assertThat;

import io.ovnmesos.testbed.OvnTestbed;
import io.ovnmesos.testbed.Waiter;
import io.ovnmesos.testbed.junit.OvnTest;
import io.ovnmesos.testcluster.master.Master;
import io.ovnmesos.testcluster.master.MasterServer;
import io.ovnmesos.testcluster.master.ZooKeeperLeaderInfo;
import io.ovnmesos.topology.port.PortMarks;
import java.time.Duration;
import java.util.Optional;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.RetryOneTime;
import org.apache.curator.test.TestingServer;
import org.apache.mesos.v1.Protos;
import org.junit.jupiter.api.Test;

/**
 * {@code --master zk://...}: the framework finds the leading master where Mesos records it in a real
 * ZooKeeper, and follows a master failover: the leader's streams end, its znode goes, and the
 * framework subscribes to the next master, reconciles its snapshot, and goes on from there.
 */
@OvnTest(chassis = 0)
class MasterDetectionTest {

  @Test
  void followsTheLeadingMasterThroughZooKeeper(OvnTestbed ovn) throws Exception {
    MesosOvnCluster.layOut(ovn);
    // Two master processes over one replicated state, as a Mesos master quorum has.
    Master state = MesosOvnCluster.idleAgents("S0");
    Protos.FrameworkID marathon = MesosOvnCluster.marathon(state);
    try (TestingServer zk = new TestingServer(true);
        CuratorFramework masters = CuratorFrameworkFactory.newClient(zk.getConnectString(), new RetryOneTime(100));
        MasterServer first = MasterServer.start(state, Duration.ofMillis(500));
        MasterServer second = MasterServer.start(state, Duration.ofMillis(500))) {
      masters.start();
      ZooKeeperLeaderInfo firstLeads = ZooKeeperLeaderInfo.contend(masters, "/mesos", first, "master-1");
      ZooKeeperLeaderInfo.contend(masters, "/mesos", second, "master-2");
      try (Framework f = Framework.start(MesosOvnCluster.standaloneSettings("zk://" + zk.getConnectString() + "/mesos",
          ovn.nbRemote()))) {
        Waiter.until("the framework subscribed to the first master", Duration.ofSeconds(30), f::isReady);
        state.launch(marathon, MesosOvnCluster.commandTask("a", "S0", "coke1", "true"));
        String portA = PortMarks.frameworkPortName(marathon.getValue(), "a", "eth0");
        Waiter.until("task a's port", Duration.ofSeconds(30), () -> !ovn.nbctl("--bare", "--columns=name", "find",
            "Logical_Switch_Port", "name=\"" + portA + "\"").out().isBlank());
        String frameworkId = f.frameworkId().orElseThrow();

        // The leader fails over: it withdraws and its streams end; the second master leads.
        firstLeads.close();
        first.close();
        // Whether these events reach the framework as events or in the next snapshot, only the second
        // master can tell it about them.
        state.launch(marathon, MesosOvnCluster.commandTask("b", "S0", "coke1", "true"));
        state.kill(Protos.TaskID.newBuilder().setValue("a").build());
        String portB = PortMarks.frameworkPortName(marathon.getValue(), "b", "eth0");
        Waiter.until("b's port made and a's gone through the second master", Duration.ofSeconds(30), () -> {
          String names = ovn.nbctl("--bare", "--columns=name", "list", "Logical_Switch_Port").out();
          return names.contains(portB) && !names.contains(portA);
        });
        assertThat(f.frameworkId()).as("re-subscribed as the same framework").contains(frameworkId);
      }
    }
  }

  @Test
  void followsARedirectToTheLeaderAndWaitsOutAMasterWithoutOne(OvnTestbed ovn) throws Exception {
    MesosOvnCluster.layOut(ovn);
    Master state = MesosOvnCluster.idleAgents("S0");
    Protos.FrameworkID marathon = MesosOvnCluster.marathon(state);
    try (MasterServer leading = MasterServer.start(state, Duration.ofMillis(500));
        MasterServer asked = MasterServer.start(state, Duration.ofMillis(500))) {
      // The only master the framework is given knows no leader yet: 503, and the framework waits.
      asked.noLeader();
      try (Framework f = Framework.start(MesosOvnCluster.standaloneSettings(asked.address(), ovn.nbRemote()))) {
        Waiter.until("several calls answered 503", Duration.ofSeconds(30), () -> asked.notLeadingAnswers() >= 3);
        assertThat(f.isReady()).isFalse();
        // A leader is elected elsewhere: the master given redirects there, protocol-relative.
        asked.follow(leading);
        Waiter.until("subscribed through the redirect", Duration.ofSeconds(30), f::isReady);
        // The framework now talks to the leader itself.
        asked.close();
        state.launch(marathon, MesosOvnCluster.commandTask("r", "S0", "coke1", "true"));
        String port = PortMarks.frameworkPortName(marathon.getValue(), "r", "eth0");
        Waiter.until("the task's port", Duration.ofSeconds(30), () -> ovn.nbctl("--bare", "--columns=name", "list",
            "Logical_Switch_Port").out().contains(port));
      }
    }
  }

  @Test
  void authenticatesToAMasterThatRequiresIt(OvnTestbed ovn) throws Exception {
    MesosOvnCluster.layOut(ovn);
    Master state = new Master();
    try (MasterServer master = MasterServer.start(state, Duration.ofMillis(500))) {
      master.requireCredentials("ovn-mesos", "s3cret");
      Framework.Settings anonymous = MesosOvnCluster.standaloneSettings(master.address(), ovn.nbRemote());
      try (Framework f = Framework.start(anonymous)) {
        Waiter.until("both subscriptions refused, twice", Duration.ofSeconds(30), () -> master.unauthenticatedAnswers() >= 4);
        assertThat(f.isReady()).isFalse();
        assertThat(state.getState().getGetFrameworks().getFrameworksCount()).as("no framework registered").isZero();
      }
      Framework.Settings withSecret = new Framework.Settings(anonymous.master(), Optional.of("ovn-mesos:s3cret"),
          anonymous.nb(), anonymous.zk(), anonymous.zkPath(), anonymous.zkSessionTimeoutMillis(), anonymous.grpc(),
          anonymous.status(), anonymous.frameworkInfo().toBuilder().setPrincipal("ovn-mesos").build(), anonymous.ovnNetworks(),
          anonymous.access(), anonymous.unreachableGrace(), anonymous.orphanGrace(), anonymous.initialBackoff());
      try (Framework f = Framework.start(withSecret)) {
        Waiter.until("subscribed with credentials", Duration.ofSeconds(30), f::isReady);
      }
    }
  }
}
