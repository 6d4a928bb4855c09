package io.ovnmesos.demo;

import io.ovnmesos.executorhook.ExecutorHook;
import io.ovnmesos.executorhook.mesos.ExecutorApi;
import io.ovnmesos.framework.Framework;
import io.ovnmesos.topology.access.TenantAccess;
import io.ovnmesos.framework.scheduler.FrameworkRegistration;
import io.ovnmesos.ovsdb.OvsdbOptions;
import io.ovnmesos.testbed.Chassis;
import io.ovnmesos.testbed.Container;
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
import io.ovnmesos.testcluster.master.ZooKeeperLeaderInfo;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.ExponentialBackoffRetry;
import org.apache.curator.test.TestingServer;
import org.apache.mesos.v1.Protos;

/**
 * The Mesos side of the demo, on a local OVN: ZooKeeper, a master that announces itself there, an
 * agent on each chassis (with the ovn-mesos CNI plugin and an executor hook of its own), and the
 * ovn-mesos framework, which finds the master and its own leadership through ZooKeeper. Closing it
 * stops everything in the reverse order, so that every task's networks are detached first.
 */
final class MesosSite implements AutoCloseable {
  /** Where each agent host answers its executors (the agent's HTTP endpoint), inside its chassis' namespace. */
  static final String AGENT_ADDRESS = "10.253.0.1";
  static final int AGENT_PORT = 5051;
  /** The CNI networks the agents know, both run by the ovn-mesos plugin: a task may join two OVN networks. */
  static final List<String> CNI_NETWORKS = List.of("ovn", "ovn2");

  private final Teardown opened = new Teardown("the Mesos side");
  final Master master = new Master();
  final List<Agent> agents = new ArrayList<>();
  final String zk;
  final Framework framework;
  final Protos.FrameworkID marathon;

  private MesosSite(OvnTestbed ovn, Path plugin) throws Exception {
    Path base = Files.createDirectories(ovn.dir().resolve("mesos"));
    TestingServer zkServer = keep(new TestingServer(true));
    zk = zkServer.getConnectString();
    CuratorFramework masters = keep(CuratorFrameworkFactory.newClient(zk, new ExponentialBackoffRetry(100, 3)));
    masters.start();
    MasterServer server = keep(MasterServer.start(master, Duration.ofSeconds(2)));
    keep(ZooKeeperLeaderInfo.contend(masters, "/mesos", server, "master-1"));
    int grpc = freePort();
    marathon = master.addFramework(Protos.FrameworkInfo.newBuilder().setName("marathon").setUser("root")
        .addRoles("*").build());
    // The framework before the agents, so that the agents stop first: their tasks' ends reach it.
    framework = keep(Framework.start(new Framework.Settings("zk://" + zk + "/mesos", Optional.empty(),
        OvsdbOptions.of(ovn.nbRemote()), Optional.of(zk), "/ovn-mesos", 6000, new InetSocketAddress("127.0.0.1", grpc),
        Optional.empty(), FrameworkRegistration.frameworkInfo("ovn-mesos", "root", List.of("ovn-mesos"), Optional.empty(),
            Duration.ofDays(28), Optional.empty()), Set.copyOf(CNI_NETWORKS), TenantAccess.parse(List.of("role:*=coke,pepsi")),
        Duration.ofMinutes(15), Duration.ofMinutes(10), Duration.ofMillis(200))));
    Waiter.until("the framework leads and follows the master", Duration.ofSeconds(60), framework::isReady);
    for (int i = 0; i < ovn.allChassis().size(); i++) {
      agents.add(startAgent(ovn, ovn.chassis(i + 1), i, base.resolve("agent-" + i), plugin, grpc));
    }
  }

  /** Starts it all on {@code ovn}, whose chassis stand for the agent hosts. */
  static MesosSite start(OvnTestbed ovn, Path plugin) throws Exception {
    return new MesosSite(ovn, plugin);
  }

  private Agent startAgent(OvnTestbed ovn, Chassis chassis, int index, Path dir, Path plugin, int grpc) throws Exception {
    Netns host = chassis.netns().orElseThrow();
    host.ip("addr", "add", AGENT_ADDRESS + "/32", "dev", "lo");
    // Stands for the agent's HTTP server: an executor connects to it before its task starts.
    var endpoint = Echo.serve(host, ovn.dir(), Container.Protocol.TCP, AGENT_PORT);
    keep(endpoint::stop);
    Path plugins = Files.createDirectories(dir.resolve("plugins"));
    Path configs = Files.createDirectories(dir.resolve("config"));
    Path workDir = Files.createDirectories(dir.resolve("work"));
    Files.copy(plugin, plugins.resolve("ovn-mesos-plugin"));
    plugins.resolve("ovn-mesos-plugin").toFile().setExecutable(true);
    Path socket = dir.resolve("cni.sock");
    for (String name : CNI_NETWORKS) {
      Files.writeString(configs.resolve("10-" + name + ".conf"), "{\"cniVersion\":\"0.2.0\",\"name\":\"" + name
          + "\",\"type\":\"ovn-mesos-plugin\",\"socket\":\"" + socket + "\"}\n");
    }
    keep(ExecutorHook.start(new ExecutorHook.Settings(socket, ovn.nbRemote(), chassis.ovsRemote(), "br-int", 1500, 30,
        "/var/run/netns/" + host.name(), true, "", List.of("127.0.0.1:" + grpc), workDir, 20_000, true,
        AGENT_ADDRESS + ":" + AGENT_PORT, Optional.empty(), List.of())
        // Told, not asked: the agent's endpoint is inside the chassis' namespace, out of this process' reach.
        .withExecutorApi(ExecutorApi.Setting.DRIVER)));
    CniIsolator isolator = new CniIsolator(configs, plugins.toString(),
        Files.createDirectories(dir.resolve("run/isolators/network/cni")), "/usr/sbin:/usr/bin:/sbin:/bin");
    // Mesos' default agent: command executors are driver-based, and the agent connects to them.
    Agent agent = keep(new Agent(Protos.AgentID.newBuilder().setValue("S" + index).build(), isolator, workDir,
        AgentEndpoint.parse(AGENT_ADDRESS + ":" + AGENT_PORT).inNamespace("/var/run/netns/" + host.name())));
    master.addAgent(agent, chassis.name());
    return agent;
  }

  /** The task as the master knows it now, if it does. */
  Optional<Protos.Task> task(Protos.TaskID id) {
    var t = master.getTasks();
    return java.util.stream.Stream.concat(t.getTasksList().stream(), t.getCompletedTasksList().stream())
        .filter(x -> x.getTaskId().equals(id)).reduce((a, b) -> b);
  }

  private <T extends AutoCloseable> T keep(T resource) {
    return opened.keep(resource);
  }

  private static int freePort() throws java.io.IOException {
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  /** Stops the framework, the agents (each task is killed and its networks detached), the hooks, the master and ZooKeeper. */
  @Override
  public void close() {
    opened.close();
  }
}
