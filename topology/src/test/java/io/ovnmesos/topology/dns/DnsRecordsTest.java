package io.ovnmesos.topology.dns;

import static org.assertj.core.api.Assertions.assertThat;

import io.ovnmesos.topology.dns.DnsRecords.Edit;
import io.ovnmesos.topology.dns.DnsRecords.Endpoint;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DnsRecordsTest {
  private static final String WEB = "web.coke.marathon.mesos";

  @Test
  void eachTenantsRowHoldsItsOwnAddressesOfANameAndTheirPtrs() {
    Map<String, Map<String, String>> rows = DnsRecords.of(Map.of(WEB, List.of(new Endpoint("coke", "10.10.0.7"),
        new Endpoint("coke", "10.10.0.3"), new Endpoint("pepsi", "10.10.0.9"))));
    assertThat(rows.get("coke")).isEqualTo(Map.of(WEB, "10.10.0.3 10.10.0.7", "3.0.10.10.in-addr.arpa", WEB,
        "7.0.10.10.in-addr.arpa", WEB));
    assertThat(rows.get("pepsi")).isEqualTo(Map.of(WEB, "10.10.0.9", "9.0.10.10.in-addr.arpa", WEB));
  }

  @Test
  void anAddressTwoNamesClaimPointsBackToTheFirstInOrder() {
    Map<String, Map<String, String>> rows = DnsRecords.of(Map.of("b.m.mesos", List.of(new Endpoint("coke", "10.0.0.1")),
        "a.m.mesos", List.of(new Endpoint("coke", "10.0.0.1"))));
    assertThat(rows.get("coke")).containsEntry("1.0.0.10.in-addr.arpa", "a.m.mesos");
  }

  @Test
  void aNamesEditPutsItsRecordAndPtrsAndTakesItOutOfEveryOtherTenant() {
    Map<String, Map<String, String>> rows = Map.of(
        "coke", Map.of(WEB, "10.10.0.3", "3.0.10.10.in-addr.arpa", WEB),
        "pepsi", Map.of(WEB, "10.10.0.9", "other.m.mesos", "10.10.0.1"),
        "sprite", Map.of());
    Map<String, Edit> edits = DnsRecords.forName(WEB, List.of(new Endpoint("coke", "10.10.0.3"),
        new Endpoint("coke", "10.10.0.4")), rows.keySet());
    assertThat(edits.get("coke")).isEqualTo(new Edit(Set.of(), Map.of(WEB, "10.10.0.3 10.10.0.4",
        "3.0.10.10.in-addr.arpa", WEB, "4.0.10.10.in-addr.arpa", WEB)));
    assertThat(edits.get("pepsi")).isEqualTo(new Edit(Set.of(WEB), Map.of()));
    assertThat(edits.get("sprite")).as("written whatever the row shows: a write in flight may have added it")
        .isEqualTo(new Edit(Set.of(WEB), Map.of()));
    assertThat(apply(rows.get("pepsi"), edits.get("pepsi"))).isEqualTo(Map.of("other.m.mesos", "10.10.0.1"));
    assertThat(apply(rows.get("coke"), edits.get("coke"))).containsEntry(WEB, "10.10.0.3 10.10.0.4");
  }

  @Test
  void aDeletedPortsPtrsGo() {
    Map<String, String> row = Map.of(WEB, "10.10.0.3", "3.0.10.10.in-addr.arpa", WEB);
    assertThat(apply(row, DnsRecords.forgetAddresses(List.of("10.10.0.3")))).isEqualTo(Map.of(WEB, "10.10.0.3"));
  }

  @Test
  void aDriftedRowIsTakenToExactlyWhatItShouldHold() {
    Map<String, String> wanted = Map.of(WEB, "10.10.0.3", "3.0.10.10.in-addr.arpa", WEB);
    Map<String, String> handEdited = Map.of(WEB, "10.10.0.66", "by.hand", "1.2.3.4");
    Edit edit = DnsRecords.diff(wanted, handEdited).orElseThrow();
    assertThat(apply(handEdited, edit)).isEqualTo(wanted);
    assertThat(DnsRecords.diff(wanted, wanted)).isEmpty();
    assertThat(apply(Map.of(), DnsRecords.diff(wanted, Map.of()).orElseThrow())).isEqualTo(wanted);
  }

  /** What OVSDB makes of the mutation: the keys out, then the records in. */
  private static Map<String, String> apply(Map<String, String> row, Edit e) {
    Map<String, String> out = new HashMap<>(row);
    e.keysOut().forEach(out::remove);
    out.putAll(e.put());
    return out;
  }
}
