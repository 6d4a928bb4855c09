package io.ovnmesos.cli;

import io.ovnmesos.topology.network.Network;
import io.ovnmesos.topology.network.NetworkSpec;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Parameters;

/** {@code ovn-mesos network ...}. */
@Command(name = "network", description = "Create, delete, list and show tenant networks.", mixinStandardHelpOptions = true)
final class NetworkCommand {
  @ParentCommand
  OvnMesos root;

  @Command(name = "create", description = "Create a network (a logical switch on the tenant router). A no-op if it "
      + "exists with the same settings. Tasks name it in their logical_switch label.")
  int create(@Parameters(paramLabel = "NETWORK") String name,
      @Option(names = "--tenant", required = true, paramLabel = "TENANT") String tenant,
      @Option(names = "--subnet", required = true, paramLabel = "CIDR",
          description = "an IPv4 network, an IPv6 /64, or one of each (repeat)") List<String> subnets,
      @Option(names = "--gateway", paramLabel = "IP", description = "the router's address in each subnet "
          + "(default: the first usable)") List<String> gateways,
      @Option(names = "--exclude", paramLabel = "IP[..IP]", description = "IPv4 addresses OVN must not hand out (repeat)")
          List<String> exclude,
      @Option(names = "--mtu", paramLabel = "BYTES", description = "MTU of task interfaces (default: derived from the "
          + "tunnel overhead on each agent)") Integer mtu,
      @Option(names = "--dns", paramLabel = "IP", description = "name server for tasks (repeat)") List<String> dns) {
    NetworkSpec spec = new NetworkSpec(tenant, name, subnets, gateways, exclude, mtu, dns);
    boolean changed = root.withTopology(t -> t.networks().create(spec));
    root.output().change("created", "network", name, changed);
    return 0;
  }

  @Command(name = "delete", description = "Delete a network; refused while tasks have ports on it, unless --force.")
  int delete(@Parameters(paramLabel = "NETWORK") String name,
      @Option(names = "--force", description = "delete even with task ports on it (their tasks lose the network)") boolean force,
      @Option(names = "--if-exists", description = "succeed if the network does not exist") boolean ifExists) {
    boolean changed = root.withTopology(t -> t.deleteNetwork(name, force, ifExists));
    root.output().change("deleted", "network", name, changed);
    return 0;
  }

  @Command(name = "list", description = "List networks.")
  int list(@Option(names = "--tenant", paramLabel = "TENANT") String tenant) {
    List<Network> nets = root.withTopology(t -> {
      if (tenant != null) {
        t.tenants().get(tenant);
      }
      return t.networks().list(tenant);
    });
    List<String> lines = new ArrayList<>();
    nets.forEach(n -> lines.add(n.name() + "\ttenant " + n.tenant() + "\t" + String.join(" ", n.subnets())));
    root.output().print(String.join("\n", lines), nets);
    return 0;
  }

  @Command(name = "show", description = "Show one network and the task ports on it.")
  int show(@Parameters(paramLabel = "NETWORK") String name) {
    var view = root.withTopology(t -> {
      t.networks().get(name);
      return t.view();
    });
    var tree = TreeText.of(view);
    var n = view.tenants().stream().flatMap(t -> t.networks().stream()).filter(x -> x.name().equals(name)).findFirst().orElseThrow();
    root.output().print(tree.network(n), n);
    return 0;
  }
}
