package io.ovnmesos.executorhook;

import io.ovnmesos.executorhook.cni.CniSocketServer;
import io.ovnmesos.executorhook.mesos.AgentFlags;
import io.ovnmesos.executorhook.mesos.CheckpointedTasks;
import io.ovnmesos.executorhook.mesos.ExecutorApi;
import io.ovnmesos.executorhook.mesos.ExecutorSandboxes;
import io.ovnmesos.executorhook.metrics.HookMetrics;
import io.ovnmesos.executorhook.ovs.LocalSwitch;
import io.ovnmesos.executorhook.plumbing.AgentFirewall;
import io.ovnmesos.executorhook.plumbing.AgentPaths;
import io.ovnmesos.executorhook.plumbing.ContainerLink;
import io.ovnmesos.executorhook.port.AgentPorts;
import io.ovnmesos.executorhook.port.FrameworkPorts;
import io.ovnmesos.executorhook.port.FrameworkTenantRules;
import io.ovnmesos.executorhook.port.PortSource;
import io.ovnmesos.executorhook.reconcile.LocalReconciler;
import io.ovnmesos.ovsdb.OvsdbClient;
import io.ovnmesos.ovsdb.OvsdbOptions;
import io.ovnmesos.ovsdb.vswitch.Interface;
import io.ovnmesos.proto.tls.GrpcTls;
import io.ovnmesos.topology.Northbound;
import io.ovnmesos.topology.Topology;
import io.ovnmesos.topology.access.TenantAccess;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The per-agent daemon: serves the CNI plugin's calls on a root-only Unix socket. */
@Command(name = "ovn-mesos-executor-hook", mixinStandardHelpOptions = true,
    description = "Plumbs Mesos containers into OVN for the ovn-mesos CNI plugin. Runs as root on each agent.")
public final class ExecutorHook implements Callable<Integer>, AutoCloseable {
  @Option(names = "--socket", defaultValue = "${env:OVN_MESOS_CNI_SOCKET:-/run/ovn-mesos/cni.sock}",
      description = "the plugin's socket (env OVN_MESOS_CNI_SOCKET; default ${DEFAULT-VALUE})")
  Path socket;

  @Option(names = "--nb", defaultValue = "${env:OVN_NB_DB}", required = true,
      description = "the OVN Northbound database (env OVN_NB_DB)")
  String nb;

  @Option(names = "--local-ovs", defaultValue = "${env:OVN_MESOS_LOCAL_OVS:-unix:/var/run/openvswitch/db.sock}",
      description = "the local Open_vSwitch database (env OVN_MESOS_LOCAL_OVS; default ${DEFAULT-VALUE})")
  String localOvs;

  @Option(names = "--bridge", defaultValue = "${env:OVN_MESOS_BRIDGE:-br-int}", description = "the integration bridge (default ${DEFAULT-VALUE})")
  String bridge;

  @Option(names = "--underlay-mtu", defaultValue = "${env:OVN_MESOS_UNDERLAY_MTU:-1500}",
      description = "MTU of the tunnel underlay; task interfaces get it less the Geneve overhead unless their network sets one (default ${DEFAULT-VALUE})")
  int underlayMtu;

  @Option(names = "--install-timeout", defaultValue = "${env:OVN_MESOS_INSTALL_TIMEOUT:-30}",
      description = "seconds to wait for ovn-controller to install a port (default ${DEFAULT-VALUE})")
  int installTimeoutSeconds;

  @Option(names = "--host-netns", defaultValue = "${env:OVN_MESOS_HOST_NETNS}",
      description = "network namespace standing for the agent host, if not this process' own (tests, demo)")
  String hostNetns;

  @Option(names = "--disable-tx-offload", defaultValue = "${env:OVN_MESOS_DISABLE_TX_OFFLOAD:-false}",
      description = "turn off tx checksum offload in containers (needed with OVS's userspace datapath)")
  boolean disableTxOffload;

  @Option(names = "--metrics-address", defaultValue = "${env:OVN_MESOS_METRICS_ADDRESS:-127.0.0.1:9477}",
      description = "where /metrics (Prometheus format) is served; empty to disable (default ${DEFAULT-VALUE})")
  String metricsAddress;

  @Option(names = "--framework", split = ",", defaultValue = "${env:OVN_MESOS_FRAMEWORK}",
      description = "the framework replicas' gRPC addresses, host:port[,host:port]; ports are then claimed from the "
          + "framework (none: the agent makes ports itself, with no tenant access rules) (env OVN_MESOS_FRAMEWORK)")
  List<String> frameworks;

  @Option(names = "--mesos-work-dir", defaultValue = "${env:MESOS_WORK_DIR:-/var/lib/mesos}",
      description = "the Mesos agent's --work_dir, where executor sandboxes tell a container's framework and executor "
          + "(env MESOS_WORK_DIR; default ${DEFAULT-VALUE})")
  Path mesosWorkDir;

  @Option(names = "--claim-wait", defaultValue = "${env:OVN_MESOS_CLAIM_WAIT:-10000}",
      description = "milliseconds the framework may wait for a task it has not seen yet (default ${DEFAULT-VALUE})")
  int claimWaitMillis;

  @Option(names = "--local-fallback", negatable = true, defaultValue = "${env:OVN_MESOS_LOCAL_FALLBACK:-true}",
      fallbackValue = "true",
      description = "with --framework: make the port here when no framework replica can give one in the claim window, "
          + "or the framework does not know the task (counted in ovn_mesos_agent_created_ports); a refused port is never "
          + "made. --no-local-fallback makes the framework, and its tenant access rules, the only way (default ${DEFAULT-VALUE})")
  boolean localFallback;

  @Option(names = "--agent-endpoint", defaultValue = "${env:OVN_MESOS_AGENT_ENDPOINT}",
      description = "the Mesos agent's advertised IPv4 address and port (ip:port); every container then gets a private "
          + "path to it, and only to it, for its executor, and the agent reaches the container's executor at the task's "
          + "addresses over the same path (env OVN_MESOS_AGENT_ENDPOINT)")
  String agentEndpoint;

  @Option(names = "--executor-api", defaultValue = "${env:OVN_MESOS_EXECUTOR_API:-auto}",
      description = "with --agent-endpoint: how the agent's executors talk to it. driver: the agent also connects to each "
          + "executor at its task's address (Mesos' default command executor, custom executors on the old driver), so two "
          + "containers on this agent may not share a task address; http: executors only connect to the agent "
          + "(--http_command_executor=true, task groups); auto: ask the agent (GET_FLAGS), driver if it cannot answer "
          + "(env OVN_MESOS_EXECUTOR_API; default ${DEFAULT-VALUE})")
  String executorApi;

  @Option(names = "--framework-tls-cert", defaultValue = "${env:OVN_MESOS_FRAMEWORK_TLS_CERT}",
      description = "with --framework: this agent's PEM certificate, presented to the framework (env OVN_MESOS_FRAMEWORK_TLS_CERT)")
  Path frameworkTlsCert;

  @Option(names = "--framework-tls-key", defaultValue = "${env:OVN_MESOS_FRAMEWORK_TLS_KEY}",
      description = "its PEM private key (env OVN_MESOS_FRAMEWORK_TLS_KEY)")
  Path frameworkTlsKey;

  @Option(names = "--framework-tls-ca", defaultValue = "${env:OVN_MESOS_FRAMEWORK_TLS_CA}",
      description = "the CA certificate the framework's certificate must chain to; with the certificate and key, claims go "
          + "over TLS (env OVN_MESOS_FRAMEWORK_TLS_CA)")
  Path frameworkTlsCa;

  @Option(names = "--allow", split = ";", defaultValue = "${env:OVN_MESOS_ALLOW}",
      description = "without --framework only: tenant access rules for the ports this agent makes (role:<role>=<tenant>[,...] "
          + "or principal:<principal>=<tenant>[,...]; several separated by ';'); with --framework, the agent takes the "
          + "framework's own rules from it; with rules, a task whose role the agent cannot read from Mesos' checkpoints "
          + "gets no port here (env OVN_MESOS_ALLOW)")
  List<String> allow;

  @Option(names = "--tenant-rules-cache", defaultValue = "${env:OVN_MESOS_TENANT_RULES_CACHE:-/var/lib/ovn-mesos/tenant-rules}",
      description = "with --framework: the file the framework's tenant rules are kept in, so that an agent restarted while "
          + "no replica answers still applies them to the ports it makes itself; empty: kept in memory only "
          + "(default ${DEFAULT-VALUE})")
  String tenantRulesCache;

  private final HookMetrics metrics = new HookMetrics();
  private FrameworkPorts frameworkPorts;
  private volatile FrameworkTenantRules tenantRules;
  private Topology topology;
  private OvsdbClient ovs;
  private CniSocketServer server;
  private LocalReconciler.Outcome lastReconcile;

  /** The daemon's metrics. */
  public HookMetrics metrics() {
    return metrics;
  }

  /** The framework's tenant rules as this agent last heard them (with --framework); empty until heard. */
  public Optional<TenantAccess> frameworkTenantRules() {
    return tenantRules == null ? Optional.empty() : tenantRules.current();
  }

  /** What the reconciliation at start-up removed. */
  public LocalReconciler.Outcome lastReconcile() {
    return lastReconcile;
  }

  public static void main(String[] args) {
    if (System.getProperty("logback.configurationFile") == null) {
      System.setProperty("logback.configurationFile", "executor-hook-logback.xml");
    }
    System.exit(new CommandLine(new ExecutorHook()).execute(args));
  }

  /** Everything the daemon is configured with, for starting it from code (the demo, benchmarks). */
  public record Settings(Path socket, String nb, String localOvs, String bridge, int underlayMtu,
      int installTimeoutSeconds, String hostNetns, boolean disableTxOffload, String metricsAddress, List<String> frameworks,
      Path mesosWorkDir, int claimWaitMillis, boolean localFallback, String agentEndpoint, Optional<GrpcTls> frameworkTls,
      List<String> allow, ExecutorApi.Setting executorApi) {

    /** Settings that ask the agent how its executors talk to it. */
    public Settings(Path socket, String nb, String localOvs, String bridge, int underlayMtu, int installTimeoutSeconds,
        String hostNetns, boolean disableTxOffload, String metricsAddress, List<String> frameworks, Path mesosWorkDir,
        int claimWaitMillis, boolean localFallback, String agentEndpoint, Optional<GrpcTls> frameworkTls, List<String> allow) {
      this(socket, nb, localOvs, bridge, underlayMtu, installTimeoutSeconds, hostNetns, disableTxOffload, metricsAddress,
          frameworks, mesosWorkDir, claimWaitMillis, localFallback, agentEndpoint, frameworkTls, allow, ExecutorApi.Setting.AUTO);
    }

    /** These settings, with executors that talk to the agent as {@code api} says. */
    public Settings withExecutorApi(ExecutorApi.Setting api) {
      return new Settings(socket, nb, localOvs, bridge, underlayMtu, installTimeoutSeconds, hostNetns, disableTxOffload,
          metricsAddress, frameworks, mesosWorkDir, claimWaitMillis, localFallback, agentEndpoint, frameworkTls, allow, api);
    }

    /** Settings without tenant access rules of the agent's own. */
    public Settings(Path socket, String nb, String localOvs, String bridge, int underlayMtu, int installTimeoutSeconds,
        String hostNetns, boolean disableTxOffload, String metricsAddress, List<String> frameworks, Path mesosWorkDir,
        int claimWaitMillis, boolean localFallback, String agentEndpoint, Optional<GrpcTls> frameworkTls) {
      this(socket, nb, localOvs, bridge, underlayMtu, installTimeoutSeconds, hostNetns, disableTxOffload, metricsAddress,
          frameworks, mesosWorkDir, claimWaitMillis, localFallback, agentEndpoint, frameworkTls, List.of());
    }

    /** Settings that claim ports from the framework in plain text. */
    public Settings(Path socket, String nb, String localOvs, String bridge, int underlayMtu, int installTimeoutSeconds,
        String hostNetns, boolean disableTxOffload, String metricsAddress, List<String> frameworks, Path mesosWorkDir,
        int claimWaitMillis, boolean localFallback, String agentEndpoint) {
      this(socket, nb, localOvs, bridge, underlayMtu, installTimeoutSeconds, hostNetns, disableTxOffload, metricsAddress,
          frameworks, mesosWorkDir, claimWaitMillis, localFallback, agentEndpoint, Optional.empty());
    }

    /** Standalone settings: the agent makes ports itself. */
    public Settings(Path socket, String nb, String localOvs, String bridge, int underlayMtu, int installTimeoutSeconds,
        String hostNetns, boolean disableTxOffload, String metricsAddress) {
      this(socket, nb, localOvs, bridge, underlayMtu, installTimeoutSeconds, hostNetns, disableTxOffload, metricsAddress,
          List.of(), Path.of("/var/lib/mesos"), 10_000, true, null);
    }
  }

  /** Starts a daemon with {@code settings}; close it to stop. */
  public static ExecutorHook start(Settings settings) throws Exception {
    ExecutorHook hook = new ExecutorHook();
    hook.socket = settings.socket();
    hook.nb = settings.nb();
    hook.localOvs = settings.localOvs();
    hook.bridge = settings.bridge();
    hook.underlayMtu = settings.underlayMtu();
    hook.installTimeoutSeconds = settings.installTimeoutSeconds();
    hook.hostNetns = settings.hostNetns();
    hook.disableTxOffload = settings.disableTxOffload();
    hook.metricsAddress = settings.metricsAddress();
    hook.frameworks = settings.frameworks();
    hook.mesosWorkDir = settings.mesosWorkDir();
    hook.claimWaitMillis = settings.claimWaitMillis();
    hook.localFallback = settings.localFallback();
    hook.agentEndpoint = settings.agentEndpoint();
    hook.allow = settings.allow();
    hook.executorApi = settings.executorApi().name();
    settings.frameworkTls().ifPresent(t -> {
      hook.frameworkTlsCert = t.certificate();
      hook.frameworkTlsKey = t.privateKey();
      hook.frameworkTlsCa = t.ca().orElse(null);
    });
    return hook.start();
  }

  /** The socket this hook serves. */
  public Path socket() {
    return socket;
  }

  /** Connects to OVN and starts serving; returns once the socket accepts calls. */
  public ExecutorHook start() throws Exception {
    try {
      return startServing();
    } catch (Exception | Error e) {
      close();
      throw e;
    }
  }

  private ExecutorHook startServing() throws Exception {
    Optional<GrpcTls> tls;
    try {
      tls = GrpcTls.of(frameworkTlsCert, frameworkTlsKey, frameworkTlsCa, "--framework-tls-cert/--framework-tls-key/--framework-tls-ca");
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(new CommandLine(this), e.getMessage());
    }
    List<String> replicas = frameworks == null ? List.of() : frameworks.stream().filter(f -> !f.isBlank()).toList();
    List<String> ownRules = allow == null ? List.of() : allow.stream().filter(r -> !r.isBlank()).toList();
    if (!replicas.isEmpty() && !ownRules.isEmpty()) {
      throw new CommandLine.ParameterException(new CommandLine(this), "--allow: with --framework the agent applies the "
          + "framework's tenant rules, which it takes from the framework; set them on the framework only");
    }
    TenantAccess own;
    try {
      own = TenantAccess.parse(ownRules);
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(new CommandLine(this), e.getMessage());
    }
    ExecutorApi.Setting apiSetting;
    try {
      apiSetting = ExecutorApi.Setting.parse(executorApi == null ? "auto" : executorApi);
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(new CommandLine(this), "--executor-api: " + e.getMessage());
    }
    topology = new Topology(Northbound.connect(OvsdbOptions.of(nb)));
    ovs = OvsdbClient.connect(OvsdbOptions.of(localOvs));
    LocalSwitch localSwitch = new LocalSwitch(ovs, bridge);
    AgentPorts ports = new AgentPorts(topology, localSwitch.systemId(), replicas.isEmpty() ? () -> own
        : () -> tenantRules.current().orElseGet(TenantAccess::denyAll), metrics::agentCreatedPort);
    ContainerLink links = new ContainerLink(Optional.ofNullable(hostNetns).filter(s -> !s.isBlank()), disableTxOffload);
    lastReconcile = new LocalReconciler(localSwitch, links, ports).run();
    metrics.reconciled(lastReconcile.switchPorts(), lastReconcile.logicalPorts());
    if (metricsAddress != null && !metricsAddress.isBlank()) {
      metrics.serve(metricsAddress);
    }
    PortSource source = ports;
    if (!replicas.isEmpty()) {
      frameworkPorts = new FrameworkPorts(replicas, tls, new ExecutorSandboxes(mesosWorkDir), topology, ports,
          Duration.ofMillis(claimWaitMillis), localFallback, new CheckpointedTasks(mesosWorkDir), () -> tenantRules.current());
      tenantRules = new FrameworkTenantRules(frameworkPorts::tenantRules,
          Optional.ofNullable(tenantRulesCache).filter(f -> !f.isBlank()).map(Path::of)).start();
      source = frameworkPorts;
    }
    Optional<AgentPaths> agentPaths = Optional.empty();
    ExecutorApi api = new ExecutorApi(apiSetting, Optional::empty);
    if (agentEndpoint != null && !agentEndpoint.isBlank()) {
      int colon = agentEndpoint.lastIndexOf(':');
      String ip = colon > 0 ? agentEndpoint.substring(0, colon) : "";
      int port = colon > 0 ? Integer.parseInt(agentEndpoint.substring(colon + 1)) : -1;
      if (AgentPaths.parseIpv4(ip) < 0 || port <= 0 || port > 65535) {
        throw new CommandLine.ParameterException(new CommandLine(this), "--agent-endpoint: expected an IPv4 ip:port, got \""
            + agentEndpoint + "\"");
      }
      if (!links.hostHasAddress(ip)) {
        // The agent's connections to executors leave from it: it must be the agent's own address here.
        throw new CommandLine.ParameterException(new CommandLine(this), "--agent-endpoint: " + ip
            + " is not an address of this host; expected the Mesos agent's advertised address (--advertise_ip or --ip)");
      }
      AgentPaths paths = new AgentPaths(ip);
      paths.seed(links.hostRoutes(), localSwitch.containerInterfaces().values().stream()
          .map(r -> r.<String, String>map(Interface.EXTERNAL_IDS).get(LocalSwitch.CONTAINER_ID))
          .filter(Objects::nonNull).toList());
      AgentFlags flags = new AgentFlags(agentEndpoint);
      api = new ExecutorApi(apiSetting, () -> flags.get(ExecutorApi.HTTP_COMMAND_EXECUTOR));
      AgentFirewall.install(Optional.ofNullable(hostNetns).filter(s -> !s.isBlank()), ip, port);
      agentPaths = Optional.of(paths);
    }
    CniHandler handler = new CniHandler(source, links, localSwitch, underlayMtu, Duration.ofSeconds(installTimeoutSeconds),
        metrics, agentPaths, api);
    server = new CniSocketServer(socket, handler::handle);
    return this;
  }

  @Override
  public Integer call() throws Exception {
    start();
    Runtime.getRuntime().addShutdownHook(new Thread(this::close, "shutdown"));
    new CountDownLatch(1).await();
    return 0;
  }

  @Override
  public void close() {
    try {
      if (server != null) {
        server.close();
      }
    } catch (java.io.IOException ignored) {
      // the socket file is gone either way at exit
    }
    metrics.close();
    if (tenantRules != null) {
      tenantRules.close();
    }
    if (frameworkPorts != null) {
      frameworkPorts.close();
    }
    if (ovs != null) {
      ovs.close();
    }
    if (topology != null) {
      topology.close();
    }
  }
}
