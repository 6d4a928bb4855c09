package io.ovnmesos.cli;

import io.ovnmesos.ovsdb.OvsdbException;
import io.ovnmesos.topology.Northbound;
import io.ovnmesos.topology.Topology;
import io.ovnmesos.topology.TopologyException;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import java.util.function.Function;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** The {@code ovn-mesos} command: tenants, networks and gateways in OVN, and the whole topology. */
@Command(name = "ovn-mesos", mixinStandardHelpOptions = true, versionProvider = OvnMesos.Version.class,
    description = "Lays out OVN networks for Mesos tasks: tenants, networks, gateways.",
    subcommands = {TenantCommand.class, NetworkCommand.class, GatewayCommand.class, ShowCommand.class},
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:done (or nothing to change)", "1:OVN could not be reached or failed", "2:bad arguments",
        "3:conflicts with what exists", "4:something named does not exist"})
public final class OvnMesos implements Callable<Integer> {
  static final int FAILED = 1;
  static final int INVALID = 2;
  static final int CONFLICT = 3;
  static final int NOT_FOUND = 4;

  @Mixin
  NbConnection connection;

  @Option(names = "--json", scope = CommandLine.ScopeType.INHERIT, description = "print results as JSON")
  boolean json;

  @Spec
  CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    Logging.configure();
    System.exit(commandLine().execute(args));
  }

  /** The command line with ovn-mesos' error handling: messages, not stack traces, and exit codes by reason. */
  public static CommandLine commandLine() {
    CommandLine cl = new CommandLine(new OvnMesos());
    cl.setExecutionExceptionHandler((e, cmd, parsed) -> {
      PrintWriter err = cmd.getErr();
      err.println("ovn-mesos: " + e.getMessage());
      err.flush();
      if (e instanceof TopologyException te) {
        return switch (te.reason()) {
          case INVALID -> INVALID;
          case CONFLICT -> CONFLICT;
          case NOT_FOUND -> NOT_FOUND;
        };
      }
      return e instanceof OvsdbException ? FAILED : FAILED;
    });
    return cl;
  }

  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getOut());
    return 0;
  }

  /** Runs {@code work} against the topology, connected as the options say. */
  <T> T withTopology(Function<Topology, T> work) {
    try (Topology topo = new Topology(Northbound.connect(connection.nbOptions()))) {
      return work.apply(topo);
    }
  }

  Output output() {
    return new Output(spec.commandLine().getOut(), json);
  }

  /** The version from the jar's manifest. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = OvnMesos.class.getPackage().getImplementationVersion();
      return new String[] {"ovn-mesos " + (v == null ? "(development build)" : v)};
    }
  }
}
