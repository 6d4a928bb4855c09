package io.ovnmesos.ovsdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ovnmesos.ovsdb.data.NamedUuid;
import io.ovnmesos.ovsdb.data.Row;
import io.ovnmesos.ovsdb.data.Uuid;
import io.ovnmesos.ovsdb.txn.Condition;
import io.ovnmesos.ovsdb.txn.Mutation;
import io.ovnmesos.ovsdb.txn.Operation;
import io.ovnmesos.ovsdb.txn.OvsdbTransactionException;
import io.ovnmesos.ovsdb.txn.Transaction;
import io.ovnmesos.ovsdb.txn.TransactionResult;
import io.ovnmesos.testbed.Datapath;
import io.ovnmesos.testbed.OvnTestbed;
import io.ovnmesos.testbed.junit.OvnTest;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

@OvnTest(datapath = Datapath.DUMMY, chassis = 0)
class TransactTest {
  static final String NB = "OVN_Northbound";

  static OvsdbClient connect(OvnTestbed ovn) {
    return OvsdbClient.connect(OvsdbOptions.of(ovn.nbRemote()));
  }

  @Test
  void listsDatabasesAndReadsTheSchema(OvnTestbed ovn) {
    try (OvsdbClient client = connect(ovn)) {
      assertThat(client.listDatabases()).contains(NB, "_Server");
      var lsp = client.schema(NB).table("Logical_Switch_Port");
      assertThat(lsp.column("addresses").type().isSet()).isTrue();
      assertThat(lsp.column("external_ids").type().isMap()).isTrue();
      assertThat(lsp.column("name").type().isScalar()).isTrue();
      assertThat(client.schema(NB).table("ACL").column("direction").type().key().enumValues())
          .containsExactlyInAnyOrder("from-lport", "to-lport");
    }
  }

  @Test
  void insertsRowsWithNamedUuidsAndSelectsThemBack(OvnTestbed ovn) {
    try (OvsdbClient client = connect(ovn)) {
      Transaction t = client.transaction(NB);
      NamedUuid p1 = t.insert("Logical_Switch_Port", Map.of("name", "p1",
          "addresses", List.of("0a:00:00:00:00:01 10.0.0.1"),
          "external_ids", Map.of("ovn-mesos/task", "t1")));
      NamedUuid p2 = t.insert("Logical_Switch_Port", Map.of("name", "p2", "addresses", List.of("dynamic")));
      t.insert("Logical_Switch", Map.of("name", "sw0", "ports", Set.of(p1, p2),
          "other_config", Map.of("subnet", "10.0.0.0/24")));
      t.select("Logical_Switch_Port", List.of(Condition.eq("name", "p1")), null);
      TransactionResult r = t.commit().join();

      Uuid p1Uuid = r.uuid(p1);
      Row selected = r.get(3).rows().get(0);
      assertThat(selected.uuid()).isEqualTo(p1Uuid);
      assertThat(selected.<String>set("addresses")).containsExactly("0a:00:00:00:00:01 10.0.0.1");
      assertThat(selected.mapValue("external_ids", "ovn-mesos/task")).hasValue("t1");
      // An independent reader sees the same.
      assertThat(ovn.nbctl("--bare", "--columns=_uuid", "find", "Logical_Switch_Port", "name=p1").out())
          .isEqualTo(p1Uuid.toString());
      assertThat(ovn.nbctl("lsp-list", "sw0").out()).contains("(p1)").contains("(p2)");
    }
  }

  @Test
  void updatesMutatesAndDeletes(OvnTestbed ovn) {
    try (OvsdbClient client = connect(ovn)) {
      Transaction t = client.transaction(NB);
      NamedUuid p1 = t.insert("Logical_Switch_Port", Map.of("name", "p1"));
      t.insert("Logical_Switch", Map.of("name", "sw0", "ports", p1, "external_ids", Map.of("a", "1", "b", "2")));
      t.commit().join();
      List<Condition> sw0 = List.of(Condition.eq("name", "sw0"));

      TransactionResult r = client.transaction(NB)
          .update("Logical_Switch_Port", List.of(Condition.eq("name", "p1")), Map.of("tag_request", 42))
          .mutate("Logical_Switch", sw0, List.of(Mutation.delete("external_ids", Set.of("a")),
              Mutation.insert("external_ids", Map.of("c", "3"))))
          .mutate("Logical_Switch_Port", List.of(Condition.eq("name", "p1")), List.of(Mutation.add("tag_request", 8)))
          .comment("ovn-mesos test")
          .add(new Operation.Commit(true))
          .commit().join();

      assertThat(r.get(0).count()).isEqualTo(1);
      assertThat(ovn.nbctl("get", "Logical_Switch", "sw0", "external_ids").out()).isEqualTo("{b=\"2\", c=\"3\"}");
      assertThat(ovn.nbctl("get", "Logical_Switch_Port", "p1", "tag_request").out()).isEqualTo("50");

      TransactionResult d = client.transaction(NB).delete("Logical_Switch", sw0).commit().join();
      assertThat(d.get(0).count()).isEqualTo(1);
      assertThat(ovn.nbctl("--bare", "--columns=name", "list", "Logical_Switch").out()).isEmpty();
      // The port was referenced only by the switch: the server collected it.
      assertThat(ovn.nbctl("--bare", "--columns=name", "list", "Logical_Switch_Port").out()).isEmpty();
    }
  }

  @Test
  void aGuardMakesOptimisticConcurrencyEasy(OvnTestbed ovn) {
    try (OvsdbClient client = connect(ovn)) {
      List<Condition> named = List.of(Condition.eq("name", "sw0"));
      Transaction first = client.transaction(NB).guardAbsent("Logical_Switch", named);
      first.insert("Logical_Switch", Map.of("name", "sw0"));
      first.commit().join();

      Transaction again = client.transaction(NB).guardAbsent("Logical_Switch", named);
      again.insert("Logical_Switch", Map.of("name", "sw0"));

      assertThatThrownBy(() -> OvsdbClient.join(again.commit()))
          .isInstanceOfSatisfying(OvsdbTransactionException.class, e -> {
            assertThat(e.isTimedOutWait()).isTrue();
            assertThat(e.operationIndex()).isZero();
          });
      assertThat(ovn.nbctl("--bare", "--columns=name", "list", "Logical_Switch").out()).isEqualTo("sw0");
    }
  }

  @Test
  void serverErrorsCarryTheOperationErrorAndDetails(OvnTestbed ovn) {
    try (OvsdbClient client = connect(ovn)) {
      Transaction dup = client.transaction(NB);
      dup.insert("Logical_Router", Map.of("name", "r1", "ports", Set.of(
          dup.insert("Logical_Router_Port", Map.of("name", "lrp", "mac", "0a:00:00:00:00:01", "networks", Set.of("10.0.0.1/24"))),
          dup.insert("Logical_Router_Port", Map.of("name", "lrp", "mac", "0a:00:00:00:00:02", "networks", Set.of("10.0.1.1/24"))))));
      assertThatThrownBy(() -> OvsdbClient.join(dup.commit()))
          .isInstanceOfSatisfying(OvsdbTransactionException.class, e -> {
            assertThat(e.error()).isEqualTo("constraint violation");
            assertThat(e.details()).contains("Logical_Router_Port").contains("lrp");
            assertThat(e.operationIndex()).isEqualTo(-1);
          });

      Transaction dangling = client.transaction(NB);
      dangling.insert("Logical_Switch", Map.of("name", "sw0", "ports", Set.of(Uuid.of("11111111-2222-3333-4444-555555555555"))));
      assertThatThrownBy(() -> OvsdbClient.join(dangling.commit()))
          .isInstanceOfSatisfying(OvsdbTransactionException.class,
              e -> assertThat(e.error()).isEqualTo("referential integrity violation"));

      assertThatThrownBy(() -> OvsdbClient.join(client.transaction(NB).add(new Operation.Abort()).commit()))
          .isInstanceOfSatisfying(OvsdbTransactionException.class, e -> assertThat(e.error()).isEqualTo("aborted"));
      assertThatThrownBy(() -> OvsdbClient.join(client.transaction(NB).assertLock("nobody").commit()))
          .isInstanceOfSatisfying(OvsdbTransactionException.class, e -> assertThat(e.error()).isEqualTo("not owner"));
      assertThatThrownBy(() -> OvsdbClient.join(client.call("get_schema", io.ovnmesos.ovsdb.jsonrpc.JsonRpcConnection.params("NoSuchDb"))))
          .isInstanceOf(OvsdbErrorException.class).hasMessageContaining("unknown database");

      assertThat(ovn.nbctl("--bare", "--columns=name", "list", "Logical_Router").out()).isEmpty();
      assertThat(ovn.nbctl("--bare", "--columns=name", "list", "Logical_Switch").out()).isEmpty();
    }
  }

  @Test
  void valuesThatDoNotFitTheSchemaFailBeforeSendingAndNameTheField(OvnTestbed ovn) {
    try (OvsdbClient client = connect(ovn)) {
      Transaction t = client.transaction(NB);
      assertThatThrownBy(() -> t.insert("Logical_Swich", Map.of("name", "x")))
          .isInstanceOf(OvsdbSchemaException.class).hasMessageContaining("Logical_Swich: no such table in database OVN_Northbound");
      assertThatThrownBy(() -> t.insert("Logical_Switch", Map.of("nmae", "x")))
          .isInstanceOf(OvsdbSchemaException.class).hasMessageContaining("Logical_Switch.nmae: no such column");
      assertThatThrownBy(() -> t.insert("Logical_Switch", Map.of("name", 7)))
          .isInstanceOf(OvsdbSchemaException.class).hasMessageContaining("Logical_Switch.name: expected a string, got Integer 7");
      assertThatThrownBy(() -> t.insert("ACL", Map.of("direction", "sideways", "priority", 1, "match", "1", "action", "allow")))
          .isInstanceOf(OvsdbSchemaException.class).hasMessageContaining("ACL.direction: expected one of");
      assertThatThrownBy(() -> t.insert("ACL", Map.of("direction", "to-lport", "priority", 40000, "match", "1", "action", "allow")))
          .isInstanceOf(OvsdbSchemaException.class).hasMessageContaining("ACL.priority: expected an integer in [0, 32767], got 40000");
      assertThatThrownBy(() -> t.insert("Logical_Switch", Map.of("external_ids", List.of("not", "a", "map"))))
          .isInstanceOf(OvsdbSchemaException.class).hasMessageContaining("Logical_Switch.external_ids: expected a map");
      assertThatThrownBy(() -> t.update("Logical_Switch", List.of(Condition.eq("name", "x")), Map.of("_uuid", Uuid.ZERO)))
          .isInstanceOf(OvsdbSchemaException.class).hasMessageContaining("Logical_Switch._uuid: set by the server");
      assertThatThrownBy(() -> t.select("Logical_Switch", List.of(new Condition("name", Condition.Function.LT, "a")), null))
          .isInstanceOf(OvsdbSchemaException.class).hasMessageContaining("ordering needs an integer or real column");
      assertThatThrownBy(() -> t.mutate("Logical_Switch", List.of(), List.of(Mutation.add("name", 1))))
          .isInstanceOf(OvsdbSchemaException.class).hasMessageContaining("Logical_Switch.name: += needs an integer or real column");

      assertThat(t.size()).isZero();
      t.comment("nothing else");
      t.commit().join();
      assertThat(ovn.nbctl("--bare", "--columns=name", "list", "ACL").out()).isEmpty();
    }
  }
}
