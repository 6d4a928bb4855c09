package io.ovnmesos.ovsdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ovnmesos.ovsdb.cache.CacheListener;
import io.ovnmesos.ovsdb.cache.DatabaseCache;
import io.ovnmesos.ovsdb.cache.MonitorSpec;
import io.ovnmesos.ovsdb.cache.RowChange;
import io.ovnmesos.ovsdb.data.Row;
import io.ovnmesos.ovsdb.txn.Condition;
import io.ovnmesos.testbed.Datapath;
import io.ovnmesos.testbed.OvnTestbed;
import io.ovnmesos.testbed.Waiter;
import io.ovnmesos.testbed.junit.OvnTest;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

@OvnTest(datapath = Datapath.DUMMY, chassis = 0)
class MonitorTest {
  static final String NB = TransactTest.NB;

  static MonitorSpec ports() {
    return MonitorSpec.create()
        .table("Logical_Switch", "name", "ports", "other_config")
        .table("Logical_Switch_Port")
        .index("Logical_Switch_Port", "name")
        .index("Logical_Switch_Port", "addresses")
        .indexMapKey("Logical_Switch_Port", "external_ids", "ovn-mesos/task")
        .index("Logical_Switch", "name");
  }

  @ParameterizedTest
  @EnumSource(MonitorSpec.Method.class)
  void everyMonitorMethodKeepsTheCacheEqualToTheDatabase(MonitorSpec.Method method, OvnTestbed ovn) {
    ovn.nbctl("ls-add", "sw0", "--", "lsp-add", "sw0", "before");
    try (OvsdbClient client = TransactTest.connect(ovn)) {
      DatabaseCache cache = client.monitor(NB, ports().method(method));
      List<RowChange> seen = new CopyOnWriteArrayList<>();
      CacheListener listener = seen::addAll;
      cache.addListener(listener);

      assertThat(cache.lookupOne("Logical_Switch_Port", "name", "before")).isPresent();

      ovn.nbctl("lsp-add", "sw0", "p1", "--", "lsp-set-addresses", "p1", "0a:00:00:00:00:01 10.0.0.1",
          "--", "set", "Logical_Switch_Port", "p1", "external_ids:ovn-mesos/task=t1", "external_ids:keep=yes");
      Row p1 = cache.await("p1 in cache", Duration.ofSeconds(10),
          c -> c.lookupOne("Logical_Switch_Port", "name", "p1")).join();
      assertThat(p1.<String>set("addresses")).containsExactly("0a:00:00:00:00:01 10.0.0.1");
      assertThat(cache.lookupMapKey("Logical_Switch_Port", "external_ids", "ovn-mesos/task", "t1"))
          .extracting(Row::uuid).containsExactly(p1.uuid());
      assertThat(cache.lookupOne("Logical_Switch", "name", "sw0").orElseThrow().<Object>set("ports"))
          .contains(p1.uuid());

      // A map and a set change at once: keys added, replaced and removed; elements toggled.
      ovn.nbctl("lsp-set-addresses", "p1", "0a:00:00:00:00:01 10.0.0.9", "dynamic",
          "--", "set", "Logical_Switch_Port", "p1", "external_ids:ovn-mesos/task=t2",
          "--", "remove", "Logical_Switch_Port", "p1", "external_ids", "keep",
          "--", "set", "Logical_Switch_Port", "p1", "tag_request=7");
      Row changed = cache.await("p1 modified", Duration.ofSeconds(10), c -> c.lookupOne("Logical_Switch_Port", "name", "p1")
          .filter(r -> r.<Long>set("tag_request").contains(7L))).join();
      assertThat(changed.<String>set("addresses")).containsExactlyInAnyOrder("0a:00:00:00:00:01 10.0.0.9", "dynamic");
      assertThat(changed.<String, String>map("external_ids")).isEqualTo(Map.of("ovn-mesos/task", "t2"));
      assertThat(cache.lookupMapKey("Logical_Switch_Port", "external_ids", "ovn-mesos/task", "t1")).isEmpty();
      assertThat(cache.lookup("Logical_Switch_Port", "addresses", "dynamic")).hasSize(1);

      ovn.nbctl("lsp-del", "p1");
      cache.await("p1 gone", Duration.ofSeconds(10), c -> c.lookupOne("Logical_Switch_Port", "name", "p1").isEmpty()
          ? Optional.of(true) : Optional.empty()).join();

      // Readers take no lock: the cache may show the row gone a moment before its listeners are told.
      org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(seen)
          .extracting(RowChange::kind).contains(RowChange.Kind.INSERT, RowChange.Kind.MODIFY, RowChange.Kind.DELETE));
      assertThat(seen).filteredOn(c -> c.kind() == RowChange.Kind.DELETE && c.table().equals("Logical_Switch_Port"))
          .extracting(c -> c.oldRow().string("name")).containsExactly("p1");
      assertCacheMatchesDatabase(client, cache);
    }
  }

  @Test
  void aConditionalMonitorSeesOnlyMatchingRows(OvnTestbed ovn) {
    try (OvsdbClient client = TransactTest.connect(ovn)) {
      DatabaseCache cache = client.monitor(NB, MonitorSpec.create().table("Logical_Switch")
          .where("Logical_Switch", List.of(Condition.includes("external_ids", Map.of("owner", "ovn-mesos"))))
          .index("Logical_Switch", "name"));
      ovn.nbctl("ls-add", "theirs", "--", "ls-add", "ours", "--", "set", "Logical_Switch", "ours", "external_ids:owner=ovn-mesos");

      cache.await("ours", Duration.ofSeconds(10), c -> c.lookupOne("Logical_Switch", "name", "ours")).join();
      client.echo(); // one more round trip: any update for "theirs" would have arrived first
      assertThat(cache.rows("Logical_Switch")).extracting(r -> r.string("name")).containsExactly("ours");
    }
  }

  @Test
  void awaitWaitsForNorthdWithoutPollingAndTimesOutWithWhatItWaitedFor(OvnTestbed ovn) {
    try (OvsdbClient client = TransactTest.connect(ovn)) {
      DatabaseCache cache = client.monitor(NB, ports());
      var t = client.transaction(NB);
      t.insert("Logical_Switch", Map.of("name", "sw0", "other_config", Map.of("subnet", "10.1.0.0/24"),
          "ports", t.insert("Logical_Switch_Port", Map.of("name", "dyn", "addresses", List.of("dynamic")))));
      t.commit().join();

      String dynamic = cache.await("dynamic address of dyn", Duration.ofSeconds(10), c -> c
          .lookupOne("Logical_Switch_Port", "name", "dyn")
          .flatMap(r -> r.<String>optional("dynamic_addresses"))).join();
      assertThat(dynamic).matches("[0-9a-f:]{17} 10\\.1\\.0\\.\\d+");

      assertThatThrownBy(() -> OvsdbClient.join(cache.await("a port that never comes", Duration.ofMillis(300),
          c -> c.lookupOne("Logical_Switch_Port", "name", "never"))))
          .isInstanceOf(OvsdbTimeoutException.class).hasMessageContaining("waited 300 ms for a port that never comes");
      assertThatThrownBy(() -> cache.lookup("Logical_Switch_Port", "type", "router"))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no index on Logical_Switch_Port.type");
    }
  }

  /** Every monitored row in the cache equals what a fresh select returns, and nothing is missing. */
  static void assertCacheMatchesDatabase(OvsdbClient client, DatabaseCache cache) {
    cache.monitoredColumns().forEach((table, columns) -> {
      var t = client.transaction(cache.schema().name());
      t.select(table, List.of(), columns.stream().filter(c -> true).toList());
      List<Row> db = t.commit().join().get(0).rows();
      assertThat(cache.rows(table)).as("rows of %s", table).hasSameSizeAs(db);
      for (Row r : db) {
        Row cached = cache.row(table, cache.rows(table).stream()
            .filter(c -> columns.stream().allMatch(col -> c.get(col).equals(r.get(col)))).findFirst()
            .map(Row::uuid).orElseThrow(() -> new AssertionError(table + " row missing from cache: " + r))).orElseThrow();
        for (String col : columns) {
          assertThat(cached.get(col)).as("%s.%s", table, col).isEqualTo(r.get(col));
        }
      }
    });
  }

  @Test
  void aBackgroundMonitorTheServerRefusesFailsItsSyncAndLeavesNoWaitBehind(OvnTestbed ovn) {
    try (OvsdbClient client = TransactTest.connect(ovn)) {
      // A condition of the wrong type: the client passes it on, the server refuses the monitor.
      OvsdbClient.Monitoring m = client.monitorInBackground("OVN_Northbound", MonitorSpec.create()
          .table("Logical_Switch", "name").where("Logical_Switch", java.util.List.of(Condition.eq("name", 5))));
      assertThatThrownBy(() -> m.synced().get(10, java.util.concurrent.TimeUnit.SECONDS))
          .hasCauseInstanceOf(OvsdbException.class);
      Waiter.until("the first-contents wait dropped", java.time.Duration.ofSeconds(10), () -> m.cache().pendingWaits() == 0);
    }
  }
}
