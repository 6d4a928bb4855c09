package io.ovnmesos.framework.dns;

import io.ovnmesos.ovsdb.data.Uuid;
import io.ovnmesos.ovsdb.nb.LogicalSwitchPort;
import io.ovnmesos.ovsdb.txn.Transaction;
import io.ovnmesos.topology.Ownership;
import io.ovnmesos.topology.Topology;
import io.ovnmesos.topology.dns.DnsRecords;
import io.ovnmesos.topology.dns.TenantDns;
import io.ovnmesos.topology.port.AddressEntry;
import io.ovnmesos.topology.port.NorthboundPorts;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Turns name changes, record repairs and deleted ports into edits of the tenants' DNS rows, for
 * one transaction: the edits of a batch are merged per tenant into one mutation, addressed by the
 * row's marks (so a row this writer is still creating is found by the time the mutation runs). A
 * tenant with no row gets one, attached to its networks. Called on the writer's thread only.
 */
public final class DnsEdits {
  private final Topology topology;
  private final TenantDns dns;
  /** Tenants whose row a transaction in flight creates: another would fail its guard. */
  private final Set<String> creating = ConcurrentHashMap.newKeySet();
  /**
   * The addresses each name was last written with, by tenant: an address a name loses has its PTR
   * taken out, whoever deletes its port (an agent does, for a port it made).
   */
  private final Map<String, Map<String, List<String>>> written = new HashMap<>();

  public DnsEdits(Topology topology) {
    this.topology = topology;
    this.dns = new TenantDns(topology.northbound());
  }

  /** One batch's edits, by tenant, to be added to its transaction by {@link #write}. */
  public final class Batch {
    private final Map<String, Set<String>> remove = new LinkedHashMap<>();
    private final Map<String, Map<String, String>> put = new LinkedHashMap<>();
    /** PTRs of addresses that left, by tenant: taken out unless this batch puts them again. */
    private final Map<String, Set<String>> forget = new LinkedHashMap<>();
    private final List<String> created = new ArrayList<>();
    /** Rows to write in full, by tenant. */
    private final Map<String, Map<String, String>> replace = new TreeMap<>();
    /** Switches of a tenant's network that do not serve its row, with the row. */
    private final Map<String, Uuid> attach = new TreeMap<>();
    private Map<String, Map<String, String>> rows;

    private Map<String, Map<String, String>> rows() {
      if (rows == null) {
        rows = new HashMap<>();
        dns.rows().forEach((tenant, d) -> rows.put(tenant, d.records()));
      }
      return rows;
    }

    private void add(String tenant, DnsRecords.Edit e) {
      Map<String, String> p = put.computeIfAbsent(tenant, k -> new HashMap<>());
      Set<String> r = remove.computeIfAbsent(tenant, k -> new TreeSet<>());
      for (String k : e.keysOut()) {
        p.remove(k);
        r.add(k);
      }
      p.putAll(e.put());
    }

    /**
     * Makes {@code name} stand for the addresses of {@code ports}: each port as the cache shows it,
     * or as a transaction in flight creates it ({@code pending}); a port in neither is left out.
     */
    public void name(String name, Collection<String> ports, Function<String, Optional<NorthboundPorts.Pending>> pending) {
      Set<String> tenants = new TreeSet<>(rows().keySet());
      tenants.addAll(creating);
      List<DnsRecords.Endpoint> now = endpoints(topology, ports, pending);
      DnsRecords.forName(name, now, tenants).forEach(this::add);
      Map<String, List<String>> byTenant = new HashMap<>();
      now.forEach(e -> byTenant.computeIfAbsent(e.tenant(), k -> new ArrayList<>()).add(e.address()));
      Map<String, List<String>> before = byTenant.isEmpty() ? written.remove(name) : written.put(name, byTenant);
      if (before == null) {
        // Not written by this writer yet (it started since): as the rows show it.
        before = new HashMap<>();
        for (Map.Entry<String, Map<String, String>> row : rows().entrySet()) {
          String value = row.getValue().get(name);
          if (value != null) {
            before.put(row.getKey(), DnsRecords.addresses(value));
          }
        }
      }
      before.forEach((tenant, addresses) -> {
        List<String> gone = addresses.stream().filter(a -> !byTenant.getOrDefault(tenant, List.of()).contains(a)).toList();
        forget(tenant, DnsRecords.forgetAddresses(gone));
      });
    }

    private void forget(String tenant, DnsRecords.Edit e) {
      forget.computeIfAbsent(tenant, k -> new TreeSet<>()).addAll(e.remove());
    }

    /**
     * Makes {@code tenant}'s row hold exactly {@code wanted}, written in full (whatever a write in
     * flight changes first), and serve every network of the tenant; a missing row is made.
     */
    public void records(String tenant, Map<String, String> wanted) {
      replace.put(tenant, Map.copyOf(wanted));
      // The row is now what was wanted: so are the addresses each name was written with there.
      written.values().forEach(byTenant -> byTenant.remove(tenant));
      written.values().removeIf(Map::isEmpty);
      wanted.forEach((key, value) -> {
        if (!DnsRecords.isReverse(key)) {
          written.computeIfAbsent(key, k -> new HashMap<>()).put(tenant, DnsRecords.addresses(value));
        }
      });
      dns.row(tenant).ifPresent(d -> dns.unattached(tenant, d.uuid()).forEach(s -> attach.put(s.name(), d.uuid())));
    }

    /** Takes the PTRs of a port that is being deleted out of its tenant's row, if it has one. */
    public void portGone(LogicalSwitchPort port) {
      String tenant = port.externalIds().get(Ownership.TENANT);
      if (tenant != null) {
        AddressEntry.of(port).ifPresent(e -> forget(tenant, DnsRecords.forgetAddresses(e.ips())));
      }
    }

    /**
     * Adds the batch to {@code t}, tenant by tenant: a row if it has none, the records written in
     * full (a reconciliation's, which already holds every earlier change), then one mutation of the
     * merged edits.
     */
    public void write(Transaction t) {
      Set<String> tenants = new TreeSet<>(put.keySet());
      tenants.addAll(replace.keySet());
      tenants.addAll(forget.keySet());
      for (String tenant : tenants) {
        Map<String, String> in = put.getOrDefault(tenant, Map.of());
        Set<String> out = new TreeSet<>(remove.getOrDefault(tenant, Set.of()));
        forget.getOrDefault(tenant, Set.of()).stream().filter(k -> !in.containsKey(k)).forEach(out::add);
        Map<String, String> full = replace.get(tenant);
        if (out.isEmpty() && in.isEmpty() && full == null) {
          continue;
        }
        boolean exists = rows().containsKey(tenant) || creating.contains(tenant);
        if (!exists && in.isEmpty() && full == null) {
          continue; // only PTRs to take out of a row that is not there
        }
        if (!exists) {
          dns.create(t, tenant, Map.of());
          created.add(tenant);
          creating.add(tenant);
        }
        if (full != null) {
          TenantDns.replace(t, tenant, full);
        }
        TenantDns.edit(t, tenant, new DnsRecords.Edit(out, in));
      }
      attach.forEach((ls, row) -> TenantDns.attach(t, ls, row));
    }

    /** The batch did not commit: the rows it was to create were never made. */
    public void failed() {
      created.forEach(creating::remove);
    }
  }

  /**
   * The addresses of {@code ports}, by tenant: each port as the cache shows it, or as a transaction
   * in flight creates it ({@code pending}); a port in neither is left out.
   */
  public static List<DnsRecords.Endpoint> endpoints(Topology topology, Collection<String> ports,
      Function<String, Optional<NorthboundPorts.Pending>> pending) {
    List<DnsRecords.Endpoint> endpoints = new ArrayList<>();
    for (String port : ports) {
      Optional<LogicalSwitchPort> row = topology.northbound().switchPort(port);
      if (row.isPresent()) {
        String tenant = row.get().externalIds().get(Ownership.TENANT);
        if (tenant != null) {
          AddressEntry.of(row.get()).ifPresent(e -> e.ips().forEach(ip -> endpoints.add(new DnsRecords.Endpoint(tenant, ip))));
        }
        continue;
      }
      pending.apply(port).ifPresent(p -> topology.networks().find(p.network()).ifPresent(n ->
          AddressEntry.parse(p.entry()).ifPresent(e -> e.ips().forEach(ip -> endpoints.add(new DnsRecords.Endpoint(n.tenant(), ip))))));
    }
    return endpoints;
  }

  /** A new batch, reading the rows as the cache shows them now. */
  public Batch batch() {
    creating.removeIf(tenant -> dns.row(tenant).isPresent());
    return new Batch();
  }
}
