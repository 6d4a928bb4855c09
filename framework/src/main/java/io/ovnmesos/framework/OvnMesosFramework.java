package io.ovnmesos.framework;

import io.ovnmesos.framework.access.TenantAccess;
import io.ovnmesos.framework.scheduler.FrameworkRegistration;
import io.ovnmesos.ovsdb.OvsdbOptions;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The framework's command line; every flag has an environment fallback. */
@Command(name = "ovn-mesos-framework", mixinStandardHelpOptions = true,
    description = "Keeps OVN logical switch ports equal to the tasks Mesos runs, and answers the agents' claims.")
public final class OvnMesosFramework implements Callable<Integer> {
  @Option(names = "--master", defaultValue = "${env:MESOS_MASTER:-127.0.0.1:5050}",
      description = "host:port[,host:port] or zk://host:port[,...]/mesos (env MESOS_MASTER; default ${DEFAULT-VALUE})")
  String master;

  @Option(names = "--nb", defaultValue = "${env:OVN_NB_DB}", required = true,
      description = "the OVN Northbound database, e.g. tcp:10.0.0.1:6641 or a clustered list (env OVN_NB_DB)")
  String nb;

  @Option(names = "--zk", defaultValue = "${env:OVN_MESOS_ZK}",
      description = "ZooKeeper host:port[,...] for leader election among replicas; none: this replica leads alone (env OVN_MESOS_ZK)")
  String zk;

  @Option(names = "--zk-path", defaultValue = "${env:OVN_MESOS_ZK_PATH:-/ovn-mesos}", description = "(default ${DEFAULT-VALUE})")
  String zkPath;

  @Option(names = "--zk-session-timeout", defaultValue = "${env:OVN_MESOS_ZK_SESSION_TIMEOUT:-6000}",
      description = "milliseconds; a dead leader is replaced about this long after it stops (default ${DEFAULT-VALUE})")
  int zkSessionTimeout;

  @Option(names = "--grpc-address", defaultValue = "${env:OVN_MESOS_GRPC_ADDRESS:-0.0.0.0:9478}",
      description = "where the agents' claims are served (env OVN_MESOS_GRPC_ADDRESS; default ${DEFAULT-VALUE})")
  String grpcAddress;

  @Option(names = "--status-address", defaultValue = "${env:OVN_MESOS_STATUS_ADDRESS:-127.0.0.1:9479}",
      description = "/metrics, /health and /ready; empty to disable (env OVN_MESOS_STATUS_ADDRESS; default ${DEFAULT-VALUE})")
  String statusAddress;

  @Option(names = "--name", defaultValue = "${env:OVN_MESOS_FRAMEWORK_NAME:-ovn-mesos}", description = "(default ${DEFAULT-VALUE})")
  String name;

  @Option(names = "--user", defaultValue = "${env:OVN_MESOS_FRAMEWORK_USER:-root}", description = "(default ${DEFAULT-VALUE})")
  String user;

  @Option(names = "--role", split = ",", defaultValue = "${env:OVN_MESOS_FRAMEWORK_ROLES:-ovn-mesos}",
      description = "roles to register with, all suppressed (default ${DEFAULT-VALUE})")
  List<String> roles;

  @Option(names = "--principal", defaultValue = "${env:OVN_MESOS_PRINCIPAL}", description = "framework principal (env OVN_MESOS_PRINCIPAL)")
  String principal;

  @Option(names = "--secret-file", defaultValue = "${env:OVN_MESOS_SECRET_FILE}",
      description = "file holding the principal's secret, for HTTP Basic authentication (env OVN_MESOS_SECRET_FILE)")
  Path secretFile;

  @Option(names = "--failover-timeout", defaultValue = "${env:OVN_MESOS_FAILOVER_TIMEOUT:-P28D}",
      description = "how long the master keeps the framework while no replica is connected, ISO-8601 (default ${DEFAULT-VALUE})")
  Duration failoverTimeout;

  @Option(names = "--cni-network", split = ",", defaultValue = "${env:OVN_MESOS_CNI_NETWORKS:-ovn}",
      description = "CNI network names (NetworkInfo.name) served by ovn-mesos (default ${DEFAULT-VALUE})")
  List<String> cniNetworks;

  @Option(names = "--allow", split = ";", defaultValue = "${env:OVN_MESOS_ALLOW}",
      description = "tenant access rules, role:<role>=<tenant>[,...] or principal:<p>=<tenant>[,...]; '*' is any tenant; none: all allowed (env OVN_MESOS_ALLOW, ';'-separated)")
  List<String> allow;

  @Option(names = "--unreachable-grace", defaultValue = "${env:OVN_MESOS_UNREACHABLE_GRACE:-PT15M}",
      description = "how long an unreachable task keeps its ports, ISO-8601 (default ${DEFAULT-VALUE})")
  Duration unreachableGrace;

  @Option(names = "--orphan-grace", defaultValue = "${env:OVN_MESOS_ORPHAN_GRACE:-PT10M}",
      description = "how long a port on an agent the master does not list is kept, ISO-8601 (default ${DEFAULT-VALUE}, Mesos' agent re-registration timeout)")
  Duration orphanGrace;

  public static void main(String[] args) {
    if (System.getProperty("logback.configurationFile") == null) {
      System.setProperty("logback.configurationFile", "framework-logback.xml");
    }
    System.exit(new CommandLine(new OvnMesosFramework()).execute(args));
  }

  /** The settings these flags give. */
  Framework.Settings settings() throws java.io.IOException {
    Optional<String> secret = secretFile == null ? Optional.empty()
        : Optional.of(Files.readString(secretFile, StandardCharsets.UTF_8).strip());
    Optional<String> credentials = Optional.ofNullable(principal).filter(p -> !p.isBlank()).flatMap(p -> secret.map(s -> p + ":" + s));
    return new Framework.Settings(master, credentials, OvsdbOptions.of(nb), Optional.ofNullable(zk).filter(s -> !s.isBlank()),
        zkPath, zkSessionTimeout, address("--grpc-address", grpcAddress),
        Optional.ofNullable(statusAddress).filter(s -> !s.isBlank()).map(a -> address("--status-address", a)),
        FrameworkRegistration.frameworkInfo(name, user, roles, Optional.ofNullable(principal).filter(p -> !p.isBlank()),
            failoverTimeout, Optional.empty()),
        Set.copyOf(cniNetworks), TenantAccess.parse(allow == null ? List.of() : allow.stream().filter(s -> !s.isBlank()).toList()),
        unreachableGrace, orphanGrace, Duration.ofMillis(500));
  }

  static InetSocketAddress address(String flag, String hostPort) {
    int colon = hostPort.lastIndexOf(':');
    if (colon <= 0) {
      throw new CommandLine.ParameterException(new CommandLine(new OvnMesosFramework()), flag + ": expected host:port, got \""
          + hostPort + "\"");
    }
    try {
      return new InetSocketAddress(hostPort.substring(0, colon), Integer.parseInt(hostPort.substring(colon + 1)));
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(new CommandLine(new OvnMesosFramework()), flag + ": expected host:port, got \""
          + hostPort + "\"");
    }
  }

  @Override
  public Integer call() throws Exception {
    Framework f = Framework.start(settings());
    Runtime.getRuntime().addShutdownHook(new Thread(f::close, "shutdown"));
    new CountDownLatch(1).await();
    return 0;
  }
}
