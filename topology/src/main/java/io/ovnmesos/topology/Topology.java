package io.ovnmesos.topology;

import io.ovnmesos.ovsdb.data.Uuid;
import io.ovnmesos.ovsdb.nb.LogicalRouter;
import io.ovnmesos.ovsdb.nb.LogicalRouterStaticRoute;
import io.ovnmesos.ovsdb.nb.LogicalSwitchPort;
import io.ovnmesos.ovsdb.nb.Nat;
import io.ovnmesos.ovsdb.txn.Transaction;
import io.ovnmesos.topology.dns.DnsRecords;
import io.ovnmesos.topology.dns.TenantDns;
import io.ovnmesos.topology.gateway.Gateway;
import io.ovnmesos.topology.gateway.Gateways;
import io.ovnmesos.topology.network.Network;
import io.ovnmesos.topology.network.Networks;
import io.ovnmesos.topology.port.PortMarks;
import io.ovnmesos.topology.tenant.Tenant;
import io.ovnmesos.topology.tenant.Tenants;
import io.ovnmesos.topology.view.TopologyView;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Tenants, networks and gateways over one Northbound connection; deletes that span them (a tenant
 * with everything in it) go in one transaction, so they happen whole or not at all.
 */
public final class Topology implements AutoCloseable {
  private final Northbound nb;
  private final Tenants tenants;
  private final Networks networks;
  private final Gateways gateways;

  public Topology(Northbound nb) {
    this.nb = nb;
    this.tenants = new Tenants(nb);
    this.networks = new Networks(nb, tenants);
    this.gateways = new Gateways(nb, tenants, networks);
  }

  public Northbound northbound() {
    return nb;
  }

  public Tenants tenants() {
    return tenants;
  }

  public Networks networks() {
    return networks;
  }

  public Gateways gateways() {
    return gateways;
  }

  /**
   * Deletes a tenant. With networks or a gateway it refuses unless {@code force}, which deletes them
   * too (and the task ports on them). Returns false if the tenant did not exist and {@code ifExists}.
   */
  public boolean deleteTenant(String name, boolean force, boolean ifExists) {
    Names.check("tenant", name);
    Optional<Tenant> tenant = tenants.find(name);
    if (tenant.isEmpty()) {
      return missing(ifExists, "tenant " + name + " does not exist");
    }
    List<Network> nets = networks.list(name);
    Optional<Gateway> gw = gateways.find(name);
    if (!force && (!nets.isEmpty() || gw.isPresent())) {
      throw TopologyException.conflict("tenant " + name + " still has " + nets.size() + " network(s)"
          + (gw.isPresent() ? " and a gateway" : "") + "; delete them first, or use --force");
    }
    Transaction t = nb.transaction();
    gw.ifPresent(g -> gateways.delete(t, g));
    nets.forEach(n -> networks.delete(t, n, true));
    tenants.delete(t, tenant.get());
    t.comment("ovn-mesos: delete tenant " + name);
    nb.commit(t);
    return true;
  }

  /** Deletes a network; refuses while tasks have ports on it, unless {@code force}. */
  public boolean deleteNetwork(String name, boolean force, boolean ifExists) {
    Names.check("network", name);
    Optional<Network> n = networks.find(name);
    if (n.isEmpty()) {
      return missing(ifExists, "network " + name + " does not exist");
    }
    Transaction t = nb.transaction();
    networks.delete(t, n.get(), force);
    t.comment("ovn-mesos: delete network " + name);
    nb.commit(t);
    return true;
  }

  /** Deletes a tenant's gateway. */
  public boolean deleteGateway(String tenant, boolean ifExists) {
    tenants.get(tenant);
    Optional<Gateway> g = gateways.find(tenant);
    if (g.isEmpty()) {
      return missing(ifExists, "tenant " + tenant + " has no gateway");
    }
    Transaction t = nb.transaction();
    gateways.delete(t, g.get());
    t.comment("ovn-mesos: delete gateway of tenant " + tenant);
    nb.commit(t);
    return true;
  }

  private static boolean missing(boolean ifExists, String message) {
    if (ifExists) {
      return false;
    }
    throw TopologyException.notFound(message);
  }

  /** The whole managed topology, for show. */
  public TopologyView view() {
    List<TopologyView.TenantView> out = new ArrayList<>();
    for (Tenant t : tenants.list()) {
      List<TopologyView.NetworkView> nets = new ArrayList<>();
      for (Network n : networks.list(t.name())) {
        List<TopologyView.PortView> ports = new ArrayList<>();
        for (LogicalSwitchPort p : networks.taskPorts(n.name())) {
          Map<String, String> task = new TreeMap<>();
          Map<String, String> marks = PortMarks.withNameMarks(p.name(), p.externalIds());
          for (String k : PortMarks.TASK_KEYS) {
            Optional.ofNullable(marks.get(k)).ifPresent(v -> task.put(k.substring("ovn-mesos/".length()), v));
          }
          ports.add(new TopologyView.PortView(p.name(), p.addresses().stream().sorted().toList(), p.dynamicAddresses(),
              p.up(), task));
        }
        nets.add(new TopologyView.NetworkView(n.name(), n.subnets(), n.gateways(), n.mtu(), n.dnsServers(), ports));
      }
      Optional<TopologyView.GatewayView> gw = gateways.find(t.name()).map(g -> gatewayView(g));
      Map<String, List<String>> names = new TreeMap<>();
      new TenantDns(nb).row(t.name()).ifPresent(d -> d.records().forEach((name, value) -> {
        if (!DnsRecords.isReverse(name)) {
          names.put(name, DnsRecords.addresses(value));
        }
      }));
      out.add(new TopologyView.TenantView(t.name(), t.router(), t.joinSubnet().toString(), nets, gw, names));
    }
    return new TopologyView(out);
  }

  private TopologyView.GatewayView gatewayView(Gateway g) {
    LogicalRouter r = nb.router(g.router()).orElseThrow();
    List<String> nat = new ArrayList<>();
    for (Uuid u : r.nat()) {
      nb.get(Nat.TABLE, u).ifPresent(x -> nat.add(x.type() + " " + x.logicalIp() + " -> " + x.externalIp()));
    }
    List<String> routes = new ArrayList<>();
    Optional<LogicalRouter> tenantRouter = g.mode() == Gateway.Mode.ROUTER ? nb.router(Names.tenantRouter(g.tenant()))
        : Optional.empty();
    List<Uuid> routeIds = new ArrayList<>(r.staticRoutes());
    tenantRouter.ifPresent(tr -> routeIds.addAll(tr.staticRoutes()));
    for (Uuid u : routeIds) {
      nb.get(LogicalRouterStaticRoute.TABLE, u).ifPresent(x -> routes.add(x.ipPrefix() + " via " + x.nexthop()
          + x.outputPort().map(p -> " (" + p + ")").orElse("")));
    }
    return new TopologyView.GatewayView(g.mode().name().toLowerCase(), g.router(),
        g.chassis().stream().map(Object::toString).toList(), g.physicalNetwork(), g.physicalIp(), g.defaultGateway(),
        nat.stream().sorted().toList(), routes.stream().sorted().toList());
  }

  @Override
  public void close() {
    nb.close();
  }
}
