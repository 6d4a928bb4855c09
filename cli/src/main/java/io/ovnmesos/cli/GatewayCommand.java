package io.ovnmesos.cli;

import io.ovnmesos.ovsdb.OvsdbClient;
import io.ovnmesos.topology.gateway.Gateway;
import io.ovnmesos.topology.gateway.GatewaySpec;
import io.ovnmesos.topology.gateway.LocalBridge;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code ovn-mesos gateway ...}. */
@Command(name = "gateway", description = "Create, delete, list and show tenant gateways.", mixinStandardHelpOptions = true)
final class GatewayCommand {
  @ParentCommand
  OvnMesos root;

  @Command(name = "create", description = "Give a tenant a way out to a provider network, with source NAT. One "
      + "chassis: a gateway router pinned there. Several (NAME:PRIORITY), or --ha: a gateway port that fails over.")
  int create(@Option(names = "--tenant", required = true, paramLabel = "TENANT") String tenant,
      @Option(names = "--chassis", required = true, paramLabel = "NAME[:PRIORITY]", split = ",",
          description = "gateway chassis (OVS system-ids), highest priority first") List<String> chassis,
      @Option(names = "--ha", description = "use an HA chassis group even for one chassis") boolean ha,
      @Option(names = "--physical-network", defaultValue = "physnet", paramLabel = "NAME",
          description = "provider network name in ovn-bridge-mappings (default: ${DEFAULT-VALUE})") String physnet,
      @Option(names = "--physical-ip", required = true, paramLabel = "IP/LEN",
          description = "the gateway's address on the provider network") String physicalIp,
      @Option(names = "--default-gw", paramLabel = "IP", description = "the provider network's router") String defaultGw,
      @Option(names = "--snat-subnet", paramLabel = "CIDR", description = "tenant addresses to NAT (repeat; default: "
          + "every IPv4 network of the tenant)") List<String> snat,
      @Option(names = "--external-ip", paramLabel = "IP", description = "further gateway addresses (repeat)") List<String> extra,
      @Option(names = "--bridge", paramLabel = "BRIDGE", description = "on this host, map the provider network to "
          + "this OVS bridge (created if missing) in the local OVS") String bridge,
      @Option(names = "--physical-interface", paramLabel = "NIC", description = "with --bridge: the host NIC to put "
          + "on it (it then carries only OVN's traffic)") String nic,
      @Option(names = "--nic-into-br-int", paramLabel = "NIC", description = "the prototype's mode, only if you ask: "
          + "put this NIC of this host into br-int instead of using a provider bridge and localnet port") String nicInBrInt) {
    if (nicInBrInt != null && bridge != null) {
      throw io.ovnmesos.topology.TopologyException.invalid("--nic-into-br-int", "cannot be used with --bridge");
    }
    GatewaySpec spec = new GatewaySpec(tenant, chassis, ha, physnet, physicalIp, defaultGw, snat, extra, nicInBrInt);
    var result = root.withTopology(t -> java.util.Map.entry(t.gateways().create(spec), t.gateways().find(tenant).orElseThrow()));
    boolean changed = result.getKey();
    if (bridge != null || nicInBrInt != null) {
      try (OvsdbClient ovs = root.connection.openLocalOvs()) {
        changed |= nicInBrInt != null ? LocalBridge.nicIntoBrInt(ovs, nicInBrInt, result.getValue().outsidePort())
            : LocalBridge.ensure(ovs, physnet, bridge, nic);
      }
    }
    root.output().change("created", "gateway of tenant", tenant, changed);
    return 0;
  }

  @Command(name = "delete", description = "Delete a tenant's gateway.")
  int delete(@Option(names = "--tenant", required = true, paramLabel = "TENANT") String tenant,
      @Option(names = "--if-exists", description = "succeed if the tenant has no gateway") boolean ifExists) {
    boolean changed = root.withTopology(t -> t.deleteGateway(tenant, ifExists));
    root.output().change("deleted", "gateway of tenant", tenant, changed);
    return 0;
  }

  @Command(name = "list", description = "List gateways.")
  int list() {
    List<Gateway> gws = root.withTopology(t -> t.gateways().list());
    root.output().print(String.join("\n", gws.stream().map(g -> g.tenant() + "\t" + g.mode().name().toLowerCase() + "\t"
        + g.chassis() + "\t" + g.physicalIp()).toList()), gws);
    return 0;
  }

  @Command(name = "show", description = "Show a tenant's gateway.")
  int show(@Option(names = "--tenant", required = true, paramLabel = "TENANT") String tenant) {
    var view = root.withTopology(t -> {
      t.tenants().get(tenant);
      if (t.gateways().find(tenant).isEmpty()) {
        throw io.ovnmesos.topology.TopologyException.notFound("tenant " + tenant + " has no gateway");
      }
      return t.view();
    });
    var g = view.tenants().stream().filter(t -> t.name().equals(tenant)).findFirst().orElseThrow().gateway().orElseThrow();
    root.output().print(TreeText.of(view).gateway(g), g);
    return 0;
  }
}
