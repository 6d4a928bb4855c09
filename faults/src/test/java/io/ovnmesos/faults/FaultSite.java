package io.ovnmesos.faults;

import io.ovnmesos.executorhook.ExecutorHook;
import io.ovnmesos.framework.OvnMesosFramework;
import io.ovnmesos.ovsdb.OvsdbOptions;
import io.ovnmesos.testbed.Chassis;
import io.ovnmesos.testbed.Container;
import io.ovnmesos.testbed.Daemon;
import io.ovnmesos.testbed.Echo;
import io.ovnmesos.testbed.Netns;
import io.ovnmesos.testbed.OvnTestbed;
import io.ovnmesos.testbed.Teardown;
import io.ovnmesos.testbed.Waiter;
import io.ovnmesos.testcluster.agent.Agent;
import io.ovnmesos.testcluster.agent.AgentEndpoint;
import io.ovnmesos.testcluster.agent.CniIsolator;
import io.ovnmesos.testcluster.master.Master;
import io.ovnmesos.testcluster.master.MasterServer;
import io.ovnmesos.topology.Northbound;
import io.ovnmesos.topology.Topology;
import io.ovnmesos.topology.network.NetworkSpec;
import java.net.ServerSocket;
import java.net.StandardProtocolFamily;
import java.net.URI;
import java.net.UnixDomainSocketAddress;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.curator.test.TestingServer;
import org.apache.mesos.v1.Protos;

/**
 * A whole ovn-mesos site to break: real OVN (its chassis stand for the agent hosts), a real ZooKeeper,
 * the Mesos test cluster with one agent per chassis running the real CNI plugin, an executor hook per
 * agent and two framework replicas electing through ZooKeeper. Hooks and replicas are processes of
 * their own, so that faults are real kills. Tenants coke and pepsi each have a network on the same
 * 10.10.0.0/16.
 */
final class FaultSite implements AutoCloseable {
  /** Where each agent host answers its executors, inside its chassis' namespace. */
  static final String AGENT_ADDRESS = "10.253.0.1";
  static final int AGENT_PORT = 5051;
  static final Path PLUGIN = Path.of("../cni/target/ovn-mesos-plugin").toAbsolutePath().normalize();
  /** How long a hook waits for the framework before it makes a port itself. */
  static final int CLAIM_WAIT_MILLIS = 5_000;

  final OvnTestbed ovn;
  final TestingServer zk;
  final Master master = new Master();
  final MasterServer masterServer;
  final Protos.FrameworkID marathon;
  /** Marathon's FrameworkInfo, with its id: what it subscribes with again after a master failover. */
  final Protos.FrameworkInfo marathonInfo;
  final List<Agent> agents = new ArrayList<>();
  final List<Daemons> hooks = new ArrayList<>();
  final List<Daemons> replicas = new ArrayList<>();
  /** Each agent's CNI root (the namespace handles of its containers) and its hook's socket. */
  final List<Path> cniRoots = new ArrayList<>();
  private final List<Path> sockets = new ArrayList<>();
  private final List<Integer> statusPorts = new ArrayList<>();
  /** The last state the master reported for each task. */
  final Map<String, Protos.TaskState> states = new ConcurrentHashMap<>();
  private final Teardown opened = new Teardown("the fault site");
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  FaultSite(OvnTestbed ovn) throws Exception {
    this.ovn = ovn;
    try (Topology topo = new Topology(Northbound.connect(OvsdbOptions.of(ovn.nbRemote())))) {
      topo.tenants().create("coke");
      topo.networks().create(NetworkSpec.of("coke", "coke1", "10.10.0.0/16"));
      topo.tenants().create("pepsi");
      topo.networks().create(NetworkSpec.of("pepsi", "pepsi1", "10.10.0.0/16"));
    }
    Path base = Files.createDirectories(ovn.dir().resolve("site"));
    zk = keep(new TestingServer(true));
    masterServer = keep(MasterServer.start(master, Duration.ofMillis(500)));
    master.onStatus((framework, status) -> states.put(status.getTaskId().getValue(), status.getState()));
    // Checkpointing, as Marathon does: an agent making ports itself reads the tasks' roles from it.
    Protos.FrameworkInfo marathonInfo = Protos.FrameworkInfo.newBuilder().setName("marathon").setUser("root").setCheckpoint(true)
        .addCapabilities(Protos.FrameworkInfo.Capability.newBuilder().setType(Protos.FrameworkInfo.Capability.Type.PARTITION_AWARE))
        .build();
    marathon = master.addFramework(marathonInfo);
    this.marathonInfo = marathonInfo.toBuilder().setId(marathon).build();

    List<String> grpc = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      grpc.add("127.0.0.1:" + freePort());
      statusPorts.add(freePort());
    }
    for (int i = 0; i < 2; i++) {
      replicas.add(keep(new Daemons("framework-" + i, OvnMesosFramework.class, List.of("--master", masterServer.address(),
          "--nb", ovn.nbRemote(), "--zk", zk.getConnectString(), "--zk-session-timeout", "3000", "--grpc-address", grpc.get(i),
          "--status-address", "127.0.0.1:" + statusPorts.get(i), "--allow", "role:*=coke,pepsi"),
          base.resolve("framework-" + i + ".log")).start()));
    }
    awaitLeader("the first framework replica to lead");

    for (int i = 0; i < ovn.allChassis().size(); i++) {
      startAgent(ovn.chassis(i + 1), i, Files.createDirectories(base.resolve("agent-" + i)), String.join(",", grpc));
    }
  }

  private void startAgent(Chassis chassis, int index, Path dir, String frameworks) throws Exception {
    Netns host = chassis.netns().orElseThrow();
    host.ip("addr", "add", AGENT_ADDRESS + "/32", "dev", "lo");
    Daemon endpoint = Echo.serve(host, ovn.dir(), Container.Protocol.TCP, AGENT_PORT);
    keep(endpoint::stop);
    Path plugins = Files.createDirectories(dir.resolve("plugins"));
    Path configs = Files.createDirectories(dir.resolve("config"));
    Path workDir = Files.createDirectories(dir.resolve("work"));
    Path root = Files.createDirectories(dir.resolve("run/isolators/network/cni"));
    Files.copy(PLUGIN, plugins.resolve("ovn-mesos-plugin"));
    plugins.resolve("ovn-mesos-plugin").toFile().setExecutable(true);
    Path socket = dir.resolve("cni.sock");
    Files.writeString(configs.resolve("10-ovn.conf"), "{\"cniVersion\":\"0.2.0\",\"name\":\"ovn\",\"type\":\"ovn-mesos-plugin\","
        + "\"socket\":\"" + socket + "\"}\n");
    Daemons hook = keep(new Daemons("executor-hook-" + index, ExecutorHook.class, List.of("--socket", socket.toString(),
        "--nb", ovn.nbRemote(), "--local-ovs", chassis.ovsRemote(), "--bridge", "br-int", "--host-netns",
        "/var/run/netns/" + host.name(), "--disable-tx-offload", "--metrics-address", "", "--framework", frameworks,
        "--mesos-work-dir", workDir.toString(), "--tenant-rules-cache", dir.resolve("tenant-rules").toString(), "--claim-wait", String.valueOf(CLAIM_WAIT_MILLIS), "--agent-endpoint",
        AGENT_ADDRESS + ":" + AGENT_PORT, "--executor-api", "driver"), dir.resolve("executor-hook.log")).start());
    hooks.add(hook);
    sockets.add(socket);
    cniRoots.add(root);
    awaitHook(index);
    CniIsolator isolator = new CniIsolator(configs, plugins.toString(), root, "/usr/sbin:/usr/bin:/sbin:/bin");
    // Mesos' default agent: command executors are driver-based, and the agent connects to them.
    Agent agent = keep(new Agent(Protos.AgentID.newBuilder().setValue("S" + index).build(), isolator, workDir,
        AgentEndpoint.parse(AGENT_ADDRESS + ":" + AGENT_PORT).inNamespace("/var/run/netns/" + host.name())));
    master.addAgent(agent, chassis.name());
    agents.add(agent);
  }

  /** Waits until hook {@code index} accepts connections on its socket (a stale file of a killed one does not). */
  void awaitHook(int index) {
    Waiter.until(hooks.get(index).name() + " listening", Duration.ofSeconds(60), () -> {
      try (SocketChannel c = SocketChannel.open(StandardProtocolFamily.UNIX)) {
        return c.connect(UnixDomainSocketAddress.of(sockets.get(index)));
      } catch (java.io.IOException e) {
        return false;
      }
    });
  }

  /** The replica that leads and follows the master, if one does now. */
  Optional<Integer> leader() {
    for (int i = 0; i < replicas.size(); i++) {
      try {
        if (http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + statusPorts.get(i) + "/ready"))
            .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
          return Optional.of(i);
        }
      } catch (java.io.IOException e) {
        // not up (yet)
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return Optional.empty();
      }
    }
    return Optional.empty();
  }

  /** Waits until a replica leads and is ready; returns its index. */
  int awaitLeader(String what) {
    Waiter.until(what, Duration.ofSeconds(90), () -> leader().isPresent());
    return leader().orElseThrow();
  }

  private <T extends AutoCloseable> T keep(T resource) {
    return opened.keep(resource);
  }

  private static int freePort() throws java.io.IOException {
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  /** Agents first (every task killed, its networks detached while the hooks still run), then the rest in reverse. */
  @Override
  public void close() {
    opened.close();
  }
}
