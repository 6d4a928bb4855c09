package io.ovnmesos.cli;

import io.ovnmesos.topology.tenant.Tenant;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Parameters;

/** {@code ovn-mesos tenant ...}. */
@Command(name = "tenant", description = "Create, delete, list and show tenants.", mixinStandardHelpOptions = true)
final class TenantCommand {
  @ParentCommand
  OvnMesos root;

  @Command(name = "create", description = "Create a tenant: its router and join switch. A no-op if it exists.")
  int create(@Parameters(paramLabel = "TENANT") String name) {
    boolean changed = root.withTopology(t -> t.tenants().create(name));
    root.output().change("created", "tenant", name, changed);
    return 0;
  }

  @Command(name = "delete", description = "Delete a tenant; with --force also its networks, their task ports and its gateway.")
  int delete(@Parameters(paramLabel = "TENANT") String name,
      @Option(names = "--force", description = "also delete its networks (and task ports on them) and gateway") boolean force,
      @Option(names = "--if-exists", description = "succeed if the tenant does not exist") boolean ifExists) {
    boolean changed = root.withTopology(t -> t.deleteTenant(name, force, ifExists));
    root.output().change("deleted", "tenant", name, changed);
    return 0;
  }

  @Command(name = "list", description = "List tenants.")
  int list() {
    List<Tenant> tenants = root.withTopology(t -> t.tenants().list());
    root.output().print(String.join("\n", tenants.stream().map(t -> t.name() + "\trouter " + t.router() + "\tjoin "
        + t.joinSubnet()).toList()), tenants.stream().map(TenantCommand::json).toList());
    return 0;
  }

  @Command(name = "show", description = "Show one tenant.")
  int show(@Parameters(paramLabel = "TENANT") String name) {
    Tenant t = root.withTopology(topo -> topo.tenants().get(name));
    root.output().print("tenant " + t.name() + "\n  router " + t.router() + "\n  join switch " + t.joinSwitch() + " "
        + t.joinSubnet(), json(t));
    return 0;
  }

  private static java.util.Map<String, String> json(Tenant t) {
    return java.util.Map.of("name", t.name(), "router", t.router(), "joinSwitch", t.joinSwitch(),
        "joinSubnet", t.joinSubnet().toString());
  }
}
