package io.ovnmesos.framework;

import io.ovnmesos.executorhook.ExecutorHook;
import io.ovnmesos.executorhook.mesos.ExecutorApi;
import io.ovnmesos.topology.access.TenantAccess;
import io.ovnmesos.framework.scheduler.FrameworkRegistration;
import io.ovnmesos.ovsdb.OvsdbOptions;
import io.ovnmesos.testbed.Container;
import io.ovnmesos.testbed.Daemon;
import io.ovnmesos.testbed.Echo;
import io.ovnmesos.testbed.Netns;
import io.ovnmesos.testbed.OvnTestbed;
import io.ovnmesos.testbed.Waiter;
import io.ovnmesos.topology.Northbound;
import io.ovnmesos.topology.Topology;
import io.ovnmesos.topology.network.NetworkSpec;
import io.ovnmesos.topology.port.PortMarks;
import io.ovnmesos.testcluster.agent.Agent;
import io.ovnmesos.testcluster.agent.AgentEndpoint;
import io.ovnmesos.testcluster.agent.CniIsolator;
import io.ovnmesos.testcluster.master.Master;
import io.ovnmesos.testcluster.master.MasterServer;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.apache.mesos.v1.Protos;

/**
 * A Mesos test cluster (one master, one agent) whose agent runs the real ovn-mesos CNI plugin against
 * a real executor hook in framework mode, on a real OVN testbed; and the framework, started and
 * stopped at will.
 */
final class MesosOvnCluster implements AutoCloseable {
  static final Path PLUGIN = Path.of("../cni/target/ovn-mesos-plugin").toAbsolutePath().normalize();

  final OvnTestbed ovn;
  final Master master = new Master();
  final MasterServer masterServer;
  final Agent agent;
  final ExecutorHook hook;
  final Protos.FrameworkID marathon;
  /** Free ports for two replicas' gRPC, kept across their restarts. */
  private final int[] grpcPorts = new int[2];
  private final java.util.List<Framework> replicas = new java.util.ArrayList<>();
  Framework framework;

  /** The agent's advertised endpoint, on the agent host (the chassis' namespace). */
  static final String AGENT_ADDRESS = "10.253.0.1";
  static final int AGENT_PORT = 5051;
  private final Daemon agentServer;

  MesosOvnCluster(OvnTestbed ovn) throws Exception {
    this(ovn, true);
  }

  /**
   * @param agentPaths whether the executor hook gives containers their path to the agent; without
   *     it, tasks fail as they do on a real Mesos agent
   */
  MesosOvnCluster(OvnTestbed ovn, boolean agentPaths) throws Exception {
    this(ovn, agentPaths, 20_000);
  }

  /** @param claimWaitMillis how long the hook waits for the framework before making a port itself */
  MesosOvnCluster(OvnTestbed ovn, boolean agentPaths, int claimWaitMillis) throws Exception {
    this(ovn, agentPaths, claimWaitMillis, false);
  }

  /**
   * @param httpCommandExecutor the agent's --http_command_executor (false, Mesos' default: the agent
   *     connects to each command executor at its task's address), which the hook is told too
   */
  MesosOvnCluster(OvnTestbed ovn, boolean agentPaths, int claimWaitMillis, boolean httpCommandExecutor)
      throws Exception {
    this.ovn = ovn;
    Netns agentHost = ovn.chassis().netns().orElseThrow();
    agentHost.ip("addr", "add", AGENT_ADDRESS + "/32", "dev", "lo");
    // Stands for the agent's HTTP server: executors connect to it before their task starts.
    agentServer = Echo.serve(agentHost, ovn.dir(), Container.Protocol.TCP, AGENT_PORT);
    Path base = ovn.dir().resolve("mesos");
    Path plugins = Files.createDirectories(base.resolve("plugins"));
    Path configs = Files.createDirectories(base.resolve("config"));
    Path workDir = Files.createDirectories(base.resolve("work"));
    Files.copy(PLUGIN, plugins.resolve("ovn-mesos-plugin"));
    plugins.resolve("ovn-mesos-plugin").toFile().setExecutable(true);
    Path socket = ovn.dir().resolve("cni/cni.sock");
    // A second CNI network on the same plugin, for tasks with two OVN interfaces (CNI network names are unique per container).
    for (String name : List.of("ovn", "ovn2")) {
      Files.writeString(configs.resolve("10-" + name + ".conf"), "{\"cniVersion\":\"0.2.0\",\"name\":\"" + name
          + "\",\"type\":\"ovn-mesos-plugin\",\"socket\":\"" + socket + "\"}");
    }
    masterServer = MasterServer.start(master, Duration.ofMillis(500));
    for (int i = 0; i < grpcPorts.length; i++) {
      try (var s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
        grpcPorts[i] = s.getLocalPort();
      }
    }
    hook = ExecutorHook.start(new ExecutorHook.Settings(socket, ovn.nbRemote(), ovn.chassis().ovsRemote(), "br-int", 1500, 30,
        "/var/run/netns/" + ovn.chassis().netns().orElseThrow().name(), true, "", List.of("127.0.0.1:" + grpcPorts[0], "127.0.0.1:" + grpcPorts[1]), workDir,
        claimWaitMillis, true, agentPaths ? AGENT_ADDRESS + ":" + AGENT_PORT : null, Optional.empty())
        // Told, not asked: the agent's API is not served at its endpoint here.
        .withExecutorApi(httpCommandExecutor ? ExecutorApi.Setting.HTTP : ExecutorApi.Setting.DRIVER));
    CniIsolator isolator = new CniIsolator(configs, plugins.toString(),
        Files.createDirectories(base.resolve("run/isolators/network/cni")), "/usr/sbin:/usr/bin:/sbin:/bin");
    agent = new Agent(Protos.AgentID.newBuilder().setValue("S0").build(), isolator, workDir,
        agentEndpoint(agentHost).withHttpCommandExecutor(httpCommandExecutor));
    master.addAgent(agent, "agent-0");
    marathon = master.addFramework(Protos.FrameworkInfo.newBuilder().setName("marathon").setUser("root").build());
  }

  /** The agent's endpoint on the chassis standing for its host, with Mesos' default, driver-based command executor. */
  static AgentEndpoint agentEndpoint(Netns agentHost) {
    return AgentEndpoint.parse(AGENT_ADDRESS + ":" + AGENT_PORT).inNamespace("/var/run/netns/" + agentHost.name());
  }

  Framework.Settings settings(TenantAccess access) {
    return settings(access, 0, Optional.empty(), masterServer.address());
  }

  /** Settings for a lone replica following {@code master}, on any free gRPC port, no status endpoint. */
  static Framework.Settings standaloneSettings(String master, String nb) {
    return new Framework.Settings(master, Optional.empty(), OvsdbOptions.of(nb), Optional.empty(), "/ovn-mesos", 6000,
        new InetSocketAddress("127.0.0.1", 0), Optional.empty(), FrameworkRegistration.frameworkInfo("ovn-mesos", "root",
            List.of("ovn-mesos"), Optional.empty(), Duration.ofDays(28), Optional.empty()), Set.of("ovn"),
        TenantAccess.allowAll(), Duration.ofMinutes(15), Duration.ofMinutes(10), Duration.ofMillis(100));
  }

  /** Settings for replica {@code replica} (0 or 1), electing through {@code zk} if given. */
  Framework.Settings settings(TenantAccess access, int replica, Optional<String> zk, String master) {
    return new Framework.Settings(master, Optional.empty(), OvsdbOptions.of(ovn.nbRemote()), zk,
        "/ovn-mesos", 4000, new InetSocketAddress("127.0.0.1", grpcPorts[replica]), Optional.of(new InetSocketAddress("127.0.0.1", 0)),
        FrameworkRegistration.frameworkInfo("ovn-mesos", "root", List.of("ovn-mesos"), Optional.empty(), Duration.ofDays(28),
            Optional.empty()),
        Set.of("ovn", "ovn2"), access, Duration.ofMinutes(15), Duration.ofMinutes(10), Duration.ofMillis(100));
  }

  /**
   * Runs the framework with {@code access} until the hook has heard its tenant rules, then stops
   * it: the hook then makes ports itself under those rules while no replica answers.
   */
  void teachHookRules(TenantAccess access) throws Exception {
    startFramework(access);
    Waiter.until("the hook heard the framework's tenant rules", Duration.ofSeconds(30),
        () -> hook.frameworkTenantRules().map(r -> r.rules().equals(access.rules())).orElse(false));
    stopFramework();
  }

  /** Starts the lone framework replica and waits until it is subscribed to the master. */
  Framework startFramework(TenantAccess access) throws Exception {
    return startFramework(settings(access));
  }

  /** Starts the lone framework replica with {@code settings} and waits until it is subscribed to the master. */
  Framework startFramework(Framework.Settings settings) throws Exception {
    framework = Framework.start(settings);
    Waiter.until("the framework subscribed", Duration.ofSeconds(30), framework::isReady);
    return framework;
  }

  /** A command task with one OVN interface on {@code network}, for {@code agent}. */
  static Protos.TaskInfo commandTask(String id, String agent, String network, String command) {
    return Protos.TaskInfo.newBuilder().setName(id).setTaskId(Protos.TaskID.newBuilder().setValue(id))
        .setAgentId(Protos.AgentID.newBuilder().setValue(agent)).setCommand(Protos.CommandInfo.newBuilder().setValue(command))
        .setContainer(Protos.ContainerInfo.newBuilder().setType(Protos.ContainerInfo.Type.MESOS)
            .addNetworkInfos(Protos.NetworkInfo.newBuilder().setName("ovn").setLabels(Protos.Labels.newBuilder()
                .addLabels(Protos.Label.newBuilder().setKey("logical_switch").setValue(network)))))
        .build();
  }

  /** Starts replica {@code replica} electing through {@code zk}; closed with the cluster. */
  Framework startReplica(int replica, String zk) throws Exception {
    Framework f = Framework.start(settings(TenantAccess.allowAll(), replica, Optional.of(zk), masterServer.address()));
    replicas.add(f);
    return f;
  }

  void stopFramework() {
    if (framework != null) {
      framework.close();
      framework = null;
    }
  }

  /** A command task on the agent with one OVN interface on {@code network}, launched as Marathon would. */
  Protos.TaskID launch(String id, String network, String command, String role) {
    return launch(commandTask(id, agent.id().getValue(), network, command), role);
  }

  /** A command task named {@code name} (instances of one app share it) with one OVN interface on {@code network}. */
  Protos.TaskID launchNamed(String id, String name, String network, String command) {
    return launch(commandTask(id, agent.id().getValue(), network, command).toBuilder().setName(name).build(), "ovn-mesos");
  }

  /** A command task with one OVN interface on {@code network} at the fixed address {@code ip}, launched as Marathon would. */
  Protos.TaskID launchAt(String id, String network, String ip, String command) {
    return launchAt(id, network, ip, command, "ovn-mesos");
  }

  /** The same, for {@code role}. */
  Protos.TaskID launchAt(String id, String network, String ip, String command, String role) {
    Protos.TaskInfo task = commandTask(id, agent.id().getValue(), network, command);
    Protos.TaskInfo.Builder b = task.toBuilder();
    b.getContainerBuilder().getNetworkInfosBuilder(0).getLabelsBuilder()
        .addLabels(Protos.Label.newBuilder().setKey("ip_address").setValue(ip));
    return launch(b.build(), role);
  }

  private Protos.TaskID launch(Protos.TaskInfo commandTask, String role) {
    Protos.TaskInfo task = commandTask.toBuilder()
        .addResources(Protos.Resource.newBuilder().setName("cpus").setType(Protos.Value.Type.SCALAR)
            .setScalar(Protos.Value.Scalar.newBuilder().setValue(0.01))
            .setAllocationInfo(Protos.Resource.AllocationInfo.newBuilder().setRole(role)))
        .build();
    master.launch(marathon, task);
    return task.getTaskId();
  }

  /** The task as the master knows it now (active or completed). */
  Optional<Protos.Task> task(String id) {
    var t = master.getTasks();
    return java.util.stream.Stream.concat(t.getTasksList().stream(), t.getCompletedTasksList().stream())
        .filter(x -> x.getTaskId().getValue().equals(id)).reduce((a, b) -> b);
  }

  /** Tenants coke and pepsi, each with a network on 10.10.0.0/16 (coke1, pepsi1). */
  static void layOut(OvnTestbed ovn) {
    try (Topology topo = new Topology(Northbound.connect(OvsdbOptions.of(ovn.nbRemote())))) {
      if (topo.tenants().find("coke").isEmpty()) {
        topo.tenants().create("coke");
        topo.networks().create(NetworkSpec.of("coke", "coke1", "10.10.0.0/16"));
        topo.tenants().create("pepsi");
        topo.networks().create(NetworkSpec.of("pepsi", "pepsi1", "10.10.0.0/16"));
      }
    }
  }

  /** The framework's ports in OVN, by name, as ovn-nbctl lists them. */
  Set<String> frameworkPorts() {
    Set<String> out = new TreeSet<>();
    for (String line : ovn.nbctl("--bare", "--columns=name", "find", "Logical_Switch_Port",
        "external_ids:" + PortMarks.OWNER + "=" + PortMarks.OWNER_FRAMEWORK).out().split("\n")) {
      if (!line.isBlank()) {
        out.add(line.strip());
      }
    }
    return out;
  }

  /** A master whose agents (named S0, S1, ...) run nothing: for tests of what the framework makes of events. */
  static Master idleAgents(String... agents) {
    Master m = new Master();
    for (int i = 0; i < agents.length; i++) {
      m.addIdleAgent(Protos.AgentID.newBuilder().setValue(agents[i]).build(), "agent-" + i);
    }
    return m;
  }

  /** Registers the framework that launches tasks, as Marathon would be. */
  static Protos.FrameworkID marathon(Master m) {
    return m.addFramework(Protos.FrameworkInfo.newBuilder().setName("marathon").setUser("root").build());
  }

  /** Every logical switch port's name in OVN, as ovn-nbctl lists them. */
  static Set<String> ports(OvnTestbed ovn) {
    Set<String> out = new TreeSet<>();
    ovn.nbctl("--bare", "--columns=name", "list", "Logical_Switch_Port").out().lines().filter(l -> !l.isBlank())
        .forEach(l -> out.add(l.strip()));
    return out;
  }

  /** Waits until OVN has ports of all these names. */
  static void awaitPorts(OvnTestbed ovn, String... names) {
    Waiter.until("ports " + String.join(", ", names), Duration.ofSeconds(30), () -> ports(ovn).containsAll(List.of(names)));
  }

  /** The ports Mesos' live tasks should have (one interface each). */
  Set<String> wanted() {
    Set<String> out = new TreeSet<>();
    for (Protos.Task t : master.getTasks().getTasksList()) {
      out.add(PortMarks.frameworkPortName(t.getFrameworkId().getValue(), t.getTaskId().getValue(), "eth0"));
    }
    return out;
  }

  /** The address Mesos reports for the task's first interface. */
  static String ip(Protos.Task t) {
    return t.getStatuses(t.getStatusesCount() - 1).getContainerStatus().getNetworkInfos(0).getIpAddresses(0).getIpAddress();
  }

  /** The pid of the task's executor, whose network namespace is the task's. */
  static long pid(Protos.Task t) {
    return t.getStatuses(t.getStatusesCount() - 1).getContainerStatus().getExecutorPid();
  }

  /** Waits for task {@code id} to reach {@code state} and returns it. */
  Protos.Task awaitState(String id, Protos.TaskState state) {
    Waiter.until("task " + id + " " + state, Duration.ofSeconds(90),
        () -> task(id).map(t -> t.getState() == state).orElse(false));
    return task(id).orElseThrow();
  }

  @Override
  public void close() throws Exception {
    agent.close();
    stopFramework();
    replicas.forEach(Framework::close);
    hook.close();
    masterServer.close();
    agentServer.stop();
  }
}
