package io.ovnmesos.topology.dns;

import io.ovnmesos.ovsdb.data.Row;
import io.ovnmesos.ovsdb.data.Uuid;
import io.ovnmesos.ovsdb.nb.Dns;
import io.ovnmesos.ovsdb.nb.LogicalSwitch;
import io.ovnmesos.ovsdb.txn.Condition;
import io.ovnmesos.ovsdb.txn.Mutation;
import io.ovnmesos.ovsdb.txn.Transaction;
import io.ovnmesos.topology.Northbound;
import io.ovnmesos.topology.Ownership;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Each tenant's one DNS row: the Northbound {@code DNS} row marked as the tenant's, attached
 * ({@code Logical_Switch.dns_records}) to every network switch of the tenant and to no other
 * switch, so that ovn-controller answers a tenant's ports from that tenant's names only. The row is
 * made with the tenant; this class adds, attaches, edits and deletes it in a caller's transaction.
 */
public final class TenantDns {
  private final Northbound nb;

  public TenantDns(Northbound nb) {
    this.nb = nb;
  }

  /** The tenant's DNS row, as the cache shows it. */
  public Optional<Dns> row(String tenant) {
    return Optional.ofNullable(rows().get(tenant));
  }

  /** Every tenant's DNS row, by tenant (ovn-mesos' rows only). */
  public Map<String, Dns> rows() {
    Map<String, Dns> out = new HashMap<>();
    for (Row r : nb.cache().rows(Dns.TABLE_NAME)) {
      Dns d = Dns.from(r);
      if (Ownership.is(d.externalIds(), Ownership.Kind.DNS)) {
        Ownership.tenant(d.externalIds()).ifPresent(t -> out.putIfAbsent(t, d));
      }
    }
    return out;
  }

  /** The network switches of {@code tenant} that do not yet serve its DNS row {@code row}. */
  public List<LogicalSwitch> unattached(String tenant, Uuid row) {
    List<LogicalSwitch> out = new ArrayList<>();
    for (LogicalSwitch s : nb.switches(Ownership.Kind.NETWORK)) {
      if (tenant.equals(s.externalIds().get(Ownership.TENANT)) && !s.dnsRecords().contains(row)) {
        out.add(s);
      }
    }
    return out;
  }

  /**
   * Adds the tenant's row, holding {@code records}, to {@code t} and attaches it to the tenant's
   * network switches. The transaction fails if another such row appeared meanwhile.
   */
  public void create(Transaction t, String tenant, Map<String, String> records) {
    t.guardAbsent(Dns.TABLE_NAME, rowOf(tenant));
    Object row = t.insert(Dns.TABLE_NAME, Map.of(Dns.RECORDS, records, Dns.EXTERNAL_IDS,
        Ownership.marks(Ownership.Kind.DNS, tenant)));
    for (LogicalSwitch s : nb.switches(Ownership.Kind.NETWORK)) {
      if (tenant.equals(s.externalIds().get(Ownership.TENANT))) {
        attach(t, s.name(), row);
      }
    }
  }

  /** Attaches {@code row} (a UUID, or a row this transaction inserts) to the switch {@code logicalSwitch}. */
  public static void attach(Transaction t, String logicalSwitch, Object row) {
    t.mutate(LogicalSwitch.TABLE_NAME, List.of(Condition.eq(LogicalSwitch.NAME, logicalSwitch)),
        List.of(Mutation.insert(LogicalSwitch.DNS_RECORDS, List.of(row))));
  }

  /**
   * Applies {@code edit} to {@code tenant}'s row, its keys out, then its records in. The row is
   * found by its marks when the transaction runs, so one this transaction or an earlier one in
   * flight inserts is found too.
   */
  public static void edit(Transaction t, String tenant, DnsRecords.Edit edit) {
    List<Mutation> m = new ArrayList<>();
    if (!edit.keysOut().isEmpty()) {
      m.add(Mutation.delete(Dns.RECORDS, List.copyOf(edit.keysOut())));
    }
    if (!edit.put().isEmpty()) {
      m.add(Mutation.insert(Dns.RECORDS, edit.put()));
    }
    if (!m.isEmpty()) {
      t.mutate(Dns.TABLE_NAME, rowOf(tenant), m);
    }
  }

  /** Sets {@code tenant}'s row to hold exactly {@code records}, found as {@link #edit} finds it. */
  public static void replace(Transaction t, String tenant, Map<String, String> records) {
    t.update(Dns.TABLE_NAME, rowOf(tenant), Map.of(Dns.RECORDS, records));
  }

  private static List<Condition> rowOf(String tenant) {
    return List.of(Condition.includes(Dns.EXTERNAL_IDS, Ownership.marks(Ownership.Kind.DNS, tenant)));
  }

  /** Deletes the tenant's row, if it has one (switches referring to it drop the reference with it). */
  public void delete(Transaction t, String tenant) {
    row(tenant).ifPresent(d -> {
      for (LogicalSwitch s : nb.switches(Ownership.Kind.NETWORK)) {
        if (s.dnsRecords().contains(d.uuid())) {
          t.mutate(LogicalSwitch.TABLE_NAME, List.of(Condition.uuid(s.uuid())),
              List.of(Mutation.delete(LogicalSwitch.DNS_RECORDS, List.of(d.uuid()))));
        }
      }
      t.delete(Dns.TABLE_NAME, List.of(Condition.uuid(d.uuid())));
    });
  }
}
