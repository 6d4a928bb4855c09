package io.ovnmesos.topology.tenant;

import inet.ipaddr.IPAddress;
import io.ovnmesos.ovsdb.data.NamedUuid;
import io.ovnmesos.ovsdb.nb.LogicalRouter;
import io.ovnmesos.ovsdb.nb.LogicalRouterPort;
import io.ovnmesos.ovsdb.nb.LogicalSwitch;
import io.ovnmesos.ovsdb.nb.LogicalSwitchPort;
import io.ovnmesos.ovsdb.txn.Condition;
import io.ovnmesos.ovsdb.txn.Transaction;
import io.ovnmesos.topology.Names;
import io.ovnmesos.topology.Northbound;
import io.ovnmesos.topology.Ownership;
import io.ovnmesos.topology.TopologyException;
import io.ovnmesos.topology.address.Macs;
import io.ovnmesos.topology.address.Subnet;
import io.ovnmesos.topology.dns.TenantDns;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Creates, finds and deletes tenants. A tenant is a distributed logical router named after it and a
 * join switch {@code join_<tenant>}; each tenant gets its own /24 of 100.64.0.0/10 on the join
 * switch, recorded on the router, so no two tenants' join networks ever coincide.
 */
public final class Tenants {
  /** external_ids key on the tenant router recording its join subnet. */
  public static final String JOIN_SUBNET = "ovn-mesos/join-subnet";

  private final Northbound nb;

  public Tenants(Northbound nb) {
    this.nb = nb;
  }

  /** The tenant, if ovn-mesos has it. */
  public Optional<Tenant> find(String name) {
    return nb.router(Names.tenantRouter(name))
        .filter(r -> Ownership.is(r.externalIds(), Ownership.Kind.TENANT_ROUTER)
            && name.equals(r.externalIds().get(Ownership.TENANT)))
        .map(Tenants::toTenant);
  }

  /** The tenant, or a not-found error that names it. */
  public Tenant get(String name) {
    Names.check("tenant", name);
    return find(name).orElseThrow(() -> TopologyException.notFound("tenant " + name + " does not exist; create it with "
        + "'ovn-mesos tenant create " + name + "'"));
  }

  /** Every tenant, by name. */
  public List<Tenant> list() {
    return nb.routers(Ownership.Kind.TENANT_ROUTER).stream().map(Tenants::toTenant)
        .sorted(Comparator.comparing(Tenant::name)).toList();
  }

  private static Tenant toTenant(LogicalRouter r) {
    String name = r.externalIds().get(Ownership.TENANT);
    return new Tenant(name, r.name(), Names.joinSwitch(name), Subnet.parse(JOIN_SUBNET, r.externalIds().get(JOIN_SUBNET)));
  }

  /**
   * Creates the tenant; returns false (changing nothing) if it already exists. Fails if the names it
   * needs are taken by objects that are not this tenant's.
   */
  public boolean create(String name) {
    Names.check("tenant", name);
    if (find(name).isPresent()) {
      return false;
    }
    String router = Names.tenantRouter(name);
    String join = Names.joinSwitch(name);
    String rtoj = Names.routerToJoin(router);
    String jtor = Names.joinToRouter(router);
    nb.router(router).ifPresent(r -> {
      throw TopologyException.conflict("a logical router named " + router + " exists and is not an ovn-mesos tenant "
          + "router; choose another tenant name");
    });
    nb.logicalSwitch(join).ifPresent(s -> {
      throw TopologyException.conflict("a logical switch named " + join + " exists and is not tenant " + name
          + "'s join switch");
    });
    for (String port : List.of(rtoj)) {
      nb.routerPort(port).ifPresent(p -> {
        throw TopologyException.conflict("a logical router port named " + port + " exists already");
      });
    }
    nb.switchPort(jtor).ifPresent(p -> {
      throw TopologyException.conflict("a logical switch port named " + jtor + " exists already");
    });
    Subnet joinSubnet = freeJoinSubnet();
    IPAddress routerIp = joinSubnet.firstUsable();

    Transaction t = nb.transaction();
    t.guardAbsent(LogicalRouter.TABLE_NAME, List.of(Condition.eq(LogicalRouter.NAME, router)));
    t.guardAbsent(LogicalSwitch.TABLE_NAME, List.of(Condition.eq(LogicalSwitch.NAME, join)));
    // Two tenants created at once must not pick the same join subnet.
    t.guardAbsent(LogicalRouter.TABLE_NAME, List.of(Condition.includes(LogicalRouter.EXTERNAL_IDS,
        Map.of(JOIN_SUBNET, joinSubnet.toString()))));
    Map<String, String> marks = Ownership.marks(Ownership.Kind.TENANT_ROUTER, name);
    NamedUuid lrp = t.insert(LogicalRouterPort.TABLE_NAME, Map.of(
        LogicalRouterPort.NAME, rtoj,
        LogicalRouterPort.MAC, Macs.fromIp(routerIp),
        LogicalRouterPort.NETWORKS, List.of(joinSubnet.withPrefix(routerIp)),
        LogicalRouterPort.EXTERNAL_IDS, marks));
    Map<String, String> routerIds = new java.util.HashMap<>(marks);
    routerIds.put(JOIN_SUBNET, joinSubnet.toString());
    t.insert(LogicalRouter.TABLE_NAME, Map.of(
        LogicalRouter.NAME, router,
        LogicalRouter.PORTS, List.of(lrp),
        LogicalRouter.EXTERNAL_IDS, routerIds));
    NamedUuid lsp = t.insert(LogicalSwitchPort.TABLE_NAME, Map.of(
        LogicalSwitchPort.NAME, jtor,
        LogicalSwitchPort.TYPE, "router",
        LogicalSwitchPort.ADDRESSES, List.of("router"),
        LogicalSwitchPort.OPTIONS, Map.of("router-port", rtoj),
        LogicalSwitchPort.EXTERNAL_IDS, marks));
    t.insert(LogicalSwitch.TABLE_NAME, Map.of(
        LogicalSwitch.NAME, join,
        LogicalSwitch.PORTS, List.of(lsp),
        LogicalSwitch.EXTERNAL_IDS, Ownership.marks(Ownership.Kind.JOIN_SWITCH, name)));
    new TenantDns(nb).create(t, name, Map.of());
    t.comment("ovn-mesos: create tenant " + name);
    nb.commit(t);
    return true;
  }

  private Subnet freeJoinSubnet() {
    Set<String> used = new HashSet<>();
    nb.routers(Ownership.Kind.TENANT_ROUTER).forEach(r -> used.add(r.externalIds().get(JOIN_SUBNET)));
    // 100.64.0.0/10 holds 16384 /24s: 100.64.0.0/24 to 100.127.255.0/24.
    for (int i = 0; i < 16384; i++) {
      String s = "100." + (64 + i / 256) + "." + (i % 256) + ".0/24";
      if (!used.contains(s)) {
        return Subnet.parse(JOIN_SUBNET, s);
      }
    }
    throw TopologyException.conflict("all 16384 join subnets of 100.64.0.0/10 are in use");
  }

  /**
   * Deletes the tenant's router and join switch. The caller deletes its networks and gateways first
   * ({@link io.ovnmesos.topology.Topology#deleteTenant} does so with {@code --force}).
   */
  public void delete(Transaction t, Tenant tenant) {
    new TenantDns(nb).delete(t, tenant.name());
    t.delete(LogicalRouter.TABLE_NAME, List.of(Condition.eq(LogicalRouter.NAME, tenant.router()),
        Condition.includes(LogicalRouter.EXTERNAL_IDS, Map.of(Ownership.KIND, Ownership.Kind.TENANT_ROUTER.value()))));
    t.delete(LogicalSwitch.TABLE_NAME, List.of(Condition.eq(LogicalSwitch.NAME, tenant.joinSwitch()),
        Condition.includes(LogicalSwitch.EXTERNAL_IDS, Map.of(Ownership.KIND, Ownership.Kind.JOIN_SWITCH.value()))));
  }
}
