package io.ovnmesos.topology.dns;

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

/**
 * What a tenant's DNS row holds, decided in one place (pure): each name of a serving task maps to
 * its addresses on that tenant's networks, and each of those addresses (its PTR name) maps back to
 * the name. A tenant's row never holds another tenant's addresses, so tenants never see each
 * other's names. Also the edits that take a row from what it holds to what it should.
 */
public final class DnsRecords {
  private DnsRecords() {}

  /** One address a name stands for, on a network of {@code tenant}. */
  public record Endpoint(String tenant, String address) {}

  /**
   * Keys to take out of a row and records to put in, as one mutation: the keys of {@code put} are
   * taken out first, so a put always leaves its value, whatever the key held.
   */
  public record Edit(Set<String> remove, Map<String, String> put) {
    public Edit {
      remove = Set.copyOf(remove);
      put = Map.copyOf(put);
    }

    public boolean isEmpty() {
      return remove.isEmpty() && put.isEmpty();
    }

    /** Every key the mutation takes out before it inserts {@link #put}. */
    public Set<String> keysOut() {
      Set<String> out = new TreeSet<>(remove);
      out.addAll(put.keySet());
      return out;
    }
  }

  /** True if {@code key} is a reverse (PTR) name, not a task's or a VIP's. */
  public static boolean isReverse(String key) {
    return key.endsWith(".in-addr.arpa") || key.endsWith(".ip6.arpa");
  }

  /** The addresses a name's record value holds. */
  public static List<String> addresses(String value) {
    return value.isBlank() ? List.of() : List.of(value.trim().split("[ ,]+"));
  }

  /** A name's record value: its addresses, sorted, separated by spaces (as OVN reads them). */
  public static String value(Collection<String> addresses) {
    return String.join(" ", new TreeSet<>(addresses));
  }

  /**
   * The records every tenant's row should hold, by tenant, for {@code names} (name to its
   * endpoints). Where two names claim one address in a tenant, its PTR names the first in order.
   */
  public static Map<String, Map<String, String>> of(Map<String, ? extends Collection<Endpoint>> names) {
    Map<String, Map<String, String>> byTenant = new HashMap<>();
    for (Map.Entry<String, ? extends Collection<Endpoint>> e : new TreeMap<>(names).entrySet()) {
      byTenant(e.getValue()).forEach((tenant, addresses) -> {
        Map<String, String> records = byTenant.computeIfAbsent(tenant, k -> new HashMap<>());
        records.put(e.getKey(), value(addresses));
        for (String a : addresses) {
          records.putIfAbsent(DnsNames.reverse(a), e.getKey());
        }
      });
    }
    return byTenant;
  }

  /**
   * The edits, by tenant, that make {@code name} stand for {@code endpoints}: the name's record in
   * each tenant that has endpoints, with a PTR for each address; the name taken out of every other
   * tenant of {@code tenants} (those with a row). Written whatever the rows show now, since a
   * transaction still in flight may change them first. PTRs of addresses the name no longer has go
   * with their ports.
   */
  public static Map<String, Edit> forName(String name, Collection<Endpoint> endpoints, Set<String> tenants) {
    Map<String, Edit> edits = new LinkedHashMap<>();
    Map<String, List<String>> byTenant = byTenant(endpoints);
    byTenant.forEach((tenant, addresses) -> {
      Map<String, String> put = new HashMap<>();
      put.put(name, value(addresses));
      addresses.forEach(a -> put.put(DnsNames.reverse(a), name));
      edits.put(tenant, new Edit(Set.of(), put));
    });
    new TreeSet<>(tenants).forEach(tenant -> {
      if (!byTenant.containsKey(tenant)) {
        edits.put(tenant, new Edit(Set.of(name), Map.of()));
      }
    });
    return edits;
  }

  /** The edit that takes the PTRs of {@code addresses} (a deleted port's) out of a row, whatever it holds now. */
  public static Edit forgetAddresses(Collection<String> addresses) {
    Set<String> remove = new TreeSet<>();
    addresses.forEach(a -> remove.add(DnsNames.reverse(a)));
    return new Edit(remove, Map.of());
  }

  /** The edit that makes {@code actual} hold exactly {@code wanted}; empty if it does. */
  public static Optional<Edit> diff(Map<String, String> wanted, Map<String, String> actual) {
    Set<String> remove = new TreeSet<>();
    actual.keySet().forEach(k -> {
      if (!wanted.containsKey(k)) {
        remove.add(k);
      }
    });
    Map<String, String> put = new HashMap<>();
    wanted.forEach((k, v) -> {
      if (!v.equals(actual.get(k))) {
        put.put(k, v);
      }
    });
    Edit e = new Edit(remove, put);
    return e.isEmpty() ? Optional.empty() : Optional.of(e);
  }

  private static Map<String, List<String>> byTenant(Collection<Endpoint> endpoints) {
    Map<String, List<String>> out = new TreeMap<>();
    for (Endpoint e : endpoints) {
      List<String> list = out.computeIfAbsent(e.tenant(), k -> new ArrayList<>());
      if (!list.contains(e.address())) {
        list.add(e.address());
      }
    }
    return out;
  }
}
