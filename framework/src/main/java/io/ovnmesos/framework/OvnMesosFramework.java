package io.ovnmesos.framework;

import io.ovnmesos.topology.access.TenantAccess;
import io.ovnmesos.framework.mesos.MasterDetector;
import io.ovnmesos.framework.scheduler.FrameworkRegistration;
import io.ovnmesos.ovsdb.OvsdbOptions;
import io.ovnmesos.proto.tls.GrpcTls;
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

  @Option(names = "--resync-interval", defaultValue = "${env:OVN_MESOS_RESYNC_INTERVAL:-PT5M}",
      description = "how often the ports live tasks want are compared with OVN again between master snapshots, every "
          + "column, and drift repaired, ISO-8601; PT0S: only on snapshots (default ${DEFAULT-VALUE})")
  Duration resyncInterval;

  @Option(names = "--dns-domain", defaultValue = "${env:OVN_MESOS_DNS_DOMAIN:-mesos}",
      description = "the domain running tasks are named under in OVN's DNS, <task>.<framework>.<domain> as Mesos-DNS "
          + "names them; empty: tasks get no names (default ${DEFAULT-VALUE})")
  String dnsDomain;

  public static void main(String[] args) {
    if (System.getProperty("logback.configurationFile") == null) {
      System.setProperty("logback.configurationFile", "framework-logback.xml");
    }
    // Mesos 1.11's classes were generated by protoc 3.x; today's runtime warns about them (an
    // extension-parsing denial of service) unless told otherwise. Their input is the master's.
    if (System.getProperty("com.google.protobuf.use_unsafe_pre22_gencode") == null) {
      System.setProperty("com.google.protobuf.use_unsafe_pre22_gencode", "true");
    }
    org.slf4j.bridge.SLF4JBridgeHandler.removeHandlersForRootLogger();
    org.slf4j.bridge.SLF4JBridgeHandler.install();
    System.exit(new CommandLine(new OvnMesosFramework()).execute(args));
  }

  @Option(names = "--grpc-tls-cert", defaultValue = "${env:OVN_MESOS_GRPC_TLS_CERT}",
      description = "PEM certificate for the gRPC server; with --grpc-tls-key, claims are served over TLS (env OVN_MESOS_GRPC_TLS_CERT)")
  Path grpcTlsCert;

  @Option(names = "--grpc-tls-key", defaultValue = "${env:OVN_MESOS_GRPC_TLS_KEY}",
      description = "its PEM private key (env OVN_MESOS_GRPC_TLS_KEY)")
  Path grpcTlsKey;

  @Option(names = "--grpc-tls-ca", defaultValue = "${env:OVN_MESOS_GRPC_TLS_CA}",
      description = "CA certificate that agents' certificates must chain to: agents must then present one (mutual TLS) "
          + "(env OVN_MESOS_GRPC_TLS_CA)")
  Path grpcTlsCa;

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
        unreachableGrace, orphanGrace, Duration.ofMillis(500),
        GrpcTls.of(grpcTlsCert, grpcTlsKey, grpcTlsCa, "--grpc-tls-cert/--grpc-tls-key/--grpc-tls-ca"), resyncInterval,
        Optional.ofNullable(dnsDomain).filter(d -> !d.isBlank()));
  }

  static InetSocketAddress address(String flag, String hostPort) {
    int colon = hostPort.lastIndexOf(':');
    try {
      if (colon <= 0) {
        throw new IllegalArgumentException("no port");
      }
      return new InetSocketAddress(hostPort.substring(0, colon), Integer.parseInt(hostPort.substring(colon + 1)));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(flag + ": expected host:port, got \"" + hostPort + "\"", e);
    }
  }

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    Framework.Settings settings;
    try {
      settings = settings();
      MasterDetector.parse(master).close();
    } catch (IllegalArgumentException e) {
      // Bad flag values get picocli's usage error (exit 2), naming the flag.
      throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
    }
    Framework f = Framework.start(settings);
    Runtime.getRuntime().addShutdownHook(new Thread(f::close, "shutdown"));
    new CountDownLatch(1).await();
    return 0;
  }
}
