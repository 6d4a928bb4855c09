package io.ovnmesos.framework;

import static org.assertj.core.api.Assertions.assertThat;

import io.ovnmesos.framework.ha.FencingEpoch;
import io.ovnmesos.ovsdb.OvsdbClient;
import io.ovnmesos.ovsdb.OvsdbOptions;
import io.ovnmesos.testbed.OvnTestbed;
import io.ovnmesos.testbed.Waiter;
import io.ovnmesos.testbed.junit.OvnTest;
import java.time.Duration;
import org.apache.curator.test.TestingServer;
import org.apache.mesos.v1.Protos;
import org.junit.jupiter.api.Test;

/**
 * Two framework replicas electing through a real ZooKeeper (Curator's in-process server), with the
 * Mesos test cluster, the real agent side and real OVN: the standby takes over with no port lost or
 * doubled, and a leader deposed behind its back stops writing and lets the other lead.
 */
@OvnTest
class FrameworkHaTest {

  @Test
  void theStandbyTakesOverWithNoPortLostOrDoubled(OvnTestbed ovn) throws Exception {
    MesosOvnCluster.layOut(ovn);
    try (TestingServer zk = new TestingServer(true); MesosOvnCluster c = new MesosOvnCluster(ovn)) {
      Framework a = c.startReplica(0, zk.getConnectString());
      Waiter.until("replica a leads and is subscribed", Duration.ofSeconds(30), a::isReady);
      Framework b = c.startReplica(1, zk.getConnectString());
      assertThat(b.isLeader()).as("b stands by while a leads").isFalse();
      for (int i = 0; i < 20; i++) {
        c.launch("db-" + i, "coke1", "sleep 600", "ovn-mesos");
      }
      for (int i = 0; i < 20; i++) {
        c.awaitState("db-" + i, Protos.TaskState.TASK_RUNNING);
      }
      String frameworkId = a.frameworkId().orElseThrow();
      long epochA = a.epoch();

      long stopped = System.nanoTime();
      a.close();
      Waiter.until("replica b leads and is subscribed", Duration.ofSeconds(30), b::isReady);
      System.out.printf("takeover after a leader stopped: %d ms%n", (System.nanoTime() - stopped) / 1_000_000);
      assertThat(b.epoch()).isGreaterThan(epochA);
      assertThat(b.frameworkId()).contains(frameworkId);

      for (int i = 20; i < 40; i++) {
        c.launch("db-" + i, "coke1", "sleep 600", "ovn-mesos");
      }
      for (int i = 0; i < 10; i++) {
        c.master.kill(Protos.TaskID.newBuilder().setValue("db-" + i).build());
      }
      for (int i = 0; i < 10; i++) {
        c.awaitState("db-" + i, Protos.TaskState.TASK_KILLED);
      }
      for (int i = 20; i < 40; i++) {
        c.awaitState("db-" + i, Protos.TaskState.TASK_RUNNING);
      }
      Waiter.until("OVN holds exactly the running tasks' ports", Duration.ofSeconds(30),
          () -> c.frameworkPorts().equals(c.wanted()));
      assertThat(c.wanted()).hasSize(30);
      // Names are unique in OVN, so a doubled port would show as a second row for one task.
      assertThat(ovn.nbctl("--bare", "--columns=_uuid", "find", "Logical_Switch_Port", "external_ids:ovn-mesos/owner=framework")
          .out().lines().filter(l -> !l.isBlank()).count()).isEqualTo(30);
    }
  }

  @Test
  void aLeaderDeposedBehindItsBackStopsWritingAndTheOtherLeads(OvnTestbed ovn) throws Exception {
    MesosOvnCluster.layOut(ovn);
    try (TestingServer zk = new TestingServer(true); MesosOvnCluster c = new MesosOvnCluster(ovn)) {
      Framework a = c.startReplica(0, zk.getConnectString());
      Waiter.until("replica a leads and is subscribed", Duration.ofSeconds(30), a::isReady);
      Framework b = c.startReplica(1, zk.getConnectString());
      c.launch("before", "coke1", "sleep 600", "ovn-mesos");
      c.awaitState("before", Protos.TaskState.TASK_RUNNING);

      // Someone takes a newer epoch while a still believes it leads (a long pause, a partition).
      try (OvsdbClient raw = OvsdbClient.connect(OvsdbOptions.of(ovn.nbRemote()));
          FencingEpoch other = new FencingEpoch(raw)) {
        other.acquire();
      }
      c.launch("after", "coke1", "sleep 600", "ovn-mesos");

      Waiter.until("a stepped down and b leads", Duration.ofSeconds(30), () -> !a.isLeader() && b.isReady());
      assertThat(a.metrics().scrape()).contains("ovn_mesos_framework_errors_total{kind=\"fenced\"} 1.0");
      // The agent's claim moved on to b, which made the port from its snapshot.
      c.awaitState("after", Protos.TaskState.TASK_RUNNING);
      Waiter.until("OVN holds exactly the running tasks' ports", Duration.ofSeconds(30),
          () -> c.frameworkPorts().equals(c.wanted()));
      assertThat(c.wanted()).hasSize(2);
    }
  }
}
