package io.ovnmesos.topology.network;

import inet.ipaddr.IPAddress;
import io.ovnmesos.ovsdb.data.NamedUuid;
import io.ovnmesos.ovsdb.data.Uuid;
import io.ovnmesos.ovsdb.nb.LogicalRouter;
import io.ovnmesos.ovsdb.nb.LogicalRouterPort;
import io.ovnmesos.ovsdb.nb.LogicalSwitch;
import io.ovnmesos.ovsdb.nb.LogicalSwitchPort;
import io.ovnmesos.ovsdb.txn.Condition;
import io.ovnmesos.ovsdb.txn.Mutation;
import io.ovnmesos.ovsdb.txn.Transaction;
import io.ovnmesos.topology.Names;
import io.ovnmesos.topology.Northbound;
import io.ovnmesos.topology.Ownership;
import io.ovnmesos.topology.TopologyException;
import io.ovnmesos.topology.address.Macs;
import io.ovnmesos.topology.address.Subnet;
import io.ovnmesos.topology.dns.TenantDns;
import io.ovnmesos.topology.tenant.Tenant;
import io.ovnmesos.topology.tenant.Tenants;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Creates, finds and deletes tenant networks: a logical switch (named after the network, with OVN's
 * address management enabled for its subnets) attached to the tenant router.
 */
public final class Networks {
  /** external_ids keys on the switch, read by the agent side. */
  public static final String SUBNETS = "ovn-mesos/subnets";
  public static final String GATEWAYS = "ovn-mesos/gateways";
  public static final String MTU = "ovn-mesos/mtu";
  public static final String DNS = "ovn-mesos/dns-servers";
  public static final String EXCLUDE = "ovn-mesos/exclude-ips";

  private final Northbound nb;
  private final Tenants tenants;

  public Networks(Northbound nb, Tenants tenants) {
    this.nb = nb;
    this.tenants = tenants;
  }

  /** The network, if ovn-mesos has one of that name. */
  public Optional<Network> find(String name) {
    return nb.logicalSwitch(Names.networkSwitch(name))
        .filter(s -> Ownership.is(s.externalIds(), Ownership.Kind.NETWORK))
        .map(Networks::toNetwork);
  }

  /** The network, or a not-found error that names it. */
  public Network get(String name) {
    Names.check("network", name);
    return find(name).orElseThrow(() -> TopologyException.notFound("network " + name + " does not exist"));
  }

  /** The networks of {@code tenant}, or of all tenants if null, by name. */
  public List<Network> list(String tenant) {
    return nb.switches(Ownership.Kind.NETWORK).stream().map(Networks::toNetwork)
        .filter(n -> tenant == null || n.tenant().equals(tenant))
        .sorted(Comparator.comparing(Network::name)).toList();
  }

  private static Network toNetwork(LogicalSwitch s) {
    Map<String, String> ids = s.externalIds();
    return new Network(s.name(), ids.get(Ownership.TENANT), split(ids.get(SUBNETS)), split(ids.get(GATEWAYS)),
        split(ids.get(EXCLUDE)), Optional.ofNullable(ids.get(MTU)).map(Integer::valueOf), split(ids.get(DNS)),
        Names.routerToNetwork(ids.get(Ownership.TENANT), s.name()));
  }

  private static List<String> split(String s) {
    return s == null || s.isBlank() ? List.of() : Arrays.asList(s.split(","));
  }

  /** The task ports on a network: every port that is not its router attachment. */
  public List<LogicalSwitchPort> taskPorts(String network) {
    LogicalSwitch s = nb.logicalSwitch(Names.networkSwitch(network)).orElseThrow();
    List<LogicalSwitchPort> ports = new ArrayList<>();
    for (Uuid u : s.ports()) {
      nb.get(LogicalSwitchPort.TABLE, u).filter(p -> !p.type().equals("router")).ifPresent(ports::add);
    }
    ports.sort(Comparator.comparing(LogicalSwitchPort::name));
    return ports;
  }

  /**
   * Creates the network; returns false (changing nothing) if it exists with the same settings. Fails
   * with the field at fault for bad input, and with a conflict when the name is taken or a subnet
   * overlaps the tenant's other networks.
   */
  public boolean create(NetworkSpec spec) {
    Tenant tenant = tenants.get(spec.tenant());
    Names.check("network", spec.name());
    Checked c = check(spec, tenant);

    Optional<LogicalSwitch> existing = nb.logicalSwitch(Names.networkSwitch(spec.name()));
    if (existing.isPresent()) {
      Map<String, String> ids = existing.get().externalIds();
      if (!Ownership.is(ids, Ownership.Kind.NETWORK)) {
        throw TopologyException.conflict("a logical switch named " + spec.name() + " exists and is not managed by "
            + "ovn-mesos; choose another network name");
      }
      if (!tenant.name().equals(ids.get(Ownership.TENANT))) {
        throw TopologyException.conflict("network " + spec.name() + " belongs to tenant " + ids.get(Ownership.TENANT)
            + "; network names are unique across tenants because tasks name their network by it alone");
      }
      Network have = toNetwork(existing.get());
      if (have.equals(c.network())) {
        return false;
      }
      throw TopologyException.conflict("network " + spec.name() + " exists with other settings (subnets "
          + have.subnets() + ", gateways " + have.gateways() + "); delete it first to change it");
    }
    for (Network other : list(tenant.name())) {
      for (String os : other.subnets()) {
        Subnet o = Subnet.parse("subnet", os);
        for (Subnet s : c.subnets()) {
          if (s.overlaps(o)) {
            throw TopologyException.conflict("--subnet: " + s + " overlaps " + o + " of network " + other.name()
                + " of tenant " + tenant.name());
          }
        }
      }
    }
    String lrpName = Names.routerToNetwork(tenant.name(), spec.name());
    String lspName = Names.networkToRouter(tenant.name(), spec.name());
    nb.routerPort(lrpName).ifPresent(p -> {
      throw TopologyException.conflict("a logical router port named " + lrpName + " exists already");
    });
    nb.switchPort(lspName).ifPresent(p -> {
      throw TopologyException.conflict("a logical switch port named " + lspName + " exists already");
    });

    Transaction t = nb.transaction();
    t.guardAbsent(LogicalSwitch.TABLE_NAME, List.of(Condition.eq(LogicalSwitch.NAME, spec.name())));
    Map<String, String> marks = Ownership.marks(Ownership.Kind.NETWORK, tenant.name());
    marks.put(Ownership.NETWORK, spec.name());
    List<String> lrpNetworks = new ArrayList<>();
    for (int i = 0; i < c.subnets().size(); i++) {
      lrpNetworks.add(c.subnets().get(i).withPrefix(c.gateways().get(i)));
    }
    NamedUuid lrp = t.insert(LogicalRouterPort.TABLE_NAME, Map.of(
        LogicalRouterPort.NAME, lrpName,
        LogicalRouterPort.MAC, Macs.fromIp(c.gateways().get(0)),
        LogicalRouterPort.NETWORKS, lrpNetworks,
        LogicalRouterPort.EXTERNAL_IDS, marks));
    t.mutate(LogicalRouter.TABLE_NAME, List.of(Condition.eq(LogicalRouter.NAME, tenant.router())),
        List.of(Mutation.insert(LogicalRouter.PORTS, List.of(lrp))));
    NamedUuid lsp = t.insert(LogicalSwitchPort.TABLE_NAME, Map.of(
        LogicalSwitchPort.NAME, lspName,
        LogicalSwitchPort.TYPE, "router",
        LogicalSwitchPort.ADDRESSES, List.of("router"),
        LogicalSwitchPort.OPTIONS, Map.of("router-port", lrpName),
        LogicalSwitchPort.EXTERNAL_IDS, marks));
    Map<String, String> otherConfig = new HashMap<>();
    for (Subnet s : c.subnets()) {
      if (s.isIPv4()) {
        otherConfig.put("subnet", s.toString());
      } else {
        otherConfig.put("ipv6_prefix", s.prefix().getLower().withoutPrefixLength().toCanonicalString());
      }
    }
    if (!spec.excludeIps().isEmpty()) {
      otherConfig.put("exclude_ips", String.join(" ", spec.excludeIps()));
    }
    Map<String, String> ids = new HashMap<>(marks);
    Network n = c.network();
    ids.put(SUBNETS, String.join(",", n.subnets()));
    ids.put(GATEWAYS, String.join(",", n.gateways()));
    n.mtu().ifPresent(m -> ids.put(MTU, Integer.toString(m)));
    if (!n.dnsServers().isEmpty()) {
      ids.put(DNS, String.join(",", n.dnsServers()));
    }
    if (!n.excludeIps().isEmpty()) {
      ids.put(EXCLUDE, String.join(",", n.excludeIps()));
    }
    // The tenant's names are served on each of its networks.
    List<Object> dns = new TenantDns(nb).row(tenant.name()).<List<Object>>map(d -> List.of(d.uuid())).orElse(List.of());
    t.insert(LogicalSwitch.TABLE_NAME, Map.of(
        LogicalSwitch.NAME, spec.name(),
        LogicalSwitch.PORTS, List.of(lsp),
        LogicalSwitch.OTHER_CONFIG, otherConfig,
        LogicalSwitch.DNS_RECORDS, dns,
        LogicalSwitch.EXTERNAL_IDS, ids));
    t.comment("ovn-mesos: create network " + spec.name() + " of tenant " + tenant.name());
    nb.commit(t);
    return true;
  }

  private record Checked(List<Subnet> subnets, List<IPAddress> gateways, Network network) {}

  private Checked check(NetworkSpec spec, Tenant tenant) {
    if (spec.subnets().isEmpty() || spec.subnets().size() > 2) {
      throw TopologyException.invalid("--subnet", "give one IPv4 network, one IPv6 /64 network, or one of each");
    }
    List<Subnet> subnets = new ArrayList<>();
    for (String s : spec.subnets()) {
      subnets.add(Subnet.parse("--subnet", s));
    }
    if (subnets.size() == 2 && subnets.get(0).isIPv4() == subnets.get(1).isIPv4()) {
      throw TopologyException.invalid("--subnet", "two networks of the same IP version; give at most one IPv4 and one IPv6");
    }
    for (Subnet s : subnets) {
      if (s.overlaps(tenant.joinSubnet())) {
        throw TopologyException.conflict("--subnet: " + s + " overlaps " + tenant.joinSubnet()
            + ", tenant " + tenant.name() + "'s join network");
      }
    }
    List<IPAddress> gateways = new ArrayList<>();
    if (spec.gateways().isEmpty()) {
      subnets.forEach(s -> gateways.add(s.firstUsable()));
    } else {
      if (spec.gateways().size() != subnets.size()) {
        throw TopologyException.invalid("--gateway", "give one gateway address per subnet (" + subnets.size() + ")");
      }
      for (int i = 0; i < subnets.size(); i++) {
        IPAddress g = Subnet.host("--gateway", spec.gateways().get(i));
        Subnet s = subnets.stream().filter(x -> x.contains(g)).findFirst().orElseThrow(() ->
            TopologyException.invalid("--gateway", g + " is outside " + subnets));
        if (!s.isUsableHost(g)) {
          throw TopologyException.invalid("--gateway", g + " is the network or broadcast address of " + s);
        }
        gateways.add(g);
      }
      // Keep gateways in the order of their subnets.
      gateways.sort(Comparator.comparingInt(g -> indexOfContaining(subnets, g)));
    }
    Subnet v4 = subnets.stream().filter(Subnet::isIPv4).findFirst().orElse(null);
    for (String x : spec.excludeIps()) {
      if (v4 == null) {
        throw TopologyException.invalid("--exclude", "OVN excludes IPv4 addresses only, and this network has no IPv4 subnet");
      }
      String[] range = x.split("\\.\\.", -1);
      if (range.length > 2) {
        throw TopologyException.invalid("--exclude", "\"" + Names.printable(x) + "\": expected an address or a range A..B");
      }
      for (String r : range) {
        IPAddress a = Subnet.host("--exclude", r);
        if (!v4.contains(a)) {
          throw TopologyException.invalid("--exclude", a + " is outside " + v4);
        }
      }
    }
    if (spec.mtu() != null) {
      int min = subnets.stream().anyMatch(s -> !s.isIPv4()) ? 1280 : 576;
      if (spec.mtu() < min || spec.mtu() > 9216) {
        throw TopologyException.invalid("--mtu", spec.mtu() + " is out of range; expected " + min + " to 9216");
      }
    }
    List<String> dns = new ArrayList<>();
    for (String d : spec.dnsServers()) {
      dns.add(Subnet.host("--dns", d).toCanonicalString());
    }
    Network n = new Network(spec.name(), tenant.name(), subnets.stream().map(Subnet::toString).toList(),
        gateways.stream().map(IPAddress::toCanonicalString).toList(), List.copyOf(spec.excludeIps()),
        Optional.ofNullable(spec.mtu()), List.copyOf(dns), Names.routerToNetwork(tenant.name(), spec.name()));
    return new Checked(subnets, gateways, n);
  }

  private static int indexOfContaining(List<Subnet> subnets, IPAddress ip) {
    for (int i = 0; i < subnets.size(); i++) {
      if (subnets.get(i).contains(ip)) {
        return i;
      }
    }
    return subnets.size();
  }

  /**
   * Adds the deletion of {@code network} to {@code t}: its switch (and with it every port on it) and
   * its router port. Refuses while tasks still have ports on it, unless {@code force}.
   */
  public void delete(Transaction t, Network network, boolean force) {
    List<LogicalSwitchPort> tasks = taskPorts(network.name());
    if (!tasks.isEmpty() && !force) {
      throw TopologyException.conflict("network " + network.name() + " still has " + tasks.size() + " task port(s) ("
          + String.join(", ", tasks.stream().limit(5).map(LogicalSwitchPort::name).toList())
          + (tasks.size() > 5 ? ", ..." : "") + "); stop those tasks first, or use --force");
    }
    t.delete(LogicalSwitch.TABLE_NAME, List.of(Condition.eq(LogicalSwitch.NAME, network.name()),
        Condition.includes(LogicalSwitch.EXTERNAL_IDS, Map.of(Ownership.KIND, Ownership.Kind.NETWORK.value()))));
    nb.routerPort(network.routerPort()).ifPresent(lrp -> t.mutate(LogicalRouter.TABLE_NAME,
        List.of(Condition.eq(LogicalRouter.NAME, Names.tenantRouter(network.tenant()))),
        List.of(Mutation.delete(LogicalRouter.PORTS, List.of(lrp.uuid())))));
  }
}
