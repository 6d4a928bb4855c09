package io.ovnmesos.topology.gateway;

import inet.ipaddr.IPAddress;
import io.ovnmesos.ovsdb.data.NamedUuid;
import io.ovnmesos.ovsdb.data.Uuid;
import io.ovnmesos.ovsdb.nb.HaChassis;
import io.ovnmesos.ovsdb.nb.HaChassisGroup;
import io.ovnmesos.ovsdb.nb.LogicalRouter;
import io.ovnmesos.ovsdb.nb.LogicalRouterPort;
import io.ovnmesos.ovsdb.nb.LogicalRouterStaticRoute;
import io.ovnmesos.ovsdb.nb.LogicalSwitch;
import io.ovnmesos.ovsdb.nb.LogicalSwitchPort;
import io.ovnmesos.ovsdb.nb.Nat;
import io.ovnmesos.ovsdb.txn.Condition;
import io.ovnmesos.ovsdb.txn.Mutation;
import io.ovnmesos.ovsdb.txn.Transaction;
import io.ovnmesos.topology.Names;
import io.ovnmesos.topology.Northbound;
import io.ovnmesos.topology.Ownership;
import io.ovnmesos.topology.TopologyException;
import io.ovnmesos.topology.address.Macs;
import io.ovnmesos.topology.address.Subnet;
import io.ovnmesos.topology.gateway.Gateway.ChassisPriority;
import io.ovnmesos.topology.network.Networks;
import io.ovnmesos.topology.tenant.Tenant;
import io.ovnmesos.topology.tenant.Tenants;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Creates, finds and deletes tenant gateways: the way from a tenant's networks to a provider network,
 * with source NAT. The provider network is reached the OVN-native way: an external logical switch
 * with a {@code localnet} port, mapped on each gateway chassis to a bridge by
 * {@code ovn-bridge-mappings} (see {@link LocalBridge}).
 */
public final class Gateways {
  /** external_ids keys recording the gateway's settings on the object that stands for it. */
  static final String MODE = "ovn-mesos/gateway-mode";
  static final String CHASSIS = "ovn-mesos/chassis";
  static final String PHYSNET = "ovn-mesos/physical-network";
  static final String PHYSICAL_IP = "ovn-mesos/physical-ip";
  static final String DEFAULT_GW = "ovn-mesos/default-gateway";
  static final String SNAT = "ovn-mesos/snat-subnets";
  static final String EXTRA_IPS = "ovn-mesos/extra-ips";
  static final String NIC_IN_BR_INT = "ovn-mesos/nic-in-br-int";
  /** Marks routes and NAT rules that belong to a tenant's gateway. */
  static final String GATEWAY_PART = "ovn-mesos/gateway";

  private final Northbound nb;
  private final Tenants tenants;
  private final Networks networks;

  public Gateways(Northbound nb, Tenants tenants, Networks networks) {
    this.nb = nb;
    this.tenants = tenants;
    this.networks = networks;
  }

  /** The tenant's gateway, if it has one. */
  public Optional<Gateway> find(String tenant) {
    for (LogicalRouter r : nb.routers(Ownership.Kind.GATEWAY_ROUTER)) {
      if (tenant.equals(r.externalIds().get(Ownership.TENANT))) {
        return Optional.of(toGateway(r.externalIds(), r.name(), Names.routerToExternal(r.name())));
      }
    }
    return nb.haChassisGroup(Names.gatewayGroup(tenant))
        .filter(g -> Ownership.is(g.externalIds(), Ownership.Kind.GATEWAY_GROUP))
        .map(g -> toGateway(g.externalIds(), Names.tenantRouter(tenant), Names.routerToExternal(Names.tenantRouter(tenant))));
  }

  /** Every tenant's gateway. */
  public List<Gateway> list() {
    List<Gateway> out = new ArrayList<>();
    for (Tenant t : tenants.list()) {
      find(t.name()).ifPresent(out::add);
    }
    return out;
  }

  private static Gateway toGateway(Map<String, String> ids, String router, String externalPort) {
    List<ChassisPriority> chassis = new ArrayList<>();
    for (String c : split(ids.get(CHASSIS))) {
      String[] kv = c.split(":");
      chassis.add(new ChassisPriority(kv[0], kv.length > 1 ? Integer.parseInt(kv[1]) : 0));
    }
    return new Gateway(ids.get(Ownership.TENANT), Gateway.Mode.valueOf(ids.get(MODE)), chassis, ids.get(PHYSNET),
        ids.get(PHYSICAL_IP), Optional.ofNullable(ids.get(DEFAULT_GW)), split(ids.get(SNAT)), split(ids.get(EXTRA_IPS)),
        router, externalPort, Optional.ofNullable(ids.get(NIC_IN_BR_INT)));
  }

  private static List<String> split(String s) {
    return s == null || s.isBlank() ? List.of() : Arrays.asList(s.split(","));
  }

  /**
   * Creates the tenant's gateway; returns false (changing nothing) if it exists with the same
   * settings. A tenant has at most one gateway; to change it, delete it first.
   */
  public boolean create(GatewaySpec spec) {
    Tenant tenant = tenants.get(spec.tenant());
    Gateway want = check(spec, tenant);
    Optional<Gateway> have = find(tenant.name());
    if (have.isPresent()) {
      if (have.get().equals(want)) {
        return false;
      }
      throw TopologyException.conflict("tenant " + tenant.name() + " already has a gateway (" + have.get().mode()
          + " on " + have.get().chassis() + ", " + have.get().physicalIp() + "); delete it first to change it");
    }
    String extSwitch = want.externalSwitch();
    Optional<LogicalSwitch> ext = nb.logicalSwitch(extSwitch);
    if (ext.isPresent() && !Ownership.is(ext.get().externalIds(), Ownership.Kind.EXTERNAL_SWITCH)) {
      throw TopologyException.conflict("a logical switch named " + extSwitch + " exists and is not managed by ovn-mesos");
    }
    for (String port : List.of(want.externalPort(), Names.externalToRouter(want.router()))) {
      if (nb.routerPort(port).isPresent() || nb.switchPort(port).isPresent()) {
        throw TopologyException.conflict("a port named " + port + " exists already");
      }
    }
    if (want.mode() == Gateway.Mode.ROUTER) {
      nb.router(want.router()).ifPresent(r -> {
        throw TopologyException.conflict("a logical router named " + want.router() + " exists already");
      });
    }

    Transaction t = nb.transaction();
    Map<String, String> settings = settings(want);
    IPAddress physical = Subnet.address("--physical-ip", want.physicalIp());
    List<String> externalNetworks = new ArrayList<>(List.of(want.physicalIp()));
    for (String extra : want.extraIps()) {
      externalNetworks.add(extra + "/" + physical.getNetworkPrefixLength());
    }
    Map<String, String> partMarks = Ownership.marks(Ownership.Kind.ROUTE, tenant.name());
    partMarks.put(GATEWAY_PART, "true");
    Map<String, String> natMarks = Ownership.marks(Ownership.Kind.NAT, tenant.name());
    natMarks.put(GATEWAY_PART, "true");
    List<NamedUuid> nats = new ArrayList<>();
    for (String s : want.snatSubnets()) {
      nats.add(t.insert(Nat.TABLE_NAME, Map.of(Nat.TYPE, "snat", Nat.LOGICAL_IP, s,
          Nat.EXTERNAL_IP, physical.withoutPrefixLength().toCanonicalString(), Nat.EXTERNAL_IDS, natMarks)));
    }
    NamedUuid rtoe = t.insert(LogicalRouterPort.TABLE_NAME, haPort(want, tenant, t, physical, externalNetworks));
    List<NamedUuid> routes = new ArrayList<>();
    want.defaultGateway().ifPresent(gw -> routes.add(t.insert(LogicalRouterStaticRoute.TABLE_NAME, Map.of(
        LogicalRouterStaticRoute.IP_PREFIX, "0.0.0.0/0", LogicalRouterStaticRoute.NEXTHOP, gw,
        LogicalRouterStaticRoute.OUTPUT_PORT, Optional.of(want.externalPort()),
        LogicalRouterStaticRoute.EXTERNAL_IDS, partMarks))));

    if (want.mode() == Gateway.Mode.ROUTER) {
      // A gateway router on the join switch: SNAT and the default route live there; the tenant
      // router sends everything else to it, and it routes tenant subnets back over the join switch.
      String gr = want.router();
      IPAddress grJoinIp = tenant.joinSubnet().firstUsable().increment(1);
      NamedUuid rtoj = t.insert(LogicalRouterPort.TABLE_NAME, Map.of(
          LogicalRouterPort.NAME, Names.routerToJoin(gr), LogicalRouterPort.MAC, Macs.fromIp(grJoinIp),
          LogicalRouterPort.NETWORKS, List.of(tenant.joinSubnet().withPrefix(grJoinIp)),
          LogicalRouterPort.EXTERNAL_IDS, Ownership.marks(Ownership.Kind.GATEWAY_ROUTER, tenant.name())));
      for (String s : want.snatSubnets()) {
        routes.add(t.insert(LogicalRouterStaticRoute.TABLE_NAME, Map.of(
            LogicalRouterStaticRoute.IP_PREFIX, s, LogicalRouterStaticRoute.NEXTHOP, tenant.routerJoinAddress(),
            LogicalRouterStaticRoute.EXTERNAL_IDS, partMarks)));
      }
      Map<String, String> grIds = Ownership.marks(Ownership.Kind.GATEWAY_ROUTER, tenant.name());
      grIds.putAll(settings);
      t.guardAbsent(LogicalRouter.TABLE_NAME, List.of(Condition.eq(LogicalRouter.NAME, gr)));
      t.insert(LogicalRouter.TABLE_NAME, Map.of(LogicalRouter.NAME, gr,
          LogicalRouter.PORTS, List.of(rtoj, rtoe), LogicalRouter.STATIC_ROUTES, routes, LogicalRouter.NAT, nats,
          LogicalRouter.OPTIONS, Map.of("chassis", want.chassis().get(0).chassis()),
          LogicalRouter.EXTERNAL_IDS, grIds));
      NamedUuid jtor = t.insert(LogicalSwitchPort.TABLE_NAME, routerAttachment(Names.joinToRouter(gr),
          Names.routerToJoin(gr), tenant.name()));
      t.mutate(LogicalSwitch.TABLE_NAME, List.of(Condition.eq(LogicalSwitch.NAME, tenant.joinSwitch())),
          List.of(Mutation.insert(LogicalSwitch.PORTS, List.of(jtor))));
      NamedUuid defaultRoute = t.insert(LogicalRouterStaticRoute.TABLE_NAME, Map.of(
          LogicalRouterStaticRoute.IP_PREFIX, "0.0.0.0/0", LogicalRouterStaticRoute.NEXTHOP,
          grJoinIp.toCanonicalString(), LogicalRouterStaticRoute.EXTERNAL_IDS, partMarks));
      t.mutate(LogicalRouter.TABLE_NAME, List.of(Condition.eq(LogicalRouter.NAME, tenant.router())),
          List.of(Mutation.insert(LogicalRouter.STATIC_ROUTES, List.of(defaultRoute))));
    } else {
      // A distributed gateway port on the tenant router itself: OVN binds it to the live chassis
      // with the highest priority in the group and moves it when that chassis goes away.
      t.mutate(LogicalRouter.TABLE_NAME, List.of(Condition.eq(LogicalRouter.NAME, tenant.router())), List.of(
          Mutation.insert(LogicalRouter.PORTS, List.of(rtoe)),
          Mutation.insert(LogicalRouter.NAT, nats),
          Mutation.insert(LogicalRouter.STATIC_ROUTES, routes)));
    }

    NamedUuid etor = t.insert(LogicalSwitchPort.TABLE_NAME, routerAttachment(Names.externalToRouter(want.router()),
        want.externalPort(), tenant.name()));
    if (ext.isPresent()) {
      t.mutate(LogicalSwitch.TABLE_NAME, List.of(Condition.eq(LogicalSwitch.NAME, extSwitch)),
          List.of(Mutation.insert(LogicalSwitch.PORTS, List.of(etor))));
    } else {
      // The way out: a localnet port mapped to a provider bridge on each gateway chassis, or (the
      // prototype's mode, on request) a plain port that the NIC, put into br-int, binds to.
      NamedUuid localnet = t.insert(LogicalSwitchPort.TABLE_NAME, want.nicInBrInt().isPresent()
          ? Map.of(LogicalSwitchPort.NAME, want.outsidePort(), LogicalSwitchPort.ADDRESSES, List.of("unknown"),
              LogicalSwitchPort.EXTERNAL_IDS, Ownership.marks(Ownership.Kind.EXTERNAL_SWITCH, null))
          : Map.of(LogicalSwitchPort.NAME, want.outsidePort(), LogicalSwitchPort.TYPE, "localnet",
              LogicalSwitchPort.ADDRESSES, List.of("unknown"),
              LogicalSwitchPort.OPTIONS, Map.of("network_name", want.physicalNetwork()),
              LogicalSwitchPort.EXTERNAL_IDS, Ownership.marks(Ownership.Kind.EXTERNAL_SWITCH, null)));
      t.guardAbsent(LogicalSwitch.TABLE_NAME, List.of(Condition.eq(LogicalSwitch.NAME, extSwitch)));
      t.insert(LogicalSwitch.TABLE_NAME, Map.of(LogicalSwitch.NAME, extSwitch, LogicalSwitch.PORTS, List.of(localnet, etor),
          LogicalSwitch.EXTERNAL_IDS, Ownership.marks(Ownership.Kind.EXTERNAL_SWITCH, null)));
    }
    t.comment("ovn-mesos: create gateway of tenant " + tenant.name());
    nb.commit(t);
    return true;
  }

  /** The router port facing the provider network; in HA mode it also carries the chassis group. */
  private Map<String, Object> haPort(Gateway want, Tenant tenant, Transaction t, IPAddress physical,
      List<String> externalNetworks) {
    Map<String, Object> port = new HashMap<>(Map.of(
        LogicalRouterPort.NAME, want.externalPort(), LogicalRouterPort.MAC, Macs.fromIp(physical),
        LogicalRouterPort.NETWORKS, externalNetworks,
        LogicalRouterPort.EXTERNAL_IDS, Ownership.marks(Ownership.Kind.GATEWAY_GROUP, tenant.name())));
    if (want.mode() == Gateway.Mode.HA) {
      List<NamedUuid> members = new ArrayList<>();
      for (ChassisPriority c : want.chassis()) {
        members.add(t.insert(HaChassis.TABLE_NAME, Map.of(HaChassis.CHASSIS_NAME, c.chassis(),
            HaChassis.PRIORITY, (long) c.priority(), HaChassis.EXTERNAL_IDS, Ownership.marks(Ownership.Kind.GATEWAY_GROUP, tenant.name()))));
      }
      Map<String, String> ids = Ownership.marks(Ownership.Kind.GATEWAY_GROUP, tenant.name());
      ids.putAll(settings(want));
      String group = Names.gatewayGroup(tenant.name());
      t.guardAbsent(HaChassisGroup.TABLE_NAME, List.of(Condition.eq(HaChassisGroup.NAME, group)));
      NamedUuid g = t.insert(HaChassisGroup.TABLE_NAME, Map.of(HaChassisGroup.NAME, group,
          HaChassisGroup.HA_CHASSIS, members, HaChassisGroup.EXTERNAL_IDS, ids));
      port.put(LogicalRouterPort.HA_CHASSIS_GROUP, Optional.of(g));
    }
    return port;
  }

  private static Map<String, Object> routerAttachment(String name, String routerPort, String tenant) {
    return Map.of(LogicalSwitchPort.NAME, name, LogicalSwitchPort.TYPE, "router",
        LogicalSwitchPort.ADDRESSES, List.of("router"), LogicalSwitchPort.OPTIONS, Map.of("router-port", routerPort),
        LogicalSwitchPort.EXTERNAL_IDS, Ownership.marks(Ownership.Kind.GATEWAY_GROUP, tenant));
  }

  private static Map<String, String> settings(Gateway g) {
    Map<String, String> ids = new HashMap<>();
    ids.put(MODE, g.mode().name());
    ids.put(CHASSIS, String.join(",", g.chassis().stream().map(ChassisPriority::toString).toList()));
    ids.put(PHYSNET, g.physicalNetwork());
    ids.put(PHYSICAL_IP, g.physicalIp());
    g.defaultGateway().ifPresent(d -> ids.put(DEFAULT_GW, d));
    ids.put(SNAT, String.join(",", g.snatSubnets()));
    if (!g.extraIps().isEmpty()) {
      ids.put(EXTRA_IPS, String.join(",", g.extraIps()));
    }
    g.nicInBrInt().ifPresent(nic -> ids.put(NIC_IN_BR_INT, nic));
    return ids;
  }

  private Gateway check(GatewaySpec spec, Tenant tenant) {
    if (spec.chassis().isEmpty()) {
      throw TopologyException.invalid("--chassis", "name at least one chassis (the OVS system-id of a gateway host)");
    }
    List<ChassisPriority> chassis = new ArrayList<>();
    int next = 100;
    for (String c : spec.chassis()) {
      String[] kv = c.split(":", -1);
      if (kv.length > 2) {
        throw TopologyException.invalid("--chassis", "\"" + Names.printable(c) + "\": expected NAME or NAME:PRIORITY");
      }
      String name = Names.check("--chassis", kv[0]);
      int priority;
      if (kv.length == 2) {
        try {
          priority = Integer.parseInt(kv[1]);
        } catch (NumberFormatException e) {
          throw TopologyException.invalid("--chassis", "priority of " + name + " must be a number from 0 to 32767");
        }
        if (priority < 0 || priority > 32767) {
          throw TopologyException.invalid("--chassis", "priority of " + name + " must be from 0 to 32767, got " + priority);
        }
      } else {
        priority = next;
      }
      next = priority - 10;
      if (chassis.stream().anyMatch(x -> x.chassis().equals(name))) {
        throw TopologyException.invalid("--chassis", name + " is named twice");
      }
      chassis.add(new ChassisPriority(name, priority));
    }
    Gateway.Mode mode = spec.highAvailability() || chassis.size() > 1 ? Gateway.Mode.HA : Gateway.Mode.ROUTER;
    String physnet = Names.check("--physical-network", spec.physicalNetwork());
    IPAddress physical = Subnet.address("--physical-ip", spec.physicalIp());
    if (!physical.isPrefixed() || !physical.isIPv4()) {
      throw TopologyException.invalid("--physical-ip", spec.physicalIp() + ": expected an IPv4 address with its prefix "
          + "length on the provider network, e.g. 10.10.1.12/24");
    }
    Subnet providerNet = new Subnet(physical.toPrefixBlock());
    if (!providerNet.isUsableHost(physical)) {
      throw TopologyException.invalid("--physical-ip", spec.physicalIp() + " is the network or broadcast address of " + providerNet);
    }
    String gw = null;
    if (spec.defaultGateway() != null && !spec.defaultGateway().isBlank()) {
      IPAddress g = Subnet.host("--default-gw", spec.defaultGateway());
      if (!providerNet.isUsableHost(g)) {
        throw TopologyException.invalid("--default-gw", g + " is not a host of the provider network " + providerNet);
      }
      gw = g.toCanonicalString();
    }
    List<String> extras = new ArrayList<>();
    for (String e : spec.extraIps()) {
      IPAddress x = Subnet.host("--external-ip", e);
      if (!providerNet.isUsableHost(x)) {
        throw TopologyException.invalid("--external-ip", x + " is not a host of the provider network " + providerNet);
      }
      extras.add(x.toCanonicalString());
    }
    List<String> snat = new ArrayList<>();
    if (spec.snatSubnets().isEmpty()) {
      networks.list(tenant.name()).forEach(n -> n.subnets().stream()
          .filter(s -> Subnet.parse("subnet", s).isIPv4()).forEach(snat::add));
      if (snat.isEmpty()) {
        throw TopologyException.invalid("--snat-subnet", "tenant " + tenant.name() + " has no IPv4 network yet; name the "
            + "subnets to NAT (e.g. its cluster subnet 192.168.0.0/16) or create networks first");
      }
    } else {
      for (String s : spec.snatSubnets()) {
        Subnet sub = Subnet.parse("--snat-subnet", s);
        if (!sub.isIPv4()) {
          throw TopologyException.invalid("--snat-subnet", s + ": OVN source NAT here is IPv4 only");
        }
        if (sub.overlaps(providerNet)) {
          throw TopologyException.invalid("--snat-subnet", s + " overlaps the provider network " + providerNet);
        }
        snat.add(sub.toString());
      }
    }
    Optional<String> nic = Optional.ofNullable(spec.nicInBrInt()).map(n -> Names.check("--nic-into-br-int", n));
    if (nic.isPresent() && mode != Gateway.Mode.ROUTER) {
      throw TopologyException.invalid("--nic-into-br-int", "a NIC in br-int serves one chassis: give exactly one "
          + "--chassis and no --ha");
    }
    String router = mode == Gateway.Mode.ROUTER ? Names.gatewayRouter(tenant.name(), chassis.get(0).chassis())
        : Names.tenantRouter(tenant.name());
    return new Gateway(tenant.name(), mode, List.copyOf(chassis), physnet, physical.toCanonicalString(),
        Optional.ofNullable(gw), List.copyOf(snat), List.copyOf(extras), router, Names.routerToExternal(router), nic);
  }

  /** Adds the deletion of the tenant's gateway, and of the external switch if nothing else uses it, to {@code t}. */
  public void delete(Transaction t, Gateway g) {
    Tenant tenant = tenants.get(g.tenant());
    LogicalRouter tenantRouter = nb.router(tenant.router()).orElseThrow();
    List<Uuid> ourRoutes = new ArrayList<>();
    for (Uuid r : tenantRouter.staticRoutes()) {
      nb.get(LogicalRouterStaticRoute.TABLE, r).filter(x -> "true".equals(x.externalIds().get(GATEWAY_PART)))
          .ifPresent(x -> ourRoutes.add(x.uuid()));
    }
    List<Uuid> ourNat = new ArrayList<>();
    for (Uuid n : tenantRouter.nat()) {
      nb.get(Nat.TABLE, n).filter(x -> "true".equals(x.externalIds().get(GATEWAY_PART))).ifPresent(x -> ourNat.add(x.uuid()));
    }
    List<Mutation> onTenantRouter = new ArrayList<>(List.of(Mutation.delete(LogicalRouter.STATIC_ROUTES, ourRoutes),
        Mutation.delete(LogicalRouter.NAT, ourNat)));
    if (g.mode() == Gateway.Mode.ROUTER) {
      t.delete(LogicalRouter.TABLE_NAME, List.of(Condition.eq(LogicalRouter.NAME, g.router()),
          Condition.includes(LogicalRouter.EXTERNAL_IDS, Map.of(Ownership.KIND, Ownership.Kind.GATEWAY_ROUTER.value()))));
      nb.switchPort(Names.joinToRouter(g.router())).ifPresent(p -> t.mutate(LogicalSwitch.TABLE_NAME,
          List.of(Condition.eq(LogicalSwitch.NAME, tenant.joinSwitch())), List.of(Mutation.delete(LogicalSwitch.PORTS, List.of(p.uuid())))));
    } else {
      nb.routerPort(g.externalPort()).ifPresent(p -> {
        // References are checked before orphans are collected: drop the port's reference first.
        t.update(LogicalRouterPort.TABLE_NAME, List.of(Condition.uuid(p.uuid())),
            Map.of(LogicalRouterPort.HA_CHASSIS_GROUP, Optional.empty()));
        onTenantRouter.add(Mutation.delete(LogicalRouter.PORTS, List.of(p.uuid())));
      });
      t.delete(HaChassisGroup.TABLE_NAME, List.of(Condition.eq(HaChassisGroup.NAME, Names.gatewayGroup(tenant.name()))));
    }
    t.mutate(LogicalRouter.TABLE_NAME, List.of(Condition.eq(LogicalRouter.NAME, tenant.router())), onTenantRouter);
    String extSwitch = g.externalSwitch();
    nb.logicalSwitch(extSwitch).ifPresent(ext -> {
      Optional<LogicalSwitchPort> etor = nb.switchPort(Names.externalToRouter(g.router()));
      long othersAttached = ext.ports().stream().map(u -> nb.get(LogicalSwitchPort.TABLE, u)).flatMap(Optional::stream)
          .filter(p -> p.type().equals("router") && etor.map(e -> !e.uuid().equals(p.uuid())).orElse(true)).count();
      if (othersAttached == 0 && Ownership.is(ext.externalIds(), Ownership.Kind.EXTERNAL_SWITCH)) {
        t.delete(LogicalSwitch.TABLE_NAME, List.of(Condition.eq(LogicalSwitch.NAME, extSwitch)));
      } else {
        etor.ifPresent(p -> t.mutate(LogicalSwitch.TABLE_NAME, List.of(Condition.eq(LogicalSwitch.NAME, extSwitch)),
            List.of(Mutation.delete(LogicalSwitch.PORTS, List.of(p.uuid())))));
      }
    });
  }
}
