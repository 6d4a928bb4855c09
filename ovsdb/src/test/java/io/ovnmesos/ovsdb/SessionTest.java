package io.ovnmesos.ovsdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.ovnmesos.ovsdb.txn.Condition;
import io.ovnmesos.ovsdb.txn.Operation;
import io.ovnmesos.ovsdb.txn.Transaction;
import io.ovnmesos.ovsdb.txn.TransactionResult;
import io.ovnmesos.testbed.Datapath;
import io.ovnmesos.testbed.OvnTestbed;
import io.ovnmesos.testbed.junit.OvnTest;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

@OvnTest(datapath = Datapath.DUMMY, chassis = 0)
class SessionTest {
  static final String NB = TransactTest.NB;

  @Test
  void aCancelledTransactionIsNeverApplied(OvnTestbed ovn) {
    try (OvsdbClient client = TransactTest.connect(ovn)) {
      Transaction t = client.transaction(NB);
      t.add(new Operation.Wait("Logical_Switch", List.of(Condition.eq("name", "gate")), List.of("name"), true,
          List.of(Map.of("name", "gate")), 60_000L));
      t.insert("Logical_Switch", Map.of("name", "marker"));
      CompletableFuture<TransactionResult> pending = t.commit();

      pending.cancel(true);
      ovn.nbctl("ls-add", "gate");
      client.echo();

      assertThat(ovn.nbctl("--bare", "--columns=name", "list", "Logical_Switch").out().lines()
          .filter(l -> !l.isBlank()).toList()).containsExactly("gate");
    }
  }

  @Test
  void aRequestWithoutAnAnswerTimesOutAndTheSessionGoesOn(OvnTestbed ovn) {
    try (OvsdbClient client = OvsdbClient.connect(OvsdbOptions.of(ovn.nbRemote())
        .withRequestTimeout(Duration.ofMillis(300)))) {
      Transaction t = client.transaction(NB);
      t.add(new Operation.Wait("Logical_Switch", List.of(Condition.eq("name", "never")), List.of("name"), true,
          List.of(Map.of("name", "never")), 60_000L));

      assertThatThrownBy(() -> OvsdbClient.join(t.commit()))
          .isInstanceOf(OvsdbTimeoutException.class).hasMessageContaining("transact").hasMessageContaining("300 ms");
      client.echo();
      assertThat(client.connectionCount()).isEqualTo(1);
    }
  }

  @Test
  void theInactivityProbeKeepsAQuietNetworkConnectionAliveAndLeavesAUnixSocketAlone(OvnTestbed ovn) {
    String tcp = ovn.central().nbServers().get(0).tcpRemote();
    try (OvsdbClient network = OvsdbClient.connect(OvsdbOptions.of(tcp).withProbeInterval(Duration.ofMillis(300)));
        OvsdbClient local = OvsdbClient.connect(OvsdbOptions.of(ovn.central().nbServers().get(0).unixRemote())
            .withProbeInterval(Duration.ofMillis(300)))) {
      // Quiet for several probe intervals: each silence is answered by the server's reply to our echo.
      await().atMost(Duration.ofSeconds(20)).until(() -> network.probesSent() >= 3);
      assertThat(network.isConnected()).isTrue();
      assertThat(network.connectionCount()).isEqualTo(1);
      // The kernel reports a unix socket's peer gone, so OVS never probes one, and neither do we.
      assertThat(local.probesSent()).as("probes on the unix socket over the same quiet time").isZero();
      local.echo();
      assertThat(local.connectionCount()).isEqualTo(1);
    }
  }

  @Test
  void theServersInactivityProbeIsAnsweredSoAQuietConnectionSurvivesIt(OvnTestbed ovn) {
    // ovsdb-server probes a quiet TCP client after 5 s and drops it 5 s later without an answer.
    // With our own probe off, only answering the server keeps the connection past 10 s.
    String tcp = ovn.central().nbServers().get(0).tcpRemote();
    try (OvsdbClient client = OvsdbClient.connect(OvsdbOptions.of(tcp).withProbeInterval(Duration.ZERO))) {
      await().atMost(Duration.ofSeconds(20)).until(() -> client.serverEchoesAnswered() >= 2);
      client.echo();
      assertThat(client.connectionCount()).isEqualTo(1);
    }
  }

  @Test
  void aCancelledMonitorStopsChangingItsCache(OvnTestbed ovn) {
    try (OvsdbClient client = TransactTest.connect(ovn)) {
      var cache = client.monitor(NB, io.ovnmesos.ovsdb.cache.MonitorSpec.create().table("Logical_Switch", "name"));
      ovn.nbctl("ls-add", "seen");
      cache.await("seen", Duration.ofSeconds(10), c -> c.rows("Logical_Switch").isEmpty()
          ? java.util.Optional.empty() : java.util.Optional.of(true)).join();

      client.cancelMonitor(cache);
      ovn.nbctl("ls-add", "unseen");
      client.echo();

      assertThat(cache.rows("Logical_Switch")).extracting(r -> r.string("name")).containsExactly("seen");
    }
  }

  @Test
  void manyRequestsInFlightAtOnceAllComplete(OvnTestbed ovn) {
    try (OvsdbClient client = TransactTest.connect(ovn)) {
      List<CompletableFuture<TransactionResult>> inFlight = new java.util.ArrayList<>();
      for (int i = 0; i < 500; i++) {
        Transaction t = client.transaction(NB);
        t.insert("Logical_Switch", Map.of("name", "sw" + i));
        inFlight.add(t.commit());
      }
      CompletableFuture.allOf(inFlight.toArray(CompletableFuture[]::new)).join();
      assertThat(ovn.nbctl("--bare", "--columns=name", "list", "Logical_Switch").out().lines()
          .filter(l -> !l.isBlank()).count()).isEqualTo(500);
    }
  }
}
