package io.ovnmesos.testcluster;

import ch.qos.logback.classic.Level;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ovnmesos.testcluster.agent.Agent;
import io.ovnmesos.testcluster.agent.AgentEndpoint;
import io.ovnmesos.testcluster.agent.AgentApi;
import io.ovnmesos.testcluster.agent.CniIsolator;
import io.ovnmesos.testcluster.marathon.MarathonDefinition;
import io.ovnmesos.testcluster.marathon.MarathonLauncher;
import io.ovnmesos.testcluster.master.Master;
import io.ovnmesos.testcluster.master.MasterServer;
import io.ovnmesos.testcluster.master.ZooKeeperLeaderInfo;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.ExponentialBackoffRetry;
import org.apache.mesos.v1.Protos;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The Mesos test cluster as a process of its own: a master serving both APIs on one address
 * (optionally announced in ZooKeeper as Mesos announces itself), agents, and a framework named
 * {@code marathon} that launches Marathon definitions. It runs until it is stopped (SIGINT, SIGTERM),
 * and then kills its tasks, detaching their networks.
 */
@Command(name = "mesos-test-cluster", mixinStandardHelpOptions = true,
    description = "Runs a Mesos 1.11-compatible master and agents for tests and demos.")
public final class MesosTestCluster implements Callable<Integer> {
  private static final Logger LOG = LoggerFactory.getLogger(MesosTestCluster.class);

  @Option(names = "--listen", defaultValue = "127.0.0.1:5050", description = "the master's host:port; port 0 for any (default ${DEFAULT-VALUE})")
  String listen;

  @Option(names = "--zk", description = "ZooKeeper to announce the master in (host:port[,...])")
  String zk;

  @Option(names = "--zk-path", defaultValue = "/mesos", description = "(default ${DEFAULT-VALUE})")
  String zkPath;

  @Option(names = "--heartbeat", defaultValue = "PT15S", description = "event stream heartbeat interval, ISO-8601 (default ${DEFAULT-VALUE})")
  Duration heartbeat;

  @Option(names = "--idle-agent", description = "an agent that runs nothing (its tasks stay STAGING), by id; repeatable")
  List<String> idleAgents = new ArrayList<>();

  @Option(names = "--agent", description = "an agent that runs tasks in network namespaces on this host, by id; repeatable")
  List<String> agents = new ArrayList<>();

  @Option(names = "--cni-config-dir", description = "for --agent: the CNI network configs (--network_cni_config_dir)")
  Path cniConfigDir;

  @Option(names = "--cni-plugins-dir", description = "for --agent: the CNI plugins (--network_cni_plugins_dir)")
  String cniPluginsDir;

  @Option(names = "--work-dir", defaultValue = "/var/lib/mesos-test-cluster", description = "for --agent: sandboxes and checkpoints, one directory per agent (default ${DEFAULT-VALUE})")
  Path workDir;

  @Option(names = "--agent-endpoint", description = "for --agent: the ip:port executors must reach before their task starts")
  String agentEndpoint;

  @Option(names = "--agent-netns", description = "for --agent-endpoint: the network namespace (a path such as "
      + "/var/run/netns/x) the agents connect to driver-based executors from; default this process' own")
  String agentNetns;

  @Option(names = "--http-command-executor", description = "for --agent-endpoint: the agents' --http_command_executor; "
      + "false (Mesos' default) makes command executors driver-based, reached by the agent at the task's address")
  boolean httpCommandExecutor;

  @Option(names = "--agent-api", description = "for --agent: host:port of the first agent's operator API (GET_CONTAINERS); each next agent takes the next port")
  String agentApi;

  @Option(names = "--marathon", description = "a Marathon app or pod definition (JSON) to launch once started; repeatable")
  List<Path> definitions = new ArrayList<>();

  private final Deque<AutoCloseable> opened = new ArrayDeque<>();

  public static void main(String[] args) {
    ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME)).setLevel(Level.INFO);
    System.exit(new CommandLine(new MesosTestCluster()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    if (!agents.isEmpty() && (cniConfigDir == null || cniPluginsDir == null)) {
      throw new CommandLine.ParameterException(new CommandLine(this), "--agent needs --cni-config-dir and --cni-plugins-dir");
    }
    if (idleAgents.isEmpty() && agents.isEmpty() && !definitions.isEmpty()) {
      throw new CommandLine.ParameterException(new CommandLine(this), "--marathon needs an --agent or --idle-agent to run on");
    }
    List<MarathonDefinition> parsed = new ArrayList<>();
    for (Path p : definitions) {
      try {
        parsed.add(MarathonDefinition.parse(new ObjectMapper().readTree(p.toFile())));
      } catch (MarathonDefinition.InvalidDefinition | java.io.IOException e) {
        throw new CommandLine.ParameterException(new CommandLine(this), "--marathon " + p + ": " + e.getMessage());
      }
    }
    CountDownLatch stop = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      stop.countDown();
      close();
    }, "shutdown"));
    try {
      Master master = new Master();
      int colon = listen.lastIndexOf(':');
      MasterServer server = keep(MasterServer.start(master, new InetSocketAddress(listen.substring(0, colon),
          Integer.parseInt(listen.substring(colon + 1))), heartbeat));
      if (zk != null) {
        CuratorFramework client = keep(CuratorFrameworkFactory.newClient(zk, new ExponentialBackoffRetry(200, 10)));
        client.start();
        keep(ZooKeeperLeaderInfo.contend(client, zkPath, server, "master-1"));
      }
      List<Protos.AgentID> ids = new ArrayList<>();
      for (String id : idleAgents) {
        Protos.AgentID agent = Protos.AgentID.newBuilder().setValue(id).build();
        master.addIdleAgent(agent, id);
        ids.add(agent);
      }
      int apiPort = agentApi == null ? -1 : Integer.parseInt(agentApi.substring(agentApi.lastIndexOf(':') + 1));
      for (String id : agents) {
        Path dir = Files.createDirectories(workDir.resolve(id));
        CniIsolator isolator = new CniIsolator(cniConfigDir, cniPluginsDir,
            Files.createDirectories(dir.resolve("run/isolators/network/cni")), System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
        AgentEndpoint endpoint = null;
        if (agentEndpoint != null) {
          endpoint = AgentEndpoint.parse(agentEndpoint).withHttpCommandExecutor(httpCommandExecutor);
          endpoint = agentNetns == null ? endpoint : endpoint.inNamespace(agentNetns);
        }
        Agent agent = keep(new Agent(Protos.AgentID.newBuilder().setValue(id).build(), isolator, dir.resolve("work"), endpoint));
        master.addAgent(agent, id);
        ids.add(agent.id());
        if (agentApi != null) {
          AgentApi api = keep(AgentApi.start(agent, new InetSocketAddress(agentApi.substring(0, agentApi.lastIndexOf(':')), apiPort)));
          System.out.println("agent " + id + " API at " + api.address());
          apiPort = apiPort == 0 ? 0 : apiPort + 1;
        }
      }
      // As the real master's log says where it listens; scripts read the port from here.
      System.out.println("master listening at " + server.address());
      if (!parsed.isEmpty()) {
        Protos.FrameworkID marathon = master.addFramework(Protos.FrameworkInfo.newBuilder().setName("marathon").setUser("root")
            .addRoles("*").build());
        MarathonLauncher launcher = new MarathonLauncher(master, marathon, ids);
        for (MarathonDefinition d : parsed) {
          for (MarathonLauncher.Instance i : launcher.launch(d)) {
            System.out.println("launched " + d.id() + ": " + i.tasks().stream().map(Protos.TaskID::getValue).toList()
                + " on " + i.agent().getValue());
          }
        }
      }
      System.out.flush();
      stop.await();
      return 0;
    } catch (Exception e) {
      LOG.error("The test cluster could not start: {}", e.getMessage());
      close();
      return 1;
    }
  }

  private <T extends AutoCloseable> T keep(T resource) {
    synchronized (opened) {
      opened.push(resource);
    }
    return resource;
  }

  /** Stops agents (their tasks killed, networks detached), then the master and ZooKeeper client. */
  private void close() {
    while (true) {
      AutoCloseable next;
      synchronized (opened) {
        if (opened.isEmpty()) {
          return;
        }
        next = opened.pop();
      }
      try {
        next.close();
      } catch (Exception e) {
        LOG.warn("stopping {}: {}", next, e.getMessage());
      }
    }
  }
}
