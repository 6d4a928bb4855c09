package io.ovnmesos.ovsdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ovnmesos.ovsdb.cache.DatabaseCache;
import io.ovnmesos.ovsdb.cache.MonitorSpec;
import io.ovnmesos.ovsdb.data.Row;
import io.ovnmesos.ovsdb.txn.Condition;
import io.ovnmesos.ovsdb.txn.OvsdbTransactionException;
import io.ovnmesos.ovsdb.txn.Transaction;
import io.ovnmesos.testbed.Datapath;
import io.ovnmesos.testbed.OvnTestbed;
import io.ovnmesos.testbed.OvsdbServer;
import io.ovnmesos.testbed.junit.OvnTest;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class FailoverTest {
  static final String NB = TransactTest.NB;

  static MonitorSpec switches() {
    return MonitorSpec.create().table("Logical_Switch", "name").index("Logical_Switch", "name");
  }

  static Optional<Boolean> hasSwitches(DatabaseCache c, int n) {
    return c.rows("Logical_Switch").size() == n ? Optional.of(true) : Optional.empty();
  }

  @Test
  @OvnTest(datapath = Datapath.DUMMY, chassis = 0)
  void aRestartedServerIsReconnectedAndTheCacheResynced(OvnTestbed ovn) {
    OvsdbServer nb = ovn.central().nbServers().get(0);
    try (OvsdbClient client = OvsdbClient.connect(OvsdbOptions.of(nb.tcpRemote()))) {
      DatabaseCache cache = client.monitor(NB, switches());
      ovn.nbctl("ls-add", "a");
      cache.await("a", Duration.ofSeconds(10), c -> c.lookupOne("Logical_Switch", "name", "a")).join();

      nb.kill();
      Transaction t = client.transaction(NB);
      t.insert("Logical_Switch", Map.of("name", "b"));
      CompletableFuture<?> duringOutage = t.commit();
      nb.start();

      duringOutage.join();
      cache.await("a and b", Duration.ofSeconds(10), c -> hasSwitches(c, 2)).join();
      assertThat(client.connectionCount()).isEqualTo(2);
      // A standalone server keeps no transaction history: the cache was resent whole.
      assertThat(cache.stats().fullSyncs()).isEqualTo(2);
      MonitorTest.assertCacheMatchesDatabase(client, cache);
    }
  }

  @Test
  @OvnTest(datapath = Datapath.DUMMY, chassis = 0)
  void noUsableRemoteIsReportedWithEachFailure(OvnTestbed ovn) {
    assertThatThrownBy(() -> OvsdbClient.connect(OvsdbOptions.of("tcp:127.0.0.1:1,unix:/nonexistent/nb.sock")
        .withConnectTimeout(Duration.ofMillis(500))))
        .isInstanceOf(OvsdbConnectionException.class)
        .hasMessageContaining("no usable OVSDB server among [tcp:127.0.0.1:1, unix:/nonexistent/nb.sock]");

    // A dead first remote is skipped.
    try (OvsdbClient client = OvsdbClient.connect(OvsdbOptions.of("tcp:127.0.0.1:1," + ovn.nbRemote()))) {
      assertThat(client.currentRemote().toString()).isEqualTo(ovn.nbRemote());
    }
  }

  @Test
  @OvnTest(datapath = Datapath.DUMMY, chassis = 0, nbClusterSize = 3)
  void aClusterClientResumesItsMonitorWithoutAFullResend(OvnTestbed ovn) {
    try (OvsdbClient client = OvsdbClient.connect(OvsdbOptions.of(ovn.central().nbTcpRemote()))) {
      DatabaseCache cache = client.monitor(NB, switches());
      for (int i = 0; i < 50; i++) {
        ovn.nbctl("ls-add", "sw" + i);
      }
      cache.await("50 switches", Duration.ofSeconds(10), c -> hasSwitches(c, 50)).join();
      assertThat(cache.stats().fullSyncs()).isEqualTo(1);
      assertThat(cache.stats().rowsInLastSync()).isZero();

      client.dropConnection();
      ovn.nbctl("ls-add", "while-away");

      cache.await("51 switches", Duration.ofSeconds(20), c -> hasSwitches(c, 51)).join();
      client.echo();
      assertThat(client.connectionCount()).isEqualTo(2);
      assertThat(cache.stats().fullSyncs()).as("full resends").isEqualTo(1);
      assertThat(cache.stats().resumes()).as("resumed monitors").isEqualTo(1);
      // The resume brought only what changed while away, not the 50 switches again.
      assertThat(cache.stats().rowsInLastSync()).isLessThanOrEqualTo(1);
      MonitorTest.assertCacheMatchesDatabase(client, cache);
    }
  }

  @Test
  @OvnTest(datapath = Datapath.DUMMY, chassis = 0, nbClusterSize = 3)
  void everyWriteCommitsExactlyOnceWhileTheLeaderIsKilled(OvnTestbed ovn) throws Exception {
    OvsdbOptions options = OvsdbOptions.of(ovn.central().nbTcpRemote()).withRequestTimeout(Duration.ofSeconds(5));
    try (OvsdbClient client = OvsdbClient.connect(options)) {
      DatabaseCache cache = client.monitor(NB, switches());
      OvsdbServer leader = ovn.central().nbLeader().orElseThrow();
      String firstRemote = client.currentRemote().toString();
      assertThat(firstRemote).isEqualTo(leader.tcpRemote());
      int writes = 300;
      AtomicInteger retries = new AtomicInteger();
      AtomicInteger alreadyCommitted = new AtomicInteger();

      CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
        for (int i = 0; i < writes; i++) {
          String name = "w" + i;
          while (true) {
            try {
              Transaction t = client.transaction(NB).guardAbsent("Logical_Switch", List.of(Condition.eq("name", name)));
              t.insert("Logical_Switch", Map.of("name", name));
              OvsdbClient.join(t.commit());
              break;
            } catch (OvsdbTransactionException e) {
              if (!e.isTimedOutWait()) {
                throw e;
              }
              alreadyCommitted.incrementAndGet(); // the attempt whose reply was lost had committed
              break;
            } catch (OvsdbConnectionException | OvsdbTimeoutException e) {
              retries.incrementAndGet(); // fate unknown: the guard makes the retry safe
            }
          }
        }
      });
      cache.await("some writes", Duration.ofSeconds(30), c -> c.rows("Logical_Switch").size() >= 50
          ? Optional.of(true) : Optional.empty()).join();
      int committedAtKill = cache.rows("Logical_Switch").size();
      leader.kill();
      writer.get(120, java.util.concurrent.TimeUnit.SECONDS);

      Transaction read = client.transaction(NB);
      read.select("Logical_Switch", List.of(), List.of("name"));
      List<String> names = read.commit().join().get(0).rows().stream().map(r -> r.string("name")).toList();
      assertThat(names).hasSize(writes).doesNotHaveDuplicates();
      assertThat(names).containsExactlyInAnyOrderElementsOf(
          java.util.stream.IntStream.range(0, writes).mapToObj(i -> "w" + i).toList());
      assertThat(client.currentRemote().toString()).isNotEqualTo(firstRemote);
      // The leader died while writes were still going, and the client followed the new one. Writes
      // whose request never left are carried over by the client itself; the rest are retried above.
      assertThat(committedAtKill).as("writes committed when the leader was killed").isLessThan(writes);
      assertThat(client.connectionCount()).as("connections made").isGreaterThanOrEqualTo(2);
      cache.await("all writes in cache", Duration.ofSeconds(10), c -> hasSwitches(c, writes)).join();
      MonitorTest.assertCacheMatchesDatabase(client, cache);
      System.out.printf("leader kill: %d writes, %d retried, %d found already committed%n", writes, retries.get(),
          alreadyCommitted.get());
    }
  }

  @Test
  @OvnTest(datapath = Datapath.DUMMY, chassis = 0, tls = true)
  void sslConnectionsUseTheCertificatesOvsPkiMade(OvnTestbed ovn) {
    var creds = ovn.pki().issue("ovn-mesos-client");
    var files = new io.ovnmesos.ovsdb.jsonrpc.TlsFiles(creds.privateKey(), creds.certificate(), ovn.pki().caCertificate());
    String ssl = ovn.central().nbServers().get(0).sslRemote();
    try (OvsdbClient client = OvsdbClient.connect(OvsdbOptions.of(ssl).withTls(files))) {
      Transaction t = client.transaction(NB);
      t.insert("Logical_Switch", Map.of("name", "over-tls"));
      t.commit().join();
      assertThat(client.currentRemote().toString()).isEqualTo(ssl);
      DatabaseCache cache = client.monitor(NB, switches());
      assertThat(cache.lookupOne("Logical_Switch", "name", "over-tls")).map(Row::uuid).isPresent();
    }
    // Without a certificate the CA signed, the server refuses the client.
    var stranger = io.ovnmesos.testbed.Pki.create(ovn.dir().resolve("other-pki"), Map.of()).issue("stranger");
    var wrong = new io.ovnmesos.ovsdb.jsonrpc.TlsFiles(stranger.privateKey(), stranger.certificate(), ovn.pki().caCertificate());
    assertThatThrownBy(() -> OvsdbClient.connect(OvsdbOptions.of(ssl).withTls(wrong).withConnectTimeout(Duration.ofSeconds(2))))
        .isInstanceOf(OvsdbConnectionException.class);
    assertThatThrownBy(() -> OvsdbClient.connect(OvsdbOptions.of(ssl).withConnectTimeout(Duration.ofSeconds(1))))
        .isInstanceOf(OvsdbConnectionException.class).hasMessageContaining("needs TLS files");
  }
}
