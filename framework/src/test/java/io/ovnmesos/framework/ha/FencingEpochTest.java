package io.ovnmesos.framework.ha;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ovnmesos.ovsdb.OvsdbClient;
import io.ovnmesos.ovsdb.OvsdbOptions;
import io.ovnmesos.ovsdb.nb.LogicalSwitch;
import io.ovnmesos.ovsdb.txn.Transaction;
import io.ovnmesos.testbed.OvnTestbed;
import io.ovnmesos.testbed.junit.OvnTest;
import io.ovnmesos.topology.Northbound;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** A deposed leader's writes are refused by the database once another replica took a newer epoch. */
@OvnTest(chassis = 0)
class FencingEpochTest {

  private static Transaction addSwitch(OvsdbClient c, FencingEpoch f, String name) {
    Transaction t = f.guard(c.transaction(Northbound.DB));
    t.insert(LogicalSwitch.TABLE_NAME, Map.of(LogicalSwitch.NAME, name));
    return t;
  }

  @Test
  void aDeposedLeaderCannotWrite(OvnTestbed ovn) {
    try (OvsdbClient a = OvsdbClient.connect(OvsdbOptions.of(ovn.nbRemote()));
        OvsdbClient b = OvsdbClient.connect(OvsdbOptions.of(ovn.nbRemote()));
        FencingEpoch first = new FencingEpoch(a);
        FencingEpoch second = new FencingEpoch(b)) {
      long e1 = first.acquire();
      OvsdbClient.join(addSwitch(a, first, "by-first").commit());
      first.storeFrameworkId(Optional.of("fw-1"));

      long e2 = second.acquire();
      assertThat(e2).isEqualTo(e1 + 1);
      assertThatThrownBy(() -> OvsdbClient.join(addSwitch(a, first, "by-deposed").commit()))
          .satisfies(e -> assertThat(FencingEpoch.isFenced(e)).as("recognised as fenced").isTrue());
      OvsdbClient.join(addSwitch(b, second, "by-second").commit());

      assertThat(ovn.nbctl("--bare", "--columns=name", "list", "Logical_Switch").out()).contains("by-first", "by-second")
          .doesNotContain("by-deposed");
      assertThat(second.frameworkId()).as("the framework id survives a change of leader").contains("fw-1");
    }
  }
}
