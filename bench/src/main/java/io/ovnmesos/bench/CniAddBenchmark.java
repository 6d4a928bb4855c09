package io.ovnmesos.bench;

import io.ovnmesos.executorhook.ExecutorHook;
import io.ovnmesos.executorhook.mesos.ExecutorApi;
import io.ovnmesos.framework.Framework;
import io.ovnmesos.topology.access.TenantAccess;
import io.ovnmesos.framework.scheduler.FrameworkRegistration;
import io.ovnmesos.ovsdb.OvsdbOptions;
import io.ovnmesos.testbed.Command;
import io.ovnmesos.testbed.CommandResult;
import io.ovnmesos.testbed.Netns;
import io.ovnmesos.testbed.OvnTestbed;
import io.ovnmesos.testbed.Waiter;
import io.ovnmesos.testcluster.agent.Agent;
import io.ovnmesos.testcluster.master.Master;
import io.ovnmesos.testcluster.master.MasterServer;
import io.ovnmesos.topology.Northbound;
import io.ovnmesos.topology.Topology;
import io.ovnmesos.topology.network.NetworkSpec;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;
import org.apache.mesos.v1.Protos;

/**
 * CNI ADD latency as the Mesos agent sees it: from starting the plugin process to its result, which
 * includes ovn-controller installing the port's flows. For ovn-mesos with a port made at ADD time and
 * with one the framework made when the master announced the task (claimed over gRPC), and the 2017 prototype's way
 * (ovn-nbctl --wait=sb lsp-add with dynamic addressing, a read of dynamic_addresses, veth plumbing
 * with ip, ovs-vsctl add-port; no wait for the flows), in the same run on the same OVN.
 */
final class CniAddBenchmark {
  private static final Protos.AgentID AGENT = Protos.AgentID.newBuilder().setValue("S0").build();
  /** The agent's advertised address, on the chassis standing for its host. */
  private static final String AGENT_ADDRESS = "10.253.0.1";

  record Stats(String way, int containers, double p50, double p90, double p99, double mean) {}

  private final int containers;
  private final Consumer<String> progress;

  CniAddBenchmark(int containers, Consumer<String> progress) {
    this.containers = containers;
    this.progress = progress;
  }

  List<Stats> run() throws Exception {
    try (OvnTestbed ovn = OvnTestbed.builder().start()) {
      try (Topology topo = new Topology(Northbound.connect(OvsdbOptions.of(ovn.nbRemote())))) {
        topo.tenants().create("bench");
        topo.networks().create(NetworkSpec.of("bench", "bench1", "10.128.0.0/16"));
        topo.networks().create(NetworkSpec.of("bench", "proto1", "10.129.0.0/16"));
      }
      // As in production, each container also gets its path to the agent, and the agent one to its
      // executor (Mesos' default, driver-based executors): the agent's address is on the chassis.
      String hostNetns = "/var/run/netns/" + ovn.chassis().netns().orElseThrow().name();
      ovn.chassis().netns().orElseThrow().ip("addr", "add", AGENT_ADDRESS + "/32", "dev", "lo");
      ExecutorHook hook = ExecutorHook.start(new ExecutorHook.Settings(ovn.dir().resolve("cni/cni.sock"), ovn.nbRemote(),
          ovn.chassis().ovsRemote(), "br-int", 1500, 30, hostNetns, false, "", List.of(), Path.of("/var/lib/mesos"), 10_000,
          true, AGENT_ADDRESS + ":5051", Optional.empty(), List.of()).withExecutorApi(ExecutorApi.Setting.DRIVER));
      Path plugin = Path.of(System.getProperty("ovnmesos.plugin", "cni/target/ovn-mesos-plugin")).toAbsolutePath();
      // The framework path: a test-cluster master announces each task; the framework makes its port;
      // a second hook, in framework mode, claims it when the ADD comes.
      Master master = new Master();
      master.addIdleAgent(AGENT, "agent-0");
      Protos.FrameworkID marathon = master.addFramework(Protos.FrameworkInfo.newBuilder().setName("marathon").setUser("root")
          .build());
      Path workDir = ovn.dir().resolve("mesos-work");
      try (MasterServer server = MasterServer.start(master, Duration.ofSeconds(1));
          Framework framework = Framework.start(new Framework.Settings(server.address(), Optional.empty(),
              OvsdbOptions.of(ovn.nbRemote()), Optional.empty(), "/ovn-mesos", 6000, new InetSocketAddress("127.0.0.1", 0),
              Optional.empty(), FrameworkRegistration.frameworkInfo("ovn-mesos", "root", List.of("ovn-mesos"), Optional.empty(),
                  Duration.ofDays(28), Optional.empty()), Set.of("ovn"), TenantAccess.allowAll(), Duration.ofMinutes(15),
              Duration.ofMinutes(10), Duration.ofMillis(100)));
          ExecutorHook claiming = ExecutorHook.start(new ExecutorHook.Settings(ovn.dir().resolve("cni/claim.sock"),
              ovn.nbRemote(), ovn.chassis().ovsRemote(), "br-int", 1500, 30, hostNetns, false, "",
              List.of("127.0.0.1:" + framework.grpcPort()), workDir, 10_000, false, AGENT_ADDRESS + ":5051", Optional.empty(),
              List.of()).withExecutorApi(ExecutorApi.Setting.DRIVER))) {
        Waiter.until("the framework subscribed", Duration.ofSeconds(60), framework::isReady);
        List<Stats> out = new ArrayList<>();
        warmUp(ovn, plugin, hook.socket());
        out.add(measureOvnMesos(ovn, plugin, hook.socket(), "ovn-mesos, port made at ADD", "-a"));
        // What the agent path costs: the same without --agent-endpoint.
        try (ExecutorHook bare = ExecutorHook.start(new ExecutorHook.Settings(ovn.dir().resolve("cni/bare.sock"), ovn.nbRemote(),
            ovn.chassis().ovsRemote(), "br-int", 1500, 30, hostNetns, false, ""))) {
          out.add(measureOvnMesos(ovn, plugin, bare.socket(), "ovn-mesos, port made at ADD, without the agent path", "-n"));
        }
        out.add(measureWithFramework(ovn, plugin, claiming.socket(), master, marathon, workDir));
        out.add(measurePrototype(ovn));
        return out;
      } finally {
        hook.close();
      }
    }
  }

  private void warmUp(OvnTestbed ovn, Path plugin, Path socket) {
    List<Netns> spaces = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      Netns ns = Netns.create(ovn.namespacePrefix() + "-w" + i);
      spaces.add(ns);
      String cid = UUID.randomUUID().toString();
      cni(plugin, "ADD", cid, ns, socket);
      cni(plugin, "DEL", cid, ns, socket);
    }
    spaces.forEach(Netns::close);
  }

  private Stats measureOvnMesos(OvnTestbed ovn, Path plugin, Path socket, String way, String prefix) {
    progress.accept(way + ": " + containers + " containers");
    List<String> cids = new ArrayList<>();
    for (int i = 0; i < containers; i++) {
      cids.add(UUID.randomUUID().toString());
    }
    return stats(way, adds(ovn, plugin, socket, cids, prefix));
  }

  /**
   * The framework's way: every task announced first, as TASK_ADDED comes before the agent even gets
   * the task, and its port made; then each ADD claims its port.
   */
  private Stats measureWithFramework(OvnTestbed ovn, Path plugin, Path socket, Master master, Protos.FrameworkID marathon,
      Path workDir) throws Exception {
    String way = "ovn-mesos, port made by the framework";
    progress.accept(way + ": " + containers + " containers");
    List<String> cids = new ArrayList<>();
    for (int i = 0; i < containers; i++) {
      String cid = UUID.randomUUID().toString();
      cids.add(cid);
      Protos.TaskID task = Protos.TaskID.newBuilder().setValue("bench-" + i).build();
      Files.createDirectories(Agent.sandbox(workDir, AGENT, marathon, Protos.ExecutorID.newBuilder().setValue(task.getValue())
          .build(), Protos.ContainerID.newBuilder().setValue(cid).build()));
      master.launch(marathon, Protos.TaskInfo.newBuilder().setName(task.getValue()).setTaskId(task).setAgentId(AGENT)
          .setCommand(Protos.CommandInfo.newBuilder().setValue("sleep 600"))
          .setContainer(Protos.ContainerInfo.newBuilder().setType(Protos.ContainerInfo.Type.MESOS)
              .addNetworkInfos(Protos.NetworkInfo.newBuilder().setName("ovn").setLabels(Protos.Labels.newBuilder()
                  .addLabels(Protos.Label.newBuilder().setKey("logical_switch").setValue("bench1"))))).build());
    }
    Waiter.until("the framework made every task's port", Duration.ofSeconds(60), () -> ovn.nbctl("--bare", "--columns=name",
        "find", "Logical_Switch_Port", "external_ids:ovn-mesos/owner=framework").out().lines().filter(l -> !l.isBlank()).count()
        == containers);
    Stats s = stats(way, adds(ovn, plugin, socket, cids, "-f"));
    for (int i = 0; i < containers; i++) {
      master.kill(Protos.TaskID.newBuilder().setValue("bench-" + i).build());
    }
    return s;
  }

  /** ADD for each container id, each in a namespace of its own, timed; then DEL for all. */
  private double[] adds(OvnTestbed ovn, Path plugin, Path socket, List<String> cids, String tag) {
    double[] ms = new double[cids.size()];
    List<String[]> made = new ArrayList<>();
    for (int i = 0; i < cids.size(); i++) {
      Netns ns = Netns.create(ovn.namespacePrefix() + tag + i);
      String cid = cids.get(i);
      long start = System.nanoTime();
      CommandResult r = cni(plugin, "ADD", cid, ns, socket);
      ms[i] = (System.nanoTime() - start) / 1e6;
      if (!r.ok()) {
        throw new IllegalStateException("ADD failed: " + r.stdout());
      }
      made.add(new String[] {cid, ns.name()});
    }
    for (String[] m : made) {
      cni(plugin, "DEL", m[0], null, socket);
      Netns.delete(m[1]);
    }
    return ms;
  }

  /** The prototype's ADD, step by step, each a process as it was. */
  private Stats measurePrototype(OvnTestbed ovn) {
    String way = "2017 prototype (ovn-nbctl, ip, ovs-vsctl)";
    progress.accept(way + ": " + containers + " containers");
    Netns host = ovn.chassis().netns().orElseThrow();
    String db = "--db=" + ovn.nbRemote();
    String ovsdb = "--db=" + ovn.chassis().ovsRemote();
    double[] ms = new double[containers];
    List<Netns> made = new ArrayList<>();
    for (int i = 0; i < containers; i++) {
      Netns ns = Netns.create(ovn.namespacePrefix() + "-o" + i);
      made.add(ns);
      String port = "proto-" + i;
      String hostIf = "pr" + i + "_l";
      String peer = "pr" + i + "_c";
      long start = System.nanoTime();
      run("ovn-nbctl", db, "--timeout=5", "--wait=sb", "--", "--may-exist", "lsp-add", "proto1", port,
          "--", "lsp-set-addresses", port, "dynamic");
      String[] addr = run("ovn-nbctl", db, "--timeout=5", "get", "Logical_Switch_Port", port, "dynamic_addresses")
          .out().replace("\"", "").split(" ");
      run("ip", "-n", host.name(), "link", "add", hostIf, "type", "veth", "peer", "name", peer);
      run("ip", "-n", host.name(), "link", "set", hostIf, "up");
      run("ip", "-n", host.name(), "link", "set", peer, "netns", "/var/run/netns/" + ns.name());
      run("ip", "-n", ns.name(), "link", "set", peer, "name", "eth0");
      run("ip", "-n", ns.name(), "link", "set", "eth0", "address", addr[0]);
      run("ip", "-n", ns.name(), "link", "set", "eth0", "mtu", "1400");
      run("ip", "-n", ns.name(), "addr", "add", addr[1] + "/16", "dev", "eth0");
      run("ip", "-n", ns.name(), "link", "set", "eth0", "up");
      run("ip", "-n", ns.name(), "route", "add", "default", "via", "10.129.0.1");
      run("ovs-vsctl", ovsdb, "--timeout=5", "add-port", "br-int", hostIf, "--", "set", "interface", hostIf,
          "external_ids:attached_mac=" + addr[0], "external_ids:iface-id=" + port, "external_ids:ip_address=" + addr[1]);
      ms[i] = (System.nanoTime() - start) / 1e6;
    }
    for (int i = 0; i < containers; i++) {
      run("ovs-vsctl", ovsdb, "--timeout=5", "--if-exists", "del-port", "pr" + i + "_l");
    }
    made.forEach(Netns::close);
    ovn.nbctl("--if-exists", "ls-del", "proto1");
    return stats(way, ms);
  }

  private static CommandResult run(String... argv) {
    return Command.of(argv).timeout(Duration.ofSeconds(30)).check();
  }

  /** Starts the plugin as the Mesos agent does: only CNI_* and PATH, config with Mesos' args on stdin. */
  private static CommandResult cni(Path plugin, String command, String cid, Netns ns, Path socket) {
    String stdin = "{\"args\":{\"org.apache.mesos\":{\"network_info\":{\"labels\":{\"labels\":[{\"key\":\"logical_switch\","
        + "\"value\":\"bench1\"}]},\"name\":\"ovn\"}}},\"cniVersion\":\"0.3.1\",\"name\":\"ovn\",\"socket\":\"" + socket
        + "\",\"type\":\"ovn-mesos-plugin\"}";
    ProcessBuilder pb = new ProcessBuilder(plugin.toString());
    Map<String, String> env = pb.environment();
    String path = env.get("PATH");
    env.clear();
    env.put("CNI_COMMAND", command);
    env.put("CNI_CONTAINERID", cid);
    env.put("CNI_IFNAME", "eth0");
    env.put("CNI_PATH", plugin.getParent().toString());
    if (ns != null) {
      env.put("CNI_NETNS", "/var/run/netns/" + ns.name());
    }
    env.put("PATH", path);
    try {
      Process p = pb.start();
      p.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
      p.getOutputStream().close();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      int exit = p.waitFor();
      return new CommandResult(List.of(plugin.toString(), command), exit, out, "");
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static Stats stats(String way, double[] ms) {
    double[] s = ms.clone();
    Arrays.sort(s);
    return new Stats(way, s.length, pct(s, 50), pct(s, 90), pct(s, 99), Arrays.stream(s).average().orElse(0));
  }

  private static double pct(double[] sorted, int p) {
    int i = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
  }
}
