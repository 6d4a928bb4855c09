package io.ovnmesos.framework;

import static org.assertj.core.api.Assertions.assertThat;

import io.ovnmesos.testbed.OvnTestbed;
import io.ovnmesos.testbed.Waiter;
import io.ovnmesos.testbed.junit.OvnTest;
import io.ovnmesos.testcluster.master.Master;
import io.ovnmesos.testcluster.master.MasterServer;
import java.time.Duration;
import java.util.List;
import org.apache.mesos.v1.Protos;
import org.junit.jupiter.api.Test;

/** The framework launches nothing: it suppresses all its roles, and declines any offer for a year. */
@OvnTest(chassis = 0)
class ObserveOnlyTest {

  @Test
  void suppressesItsRolesAndDeclinesStrayOffersForAYear(OvnTestbed ovn) throws Exception {
    MesosOvnCluster.layOut(ovn);
    Master state = MesosOvnCluster.idleAgents("S0", "S1");
    try (MasterServer master = MasterServer.start(state, Duration.ofMillis(500))) {
      // As v1 SUBSCRIBE behaved before Mesos 1.5 (MESOS-8200): offers despite the suppression.
      master.scheduler().offerDespiteSuppression();
      try (Framework f = Framework.start(MesosOvnCluster.standaloneSettings(master.address(), ovn.nbRemote()))) {
        Waiter.until("the framework subscribed", Duration.ofSeconds(30), f::isReady);
        Protos.FrameworkID id = Protos.FrameworkID.newBuilder().setValue(f.frameworkId().orElseThrow()).build();
        assertThat(master.scheduler().suppressedRoles(id)).containsExactly("ovn-mesos");
        Waiter.until("the offers declined", Duration.ofSeconds(30), () -> !master.scheduler().declines().isEmpty());
        var decline = master.scheduler().declines().get(0);
        assertThat(decline.getOfferIdsList()).extracting(Protos.OfferID::getValue).hasSize(2);
        assertThat(decline.getFilters().getRefuseSeconds()).isEqualTo(31_536_000.0);
        assertThat(state.getTasks().getTasksList()).isEqualTo(List.of());
      }
    }
  }
}
