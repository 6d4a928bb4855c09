package io.ovnmesos.cli;

import io.ovnmesos.ovsdb.OvsdbClient;
import io.ovnmesos.topology.Names;
import io.ovnmesos.topology.Northbound;
import io.ovnmesos.topology.Topology;
import io.ovnmesos.topology.TopologyException;
import io.ovnmesos.topology.gateway.GatewaySpec;
import io.ovnmesos.topology.gateway.LocalBridge;
import io.ovnmesos.topology.network.NetworkSpec;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code ovn-mesos-init}, a drop-in for the 2017 prototype's set-up tool: the same three commands and
 * options with the same meaning, now idempotent and checked. Gateways use a provider bridge and an
 * OVN localnet port rather than taking the NIC into br-int.
 */
@Command(name = "ovn-mesos-init", mixinStandardHelpOptions = true, versionProvider = OvnMesos.Version.class,
    description = "Sets up tenants, networks and gateways as the original ovn-mesos-init did.",
    subcommands = {OvnMesosInit.TenantInit.class, OvnMesosInit.NetworkInit.class, OvnMesosInit.GatewayInit.class})
public final class OvnMesosInit implements Callable<Integer> {
  @Mixin
  NbConnection connection;

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    Logging.configure();
    System.exit(commandLine().execute(args));
  }

  static CommandLine commandLine() {
    CommandLine cl = new CommandLine(new OvnMesosInit());
    cl.setExecutionExceptionHandler((e, cmd, parsed) -> {
      cmd.getErr().println("Failed operation.\n(" + e.getMessage() + ")");
      cmd.getErr().flush();
      if (e instanceof TopologyException te) {
        return switch (te.reason()) {
          case INVALID -> OvnMesos.INVALID;
          case CONFLICT -> OvnMesos.CONFLICT;
          case NOT_FOUND -> OvnMesos.NOT_FOUND;
        };
      }
      return OvnMesos.FAILED;
    });
    return cl;
  }

  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getOut());
    return 0;
  }

  int run(Consumer<Topology> work) {
    try (Topology topo = new Topology(Northbound.connect(connection.nbOptions()))) {
      work.accept(topo);
    }
    spec.commandLine().getOut().println("Initialization complete.");
    spec.commandLine().getOut().flush();
    return 0;
  }

  /** {@code tenant-init}: the tenant's distributed router and join switch. */
  @Command(name = "tenant-init", description = "Create a tenant's router and join switch.")
  static final class TenantInit implements Callable<Integer> {
    @ParentCommand
    OvnMesosInit root;

    @Option(names = "--tenant-name", required = true)
    String tenant;

    @Override
    public Integer call() {
      return root.run(t -> t.tenants().create(tenant));
    }
  }

  /** {@code network-init}: a network on the tenant's router; the router takes the subnet's first address. */
  @Command(name = "network-init", description = "Create a tenant network.")
  static final class NetworkInit implements Callable<Integer> {
    @ParentCommand
    OvnMesosInit root;

    @Option(names = "--network-name", required = true)
    String network;

    @Option(names = "--subnet", required = true)
    String subnet;

    @Option(names = "--tenant-name", required = true)
    String tenant;

    @Override
    public Integer call() {
      return root.run(t -> t.networks().create(NetworkSpec.of(tenant, network, subnet)));
    }
  }

  /** {@code gateway-init}, run on the gateway host: a gateway router pinned to this chassis. */
  @Command(name = "gateway-init", description = "Create the tenant's gateway router on this host's chassis.")
  static final class GatewayInit implements Callable<Integer> {
    @ParentCommand
    OvnMesosInit root;

    @Option(names = "--cluster-ip-subnet", required = true, description = "the tenant's addresses to NAT, e.g. 192.168.0.0/16")
    String clusterSubnet;

    @Option(names = "--physical-interface", required = true, description = "the NIC on the provider network")
    String nic;

    @Option(names = "--physical-ip", required = true, description = "the gateway's IP/LEN on the provider network")
    String physicalIp;

    @Option(names = "--default-gw", description = "the provider network's router")
    String defaultGw;

    @Option(names = "--tenant-name", required = true)
    String tenant;

    @Option(names = "--bridge-interface", description = "an OVS bridge that already holds the NIC (default: br-NIC, made here)")
    String bridge;

    @Option(names = "--physical-network", description = "provider network name (default: the NIC's name)")
    String physnet;

    @Option(names = "--nic-into-br-int", description = "the prototype's original mode: put the NIC into br-int "
        + "instead of a provider bridge with a localnet port")
    boolean nicIntoBrInt;

    @Override
    public Integer call() {
      Names.check("--physical-interface", nic);
      String chassis = root.connection.localOvsExternalId("system-id").orElseThrow(() -> TopologyException.invalid(
          "system-id", "no system-id in the local OVS (" + root.connection.localOvsRemote() + "); run this on an OVN chassis"));
      String network = physnet != null ? physnet : nic;
      String br = bridge != null ? bridge : ("br-" + nic).substring(0, Math.min(15, 3 + nic.length()));
      return root.run(t -> {
        t.gateways().create(new GatewaySpec(tenant, List.of(chassis), false, network, physicalIp, defaultGw,
            List.of(clusterSubnet), List.of(), nicIntoBrInt ? nic : null));
        try (OvsdbClient ovs = root.connection.openLocalOvs()) {
          if (nicIntoBrInt) {
            LocalBridge.nicIntoBrInt(ovs, nic, t.gateways().find(tenant).orElseThrow().outsidePort());
          } else {
            LocalBridge.ensure(ovs, network, br, bridge != null ? null : nic);
          }
        }
      });
    }
  }
}
